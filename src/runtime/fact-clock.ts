/**
 * The runtime's clock: dispatches `clock/tick` when a lane's time fact can flip (heartbeat
 * liveness, unacknowledged steering, a bridge error past its grace, a stalled trust
 * prompt, a rate-limit reset, a restart countdown: src/state/board-view.ts
 * `selectNextDeadline`), instead of every second (issue #17: 500 lanes at idle). Ages on
 * screen have their own clock in the UI; `--json`, the control endpoint and `--json
 * --watch` tick before they read. One timer for the whole board, re-armed after every
 * store change; a deadline is rounded up to the next whole `stepMs` (ticks of lanes that
 * flip within the same second coalesce) and never more than `maxMs` away (a floor for any
 * time fact the deadline function would miss).
 */
import { selectNextDeadline } from '../state/board-view.js';
import type { BoardStore } from '../state/store.js';
import type { Clock, Dispatch, Service } from './types.js';

/** Options of {@link createFactClock}. Durations in ms. */
export interface FactClockOptions {
  readonly store: BoardStore;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Ticks fall on multiples of this (coalescing). @default 1000 */
  readonly stepMs?: number;
  /** Longest time between two ticks. @default 60000 */
  readonly maxMs?: number;
}

/** Create the clock (idle until `start()`; `dispose()` stops it). */
export function createFactClock(opts: FactClockOptions): Service {
  const stepMs = Math.max(1, opts.stepMs ?? 1_000);
  const maxMs = Math.max(stepMs, opts.maxMs ?? 60_000);
  let timer: NodeJS.Timeout | null = null;
  let armedAt = Infinity;
  let unsubscribe: (() => void) | null = null;

  const tick = (): void => {
    timer = null;
    armedAt = Infinity;
    opts.dispatch({ type: 'clock/tick', at: opts.clock.now() });
    // The tick reaches the store on the next turn; re-arm from the store's change, or now
    // if it changed nothing (the same `now`).
    arm();
  };
  function arm(): void {
    if (unsubscribe === null) return;
    const s = opts.store.getState();
    const wall = opts.clock.now();
    const due = Math.min(selectNextDeadline(s), Math.max(s.now, wall) + maxMs);
    const at = Math.ceil(due / stepMs) * stepMs;
    if (at === armedAt) return;
    if (timer !== null) clearTimeout(timer);
    armedAt = at;
    timer = setTimeout(tick, Math.max(1, at - wall));
  }

  return {
    start() {
      if (unsubscribe === null) {
        unsubscribe = opts.store.subscribe(arm);
        arm();
      }
      return Promise.resolve();
    },
    dispose() {
      unsubscribe?.();
      unsubscribe = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      armedAt = Infinity;
      return Promise.resolve();
    },
  };
}
