/**
 * Pure parts of a lane worker's lifecycle (./lane-worker.ts): what a worker's exit turns
 * the lane's state into (operator stop, board quit, or the restart policy of ./policy.ts),
 * and the lane's entry in the supervisor record (./record.ts). No processes, no timers.
 */
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { WorkerState } from '../../state/types.js';
import type { TreeTarget } from '../proc/kill-tree.js';
import { decideExit, type BackoffMemory } from './policy.js';
import type { StopIntent } from './live-proc.js';
import type { RecordLane } from './record.js';
import type { WorkerExit } from './spawn-worker.js';

/** What the lane knows when its worker's exit is handled. */
export interface ExitContext {
  /** Why the board was stopping it, or null when it exited by itself. */
  readonly intent: StopIntent | null;
  /** The board is quitting: no restart. */
  readonly disposed: boolean;
  readonly state: WorkerState;
  readonly lane: LaneConfig;
  readonly settings: BoardSettings;
  readonly memory: BackoffMemory;
  /** Epoch ms the run started (null for an adopted worker), and now. */
  readonly startedAt: number | null;
  readonly now: number;
  readonly random: () => number;
}

/** The lane's next state after an exit, its backoff memory, and the restart delay (ms) when one is due. */
export interface ExitOutcome {
  readonly patch: Partial<WorkerState>;
  readonly memory: BackoffMemory;
  readonly restartInMs: number | null;
}

/**
 * Decide what an exit means: a stop the board asked for becomes `stopped` (an operator
 * stop stays stopped across board restarts: `operatorStopped`); an exit while quitting or
 * after an operator stop is `exited`; otherwise the lane's restart policy decides between
 * `exited`, `crash_loop` and `backoff` (with the delay to wait, jittered by `random`).
 */
export function exitOutcome(exit: WorkerExit, c: ExitContext): ExitOutcome {
  const base = {
    pid: null,
    exitCode: exit.exitCode,
    signal: exit.signal,
    nextStartAt: null,
    adopted: false,
  };
  const keep = { memory: c.memory, restartInMs: null };
  if (c.intent !== null) {
    const byOperator = c.intent === 'operator';
    const patch: Partial<WorkerState> = {
      ...base,
      phase: 'stopped',
      operatorStopped: byOperator || (c.intent === 'dispose' && c.state.operatorStopped),
      error: byOperator ? 'stopped by operator' : null,
    };
    return { ...keep, patch };
  }
  if (c.disposed || c.state.operatorStopped)
    return { ...keep, patch: { ...base, phase: 'exited' } };
  const runMs = c.startedAt === null ? null : c.now - c.startedAt;
  const facts = { exitCode: exit.exitCode, signal: exit.signal, runMs, now: c.now };
  const d = decideExit(c.lane.restart, c.settings, c.memory, facts, c.random);
  if (d.kind === 'exited') return { ...keep, patch: { ...base, phase: 'exited', error: null } };
  if (d.kind === 'crash_loop') {
    return {
      memory: d.memory,
      restartInMs: null,
      patch: { ...base, phase: 'crash_loop', error: d.reason },
    };
  }
  return {
    memory: d.memory,
    restartInMs: d.delayMs,
    patch: { ...base, phase: 'backoff', nextStartAt: c.now + d.delayMs, error: null },
  };
}

/** The lane's entry in the supervisor record (pid, pgid, start time and token of its live process, if any). */
export function recordEntryOf(
  lane: LaneConfig,
  proc: (TreeTarget & { readonly token?: string | null }) | null,
  state: WorkerState,
  logStart?: number,
): RecordLane {
  return {
    ...(proc !== null && logStart !== undefined ? { logStart } : {}),
    pid: proc?.pid ?? null,
    pgid: proc?.pgid ?? null,
    startTime: proc?.startTime ?? null,
    token: proc?.token ?? null,
    operatorStopped: state.operatorStopped,
    restarts: state.restarts,
    command: lane.command === null ? null : [...lane.command],
    state: {
      phase: state.phase,
      startedAt: state.startedAt,
      exitCode: state.exitCode,
      signal: state.signal,
      nextStartAt: state.nextStartAt,
      error: state.error,
      adopted: state.adopted,
    },
  };
}

/** ` (pids 1, 2 did not exit after SIGKILL)`, or '' when nothing survived. */
export function survivorNote(pids: readonly number[]): string {
  return pids.length === 0 ? '' : ` (pids ${pids.join(', ')} did not exit after SIGKILL)`;
}
