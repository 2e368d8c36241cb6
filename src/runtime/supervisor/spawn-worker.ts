/**
 * Start one lane's worker process with execa 9, following docs/pitfalls.md "Processes":
 * own process group (`detached`), no buffering (`buffer: false`), no rejection
 * (`reject: false`), no execa cleanup (the supervisor owns shutdown), stdout+stderr to an
 * O_APPEND descriptor on `<bridge>/worker.log` (it survives a board crash), cwd = worktree,
 * env = board env + lane env + `LANEBOARD_*` (bridge contract "Where the bridge lives").
 */
import { stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { LaneConfig } from '../../state/config-types.js';
import { isBridgeEscape } from '../bridge/anchor.js';
import { prepareBridgeDir } from '../bridge/own-dir.js';
import { LOG_FLAGS, openBridgeFile } from '../bridge/safe-write.js';
import { TOKEN_ENV } from '../proc/env-token.js';
import { readProcStat } from '../proc/procfs.js';
import { errorMessage } from '../../state/error-text.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/** How a spawned worker ended (normalized from execa's result). */
export interface WorkerExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** A running worker. */
export interface SpawnedWorker {
  readonly pid: number;
  readonly pgid: number;
  /** `/proc/<pid>/stat` field 22, null when it could not be read (exited at once). */
  readonly startTime: number | null;
  /** The worker's stdin when `stdin: true` was asked, else null. */
  readonly stdin: NodeJS.WritableStream | null;
  /** Resolves (never rejects) when the process has exited and been reaped. */
  readonly exited: Promise<WorkerExit>;
}

/** Outcome of {@link spawnWorker}. */
export type SpawnOutcome =
  | { readonly ok: true; readonly worker: SpawnedWorker }
  | { readonly ok: false; readonly error: string };

/** Environment the worker gets on top of the board's own (bridge contract). */
export function workerEnv(lane: LaneConfig): Record<string, string> {
  return {
    ...lane.env,
    LANEBOARD_LANE_ID: lane.id,
    LANEBOARD_BRIDGE_DIR: lane.bridge,
    LANEBOARD_WORKTREE: lane.worktree,
    LANEBOARD_BASE_REF: lane.base,
    // Read by `laneboard hook` when routed by LANEBOARD_BRIDGE_DIR (no lanes.yaml loaded).
    ...(lane.approvals === 'board' ? { LANEBOARD_APPROVALS: 'board' } : {}),
  };
}

/**
 * Check the worktree, open the log and spawn `lane.command`.
 * @param opts.stdin true ⇒ stdin is a pipe the board can write steering text into.
 * @param opts.token the lane's worker token, set as `LANEBOARD_WORKER_TOKEN` so everything
 *   the worker starts can be found on stop (../proc/env-token.ts).
 * @param opts.onReplaced called with a one-line description when a symlink (or other trap)
 *   at `<bridge>/worker.log` was replaced by a new file instead of being appended through,
 *   or when the bridge dir leads out of the bridge (../bridge/anchor.ts; nothing written).
 * @returns the running worker, or `{ ok: false, error }` with a one-line reason when it
 *   cannot start: no command, worktree missing / not a directory, bridge dir or log not
 *   writable, command not found (ENOENT), not executable / permission denied (EACCES).
 *   Never throws.
 */
export async function spawnWorker(
  lane: LaneConfig,
  opts: { stdin: boolean; onReplaced?: (message: string) => void; token?: string },
): Promise<SpawnOutcome> {
  const command = lane.command;
  const file = command?.[0];
  if (command === null || file === undefined || file === '') {
    return { ok: false, error: 'no command configured for this lane' };
  }
  const cwdProblem = await checkWorktree(lane.worktree);
  if (cwdProblem !== null) return { ok: false, error: cwdProblem };
  let log: FileHandle;
  try {
    await prepareBridgeDir(lane.bridge);
    const opened = await openBridgeFile(join(lane.bridge, BRIDGE_FILE.workerLog), LOG_FLAGS);
    log = opened.fh;
    if (opened.replaced !== null) opts.onReplaced?.(opened.replaced);
  } catch (e) {
    if (isBridgeEscape(e)) opts.onReplaced?.(e.message);
    return {
      ok: false,
      error: `cannot open ${join(lane.bridge, BRIDGE_FILE.workerLog)}: ${errorMessage(e)}`,
    };
  }
  let child: ReturnType<typeof execChild>;
  try {
    child = execChild(lane, file, command.slice(1), opts.stdin, log.fd, opts.token);
  } catch (e) {
    await log.close().catch(() => undefined);
    return { ok: false, error: `cannot start ${file}: ${errorMessage(e)}` };
  }
  const pid = child.pid;
  // Read the stat before yielding to the event loop: the child cannot be reaped before.
  const stat0 = pid === undefined ? null : readProcStat(pid);
  const exited = child.then(
    (r) => ({
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? null,
      code: r.code,
      message: r.originalMessage,
    }),
    (e: unknown) => ({ exitCode: null, signal: null, code: undefined, message: errorMessage(e) }),
  );
  void exited.finally(() => log.close().catch(() => undefined));
  if (pid === undefined) {
    const r = await exited;
    return { ok: false, error: describeSpawnError(file, r.code, r.message) };
  }
  if (child.stdin !== null) child.stdin.on('error', () => undefined);
  return {
    ok: true,
    worker: {
      pid,
      pgid: stat0?.pgrp ?? pid,
      startTime: stat0?.startTime ?? null,
      stdin: child.stdin,
      exited: exited.then(({ exitCode, signal }) => ({ exitCode, signal })),
    },
  };
}

function execChild(
  lane: LaneConfig,
  file: string,
  args: string[],
  stdin: boolean,
  logFd: number,
  token: string | undefined,
) {
  // execa passes any integer fd straight to child_process.spawn (lib/stdio/native.js), but
  // its types only list 1-9; the cast is for the types only.
  const fd = logFd as unknown as 1;
  return execa(file, args, {
    cwd: lane.worktree,
    env: token === undefined ? workerEnv(lane) : { ...workerEnv(lane), [TOKEN_ENV]: token },
    extendEnv: true,
    detached: true,
    cleanup: false,
    buffer: false,
    reject: false,
    stdin: stdin ? 'pipe' : 'ignore',
    stdout: fd,
    stderr: fd,
  });
}

async function checkWorktree(worktree: string): Promise<string | null> {
  try {
    const s = await stat(worktree);
    return s.isDirectory() ? null : `worktree ${worktree} is not a directory`;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') return `worktree ${worktree} does not exist`;
    if (code === 'EACCES') return `worktree ${worktree}: permission denied`;
    return `worktree ${worktree}: ${errorMessage(e)}`;
  }
}

function describeSpawnError(
  file: string,
  code: string | undefined,
  message: string | undefined,
): string {
  if (code === 'ENOENT') return `command not found: ${file} (ENOENT)`;
  if (code === 'EACCES') return `permission denied: ${file} is not executable (EACCES)`;
  if (code === 'EPERM') return `operation not permitted starting ${file} (EPERM)`;
  const detail = message ?? code ?? 'unknown error';
  return `cannot start ${file}: ${detail}`;
}
