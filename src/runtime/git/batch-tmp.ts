/**
 * Private temporary directories of the status chains (./lane-batch.ts), named
 * `<os.tmpdir()>/laneboard-git-<pid>-XXXXXX` after the process that made them. A chain
 * removes its own directory when it ends, but a process killed in the middle of one (a
 * `laneboard --json` stopped with SIGKILL, a board whose terminal was closed hard) cannot;
 * so the first directory made by each process also starts, in the background, a sweep that
 * removes the directories of processes that no longer run. A directory whose pid runs
 * again (pid reuse) waits for the next sweep after that process ends. Only directories
 * unchanged for {@link MIN_AGE_MS} are removed: a process of another pid namespace sharing
 * this temporary directory (a container) looks gone to us while its chain may still run.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Name prefix of every chain directory in the system's temporary directory. */
const PREFIX = 'laneboard-git-';
/** `laneboard-git-<pid>-<suffix>`: the pid of the process that made it. */
const NAME = /^laneboard-git-(\d+)-[^/]+$/;

/** Least time (ms) since a directory last changed before a sweep removes it. */
export const MIN_AGE_MS = 10 * 60_000;

let swept = false;

/**
 * True when a process with this pid exists (signal 0). A process of another user answers
 * EPERM and counts as running; only ESRCH means it is gone. Not ../proc/procfs.ts
 * `isProcessAlive`: that reads `/proc/<pid>/stat` (a `ps` run per pid without /proc), where
 * this check needs no process table and a zombie counting as running only delays a sweep.
 */
function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Remove the chain directories (in `tmp`, default `os.tmpdir()`) left by processes that no
 * longer run and that have not changed for `minAgeMs` (default {@link MIN_AGE_MS}); this
 * process's own and those of running processes stay.
 * @returns the names removed (for tests and logs). Never rejects: an unreadable temporary
 *   directory or a directory that cannot be removed is left as it is.
 */
export async function sweepBatchDirs(
  tmp: string = os.tmpdir(),
  minAgeMs: number = MIN_AGE_MS,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    const pid = m === null ? NaN : Number(m[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidRuns(pid)) continue;
    const dir = path.join(tmp, name);
    try {
      if (Date.now() - (await stat(dir)).mtimeMs < minAgeMs) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another user's directory, or removed meanwhile: left as it is
    }
  }
  return removed;
}

/**
 * Make a fresh private directory for one chain (mode 0700, as `mkdtemp` makes it). The
 * first call of a process also starts {@link sweepBatchDirs} without waiting for it.
 * @throws what `mkdtemp` throws (e.g. ENOSPC, EACCES); the caller then probes lane by lane.
 */
export async function makeBatchDir(): Promise<string> {
  if (!swept) {
    swept = true;
    void sweepBatchDirs();
  }
  return mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}
