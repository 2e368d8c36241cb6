/**
 * `laneboard remove <id> [--force]`: retire a lane — refuse (exit 1) when its worktree
 * has uncommitted changes or commits that are on no other branch (local or remote-tracking),
 * unless `--force`; then, with a runtime running the lanes (`serve` or a board), stop the
 * worker through its control endpoint (./lanes-runtime.ts), remove the entry from
 * lanes.yaml (comments kept; the runtime's live reload drops the row, which is awaited),
 * make sure the worker is gone (a worker still alive
 * after the board had its chance, or left by a board that is not running, is stopped with
 * its process tree), `git worktree remove`, and delete the branch only when it is merged
 * into the lane's base (an unmerged branch is kept and named in the output).
 */
import { pathExists } from '../../runtime/path-exists.js';
import path from 'node:path';
import { loadConfig, parseConfig } from '../../config/index.js';
import { removeLane } from '../../config/edit-lanes.js';
import type { LaneConfig } from '../../state/config-types.js';
import { runGit } from '../../runtime/git/index.js';
import { terminateTree } from '../../runtime/proc/kill-tree.js';
import { isProcessAlive } from '../../runtime/proc/procfs.js';
import { readRecord, recordPath } from '../../runtime/supervisor/record.js';
import { CommandError, readLanesText, writeLanesText } from './lanes-file.js';
import { awaitDropped, runtimeOf, stopThroughRuntime } from './lanes-runtime.js';

/** Options of {@link runRemove}. */
export interface RemoveOptions {
  readonly id: string;
  readonly force: boolean;
  readonly config: string;
  readonly cwd?: string;
  readonly log?: (line: string) => void;
  /** How long a running board gets to stop the worker before it is stopped here (ms). @default stop_grace + 5 s */
  readonly boardWaitMs?: number;
}

/** What would be lost by removing a lane's worktree now. */
export interface LossReport {
  /** `git status --porcelain` lines (uncommitted and untracked changes). */
  readonly uncommitted: readonly string[];
  /** One-line subjects of commits reachable from HEAD and from no other branch. */
  readonly unique: readonly string[];
}

const T = 20_000;

/**
 * What removing `lane`'s worktree would lose: its uncommitted changes and the commits on
 * its HEAD that no other branch (`refs/heads/*` other than the checked-out one,
 * `refs/remotes/*`) contains. A missing worktree loses nothing.
 * @throws {CommandError} (exit 1) when git cannot tell (then nothing is removed).
 */
export async function lossOf(lane: LaneConfig): Promise<LossReport> {
  if (!(await pathExists(lane.worktree))) return { uncommitted: [], unique: [] };
  const cwd = lane.worktree;
  const st = await runGit(['status', '--porcelain', '--untracked-files=normal'], {
    cwd,
    timeoutMs: T,
  });
  if (!st.ok) throw new CommandError(`cannot read ${cwd}: ${st.message}`, 1);
  const head = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd, timeoutMs: T });
  const current = head.ok ? head.stdout.trim() : null;
  const exclude = current !== null ? [`--exclude=${current}`] : [];
  const log = await runGit(
    ['log', '--format=%h %s', 'HEAD', '--not', ...exclude, '--branches', '--remotes'],
    { cwd, timeoutMs: T },
  );
  if (!log.ok && log.code !== 'bad_ref')
    throw new CommandError(`cannot read ${cwd}: ${log.message}`, 1);
  const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
  return { uncommitted: lines(st.stdout), unique: log.ok ? lines(log.stdout) : [] };
}

/** One human sentence naming what `loss` would lose, or null when nothing. */
export function describeLoss(loss: LossReport): string | null {
  const parts: string[] = [];
  const n = loss.uncommitted.length;
  const c = loss.unique.length;
  if (n > 0) parts.push(`${n} uncommitted change${n === 1 ? '' : 's'}`);
  if (c > 0) parts.push(`${c} commit${c === 1 ? '' : 's'} on no other branch`);
  return parts.length === 0 ? null : parts.join(' and ');
}

