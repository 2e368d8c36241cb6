/**
 * What a lane worker does after its worker exited by itself (not an operator stop), and
 * the usage-limit parking around it (lanes.yaml `restart.on_rate_limit`, docs/agents.md
 * "Resume at usage-limit reset"):
 *
 * - `policy` (default): the restart policy decides at once (./policy.ts); the worker's
 *   own output is still read and recorded (`exitReport`).
 * - `park` / `resume`: the lane first shows `exited` while its own output and state are
 *   read; a rate-limited exit parks the lane (phase `parked`, no restart into an exhausted
 *   window), any other exit goes to the restart policy as before.
 *
 * {@link parkWorker}, {@link unparkWorker} and {@link resumeWorker} are what the resume
 * scheduler (../resume/scheduler.ts) calls. Split from ./lane-worker.ts, whose internal
 * members these functions use.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RATE_LIMIT } from '../../state/config-types.js';
import type { WorkerState } from '../../state/types.js';
import type { LiveProc } from './live-proc.js';
import type { LaneWorker } from './lane-worker.js';
import { decideExit, FRESH_BACKOFF } from './policy.js';
import { WORKER_LOG, type WorkerExit } from './spawn-worker.js';

/** Current size of `<bridge>/worker.log` in bytes (0 when missing or unreadable). */
export async function logSize(bridge: string): Promise<number> {
  const st = await stat(join(bridge, WORKER_LOG)).catch(() => null);
  return st?.isFile() === true ? st.size : 0;
}

/** The exit fields every post-exit state carries. */
type ExitBase = Pick<WorkerState, 'pid' | 'exitCode' | 'signal' | 'nextStartAt' | 'adopted'>;

/** Apply the restart policy to an exit (exited / crash_loop / backoff with a timer). */
function applyPolicy(
  w: LaneWorker,
  proc: LiveProc,
  exit: WorkerExit,
  now: number,
  base: ExitBase,
): void {
  const runMs = proc.startedAt === null ? null : now - proc.startedAt;
  const facts = { exitCode: exit.exitCode, signal: exit.signal, runMs, now };
  const d = decideExit(w.lane.restart, w.ctx.settings, w.memory, facts, w.ctx.random);
  if (d.kind === 'exited') {
    w.update({ ...base, phase: 'exited', error: null });
  } else if (d.kind === 'crash_loop') {
    w.memory = d.memory;
    w.update({ ...base, phase: 'crash_loop', error: d.reason });
  } else {
    w.memory = d.memory;
    w.update({ ...base, phase: 'backoff', nextStartAt: now + d.delayMs, error: null }, now);
    w.timer = setTimeout(() => void policyRestart(w), d.delayMs);
  }
}

function policyRestart(w: LaneWorker): Promise<void> {
  w.timer = null;
  return w.enqueue(async () => {
    if (w.disposed || w.live !== null || w.state.phase !== 'backoff') return;
    const now = w.ctx.clock.now();
    w.memory = { n: w.memory.n, restartTimes: [...w.memory.restartTimes, now] };
    await w.spawnNow({ restarts: w.state.restarts + 1 });
  });
}

/**
 * Handle an exit that was not an operator stop (see the module doc). `base` holds the exit
 * fields; `now` is when the exit was seen (epoch ms).
 */
export function afterPolicyExit(
  w: LaneWorker,
  proc: LiveProc,
  exit: WorkerExit,
  now: number,
  base: ExitBase,
): void {
  const action = (w.lane.rateLimit ?? DEFAULT_RATE_LIMIT).action;
  const report = w.ctx.exitReport(w.lane, w.logStart, exit);
  if (action === 'policy') {
    applyPolicy(w, proc, exit, now, base);
    return;
  }
  w.update({ ...base, phase: 'exited', error: null });
  void report.then((limited) => {
    // Something else happened meanwhile (operator start, stop, board quit): it wins.
    if (w.disposed || w.live !== null || w.state.phase !== 'exited' || w.state.operatorStopped)
      return;
    if (limited)
      parkWorker(
        w,
        null,
        action === 'park'
          ? 'rate limited: parked until you start it'
          : 'rate limited: parked until the limit resets',
      );
    else applyPolicy(w, proc, exit, now, base);
  });
}

/**
 * Park a lane whose worker is not running: no policy restart (a pending one is cancelled);
 * phase `parked` with `nextStartAt` = `until` (epoch ms; null: not scheduled yet) and
 * `note` as its error text. A running worker is left alone. Returns true when parked.
 */
export function parkWorker(w: LaneWorker, until: number | null, note: string): boolean {
  if (w.live !== null || w.disposed || w.lane.command === null) return false;
  if (!['exited', 'backoff', 'parked', 'crash_loop'].includes(w.state.phase)) return false;
  w.clearTimer();
  w.update({ phase: 'parked', nextStartAt: until, error: note }, w.ctx.clock.now());
  return true;
}

/** Leave `parked` (the limit was cleared otherwise): phase `exited`, nothing scheduled. */
export function unparkWorker(w: LaneWorker): void {
  if (w.state.phase === 'parked') w.update({ phase: 'exited', nextStartAt: null, error: null });
}

/**
 * Start a parked (or exited) lane again, with `argv` (its resume command) or its own
 * command; counts as a restart and resets the backoff. Does nothing while a worker runs,
 * after an operator stop, or for an observe-only lane.
 */
export function resumeWorker(w: LaneWorker, argv?: readonly string[]): Promise<void> {
  return w.enqueue(async () => {
    if (w.disposed || w.live !== null || w.lane.command === null || w.state.operatorStopped) return;
    w.clearTimer();
    w.memory = FRESH_BACKOFF;
    await w.spawnNow({ restarts: w.state.restarts + 1 }, argv);
  });
}
