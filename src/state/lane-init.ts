/**
 * Initial values for a lane's state slices: what a lane looks like before the runtime
 * has observed anything about it.
 */
import type { LaneConfig } from './config-types.js';
import { EMPTY_FOLD } from './dialects/index.js';
import type { BridgeState, FileSlot, LaneState, WorkerState } from './types.js';

/** An empty bridge file slot (nothing read yet, not known to be missing). */
function emptySlot<T>(): FileSlot<T> {
  return { value: null, raw: null, readAt: null, error: null, missing: false };
}

/** Worker state before the supervisor reports: `none` for observe-only lanes, else `stopped`. */
export function initialWorker(config: LaneConfig): WorkerState {
  return {
    phase: config.command ? 'stopped' : 'none',
    pid: null,
    restarts: 0,
    startedAt: null,
    exitCode: null,
    signal: null,
    nextStartAt: null,
    error: null,
    operatorStopped: false,
    adopted: false,
  };
}

/** Bridge state before any file was read. */
export function initialBridge(): BridgeState {
  return {
    state: emptySlot(),
    result: emptySlot(),
    claw: emptySlot(),
    events: EMPTY_FOLD,
    eventsError: null,
    dirError: null,
    writeProblem: null,
  };
}

/** A lane that nothing has been observed about yet. */
export function initialLane(config: LaneConfig): LaneState {
  return {
    config,
    git: { status: 'pending' },
    worker: initialWorker(config),
    bridge: initialBridge(),
    steering: [],
    clearedAt: null,
  };
}
