/**
 * What a lane worker does after its worker exited by itself (not an operator stop), and
 * the usage-limit parking around it (lanes.yaml `restart.on_rate_limit`, docs/agents.md
 * "Resume at usage-limit reset"):
 *
 * - `policy` (default): the restart policy decides at once (./exit-outcome.ts); the
 *   worker's own output is still read and recorded (`exitReport`).
 * - `park` / `resume`: the lane first shows `exited` while its own output and state are
 *   read; a rate-limited exit parks the lane (phase `parked`, no restart into an exhausted
 *   window), any other exit goes to the restart policy as before.
 *
 * {@link parkWorker}, {@link unparkWorker} and {@link resumeWorker} are what the resume
 * scheduler (../resume/scheduler.ts) calls. Split from ./lane-worker.ts, whose internal
 * members these functions use; {@link handleWorkerExit} is its exit handler.
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RATE_LIMIT } from '../../state/config-types.js';
import { exitOutcome } from './exit-outcome.js';
import { leftoverTarget, type LiveProc } from './live-proc.js';
import type { LaneWorker } from './lane-worker.js';
import { FRESH_BACKOFF } from './policy.js';
import { type WorkerExit } from './spawn-worker.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/** Current size of `<bridge>/worker.log` in bytes (0 when missing or unreadable). */
export async function logSize(bridge: string): Promise<number> {
  const st = await stat(join(bridge, BRIDGE_FILE.workerLog)).catch(() => null);
  return st?.isFile() === true ? st.size : 0;
}

/** {@link logSize}, synchronously (adoption happens inside a synchronous restore step). */
export function logSizeNow(bridge: string): number {
  try {
    const st = statSync(join(bridge, BRIDGE_FILE.workerLog));
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/** Start the worker again after a backoff delay (the policy restart). */
function policyRestart(w: LaneWorker): Promise<void> {
  w.timer = null;
  return w.enqueue(async () => {
    if (w.disposed || w.live !== null || w.state.phase !== 'backoff') return;
    const now = w.ctx.clock.now();
    w.memory = { n: w.memory.n, restartTimes: [...w.memory.restartTimes, now] };
    await w.spawnNow({ restarts: w.state.restarts + 1 });
  });
}

/** Apply the exit outcome (./exit-outcome.ts): publish it, arm the restart timer. */
function applyOutcome(w: LaneWorker, proc: LiveProc, exit: WorkerExit, now: number): void {
  const out = exitOutcome(exit, {
    intent: w.stopIntent,
    disposed: w.disposed,
    state: w.state,
    lane: w.lane,
    settings: w.ctx.settings,
    memory: w.memory,
    startedAt: proc.startedAt,
    now,
    random: w.ctx.random,
  });
  w.memory = out.memory;
  w.update(out.patch, out.restartInMs === null ? undefined : now);
  if (out.restartInMs !== null) w.timer = setTimeout(() => void policyRestart(w), out.restartInMs);
}

/**
 * Handle the exit of `proc` (already detached from the lane worker; see the module doc):
 * reap a self-exited group's leftovers, read the worker's own output, and decide —
 * at once for operator stops, board quit and `on_rate_limit: policy`; after the output
 * was read for `park` / `resume` (a rate-limited exit parks).
 */
export function handleWorkerExit(w: LaneWorker, proc: LiveProc, exit: WorkerExit): void {
  const byItself = w.stopIntent === null;
  if (byItself) w.ctx.reapGroup(leftoverTarget(proc));
  const now = w.ctx.clock.now();
  const policyExit = byItself && !w.disposed && !w.state.operatorStopped;
  const report = policyExit ? w.ctx.exitReport(w.lane, w.logStart, exit) : Promise.resolve(false);
  const action = (w.lane.rateLimit ?? DEFAULT_RATE_LIMIT).action;
  if (!policyExit || action === 'policy') {
    applyOutcome(w, proc, exit, now);
    proc.resolveDone();
    return;
  }
  w.update({
    pid: null,
    exitCode: exit.exitCode,
    signal: exit.signal,
    nextStartAt: null,
    adopted: false,
    phase: 'exited',
    error: null,
  });
  proc.resolveDone();
  void report.then((limited) => {
    // Something else happened meanwhile (operator start, stop, board quit): it wins.
    if (w.disposed || w.live !== null || w.state.phase !== 'exited' || w.state.operatorStopped)
      return;
    if (!limited) return applyOutcome(w, proc, exit, now);
    const note =
      action === 'park'
        ? 'rate limited: parked until you start it'
        : 'rate limited: parked until the limit resets';
    parkWorker(w, null, note);
  });
}

/**
 * Park a lane whose worker is not running: no policy restart (a pending one is cancelled);
 * phase `parked` with `nextStartAt` = `until` (epoch ms; null: not scheduled yet) and
 * `note` as its error text. A running worker is left alone. Returns true when parked.
 */
function parkWorker(w: LaneWorker, until: number | null, note: string): boolean {
  if (w.live !== null || w.disposed || w.lane.command === null) return false;
  if (!['exited', 'backoff', 'parked', 'crash_loop'].includes(w.state.phase)) return false;
  w.clearTimer();
  w.update({ phase: 'parked', nextStartAt: until, error: note }, w.ctx.clock.now());
  return true;
}

/** Leave `parked` (the limit was cleared otherwise): phase `exited`, nothing scheduled. */
function unparkWorker(w: LaneWorker): void {
  if (w.state.phase === 'parked') w.update({ phase: 'exited', nextStartAt: null, error: null });
}

/**
 * Start a parked (or exited) lane again, with `argv` (its resume command) or its own
 * command; counts as a restart and resets the backoff. Does nothing while a worker runs,
 * after an operator stop, or for an observe-only lane.
 */
function resumeWorker(w: LaneWorker, argv?: readonly string[]): Promise<void> {
  return w.enqueue(async () => {
    if (w.disposed || w.live !== null || w.lane.command === null || w.state.operatorStopped) return;
    w.clearTimer();
    w.memory = FRESH_BACKOFF;
    await w.spawnNow({ restarts: w.state.restarts + 1 }, argv);
  });
}

/** What the resume scheduler may do to one lane's worker. */
export interface Parking {
  /** A worker process runs (steer it instead of starting one). */
  readonly running: boolean;
  /** Park (no policy restart) until `until` (epoch ms, null: unscheduled); false if not parked. */
  park(until: number | null, note: string): boolean;
  /** Leave `parked` (the limit was cleared by other means). */
  unpark(): void;
  /** Start the worker with `argv` (its resume command) or its own command. */
  resume(argv?: readonly string[]): Promise<void>;
}

/** The {@link Parking} handle of `w`; `flush` writes the supervisor record after a resume. */
export function parkingOf(w: LaneWorker, flush: () => Promise<void>): Parking {
  return {
    running: w.live !== null,
    park: (until, note) => parkWorker(w, until, note),
    unpark: () => unparkWorker(w),
    resume: async (argv) => {
      await resumeWorker(w, argv);
      await flush();
    },
  };
}