async function stopWorker(
  stateDir: string,
  file: string,
  id: string,
  graceMs: number,
  waitMs: number,
  log: (l: string) => void,
): Promise<void> {
  const rec = await readRecord(recordPath(stateDir, file));
  if (rec.status !== 'ok') return;
  const entry = rec.record.lanes[id];
  if (!entry || entry.pid === null) return;
  const { pid, startTime } = entry;
  if (!isProcessAlive(pid, startTime)) return;
  const boardAlive = rec.record.boardPid > 0 && isProcessAlive(rec.record.boardPid);
  if (boardAlive) {
    // The board re-reads lanes.yaml and stops the removed lane's worker itself.
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && isProcessAlive(pid, startTime)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!isProcessAlive(pid, startTime)) return log(`the board stopped the worker (pid ${pid})`);
  }
  log(`stopping worker pid ${pid}`);
  await terminateTree({ pid, pgid: entry.pgid ?? pid, startTime }, { graceMs });
}

/**
 * Remove lane `opts.id`.
 * @returns one line per thing done.
 * @throws {CommandError} exit 2 for an unknown lane or a lanes.yaml that would be left
 *   without lanes; exit 1 when the worktree has work that would be lost (without
 *   `force`) or git refuses.
 */
export async function runRemove(opts: RemoveOptions): Promise<void> {
  const cwd = opts.cwd ?? process.cwd();
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const file = path.resolve(cwd, opts.config);
  const text = await readLanesText(file);
  const config = await loadConfig(file);
  const lane = config.lanes.find((l) => l.id === opts.id);
  if (lane === undefined) throw new CommandError(`no lane '${opts.id}' in ${file}`, 2);
  const next = removeLane(text, lane.id);
  try {
    parseConfig(next, file, { checkRepos: false });
  } catch {
    throw new CommandError(
      `removing '${lane.id}' would leave ${file} invalid (it needs at least one lane); edit it by hand`,
      2,
    );
  }
  const loss = await lossOf(lane);
  const lost = describeLoss(loss);
  if (lost !== null && !opts.force) {
    const detail = [...loss.uncommitted.slice(0, 5), ...loss.unique.slice(0, 5)].map(
      (l) => `  ${l}`,
    );
    throw new CommandError(
      [
        `lane '${lane.id}': ${lane.worktree} has ${lost}; not removed (--force removes it anyway)`,
        ...detail,
      ].join('\n'),
      1,
    );
  }
  // A runtime running these lanes stops the worker itself, through its endpoint, before
  // the entry goes; then its live reload drops the lane.
  const runtime = await runtimeOf(config);
  if (runtime !== null) await stopThroughRuntime(runtime, lane.id, log);
  await writeLanesText(file, next);
  log(`removed lane ${lane.id} from ${file}`);
  if (runtime !== null) await awaitDropped(runtime, lane.id, log);
  const graceMs = config.settings.stopGraceMs;
  await stopWorker(
    config.stateDir,
    config.file,
    lane.id,
    graceMs,
    opts.boardWaitMs ?? graceMs + 5_000,
    log,
  );
  if (await pathExists(lane.worktree)) {
    const rm = await runGit(
      ['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), lane.worktree],
      {
        cwd: lane.repo,
        timeoutMs: T,
      },
    );
    if (!rm.ok) throw new CommandError(`git worktree remove failed: ${rm.message}`, 1);
    log(`removed worktree ${lane.worktree}${lost !== null ? ` (lost: ${lost})` : ''}`);
  }
  await deleteBranchIfMerged(lane, log);
}

async function deleteBranchIfMerged(lane: LaneConfig, log: (l: string) => void): Promise<void> {
  const opt = { cwd: lane.repo, timeoutMs: T };
  const ref = `refs/heads/${lane.branch}`;
  if (!(await runGit(['rev-parse', '--verify', '--quiet', ref], opt)).ok) return;
  const merged = await runGit(['merge-base', '--is-ancestor', ref, lane.base], opt);
  if (!merged.ok) {
    log(`kept branch ${lane.branch} (not merged into ${lane.base})`);
    return;
  }
  const del = await runGit(['branch', '-D', '--', lane.branch], opt);
  if (del.ok) log(`deleted branch ${lane.branch} (merged into ${lane.base})`);
  else log(`kept branch ${lane.branch}: ${del.message}`);
}
