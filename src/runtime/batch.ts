/**
 * Coalesces store updates per frame: the work they cause (reducer, React commit, and in
 * the board one Ink frame) happens at most once per frame interval, however many lanes
 * write, and an update on a quiet board is applied on the next event-loop turn. Order is
 * preserved; nothing is dropped.
 *
 * Policy:
 * - Actions dispatched in one event-loop turn are applied together (one store update, one
 *   frame).
 * - A flush starts at most once per interval: `minIntervalMs` (the frame, 33 ms ≈ 30 frames
 *   a second by default), stretched to `cost / duty` when a flush costs more than `duty` of
 *   that (a loaded machine, a huge screen), so flushes never take more than about `duty` of
 *   a core. An update that arrives an interval or more after the last flush is applied at
 *   once; one that arrives sooner waits for the interval's end, together with everything
 *   else that arrived meanwhile. So an update waits at most one interval (issue #17:
 *   write → row within a frame), and a storm costs one flush per interval, not one per
 *   write (the earlier CPU budget let a storm's flushes queue behind each other's cost:
 *   p95 0.5-1.5 s at 200 lanes; docs/performance.md, "Scale").
 * - `cost` is measured from a flush's start until the microtasks it queued have run (so
 *   the synchronous work of subscribers and React's commit with Ink's render count, and
 *   unrelated I/O callbacks do not), smoothed over flushes.
 */
import type { Action } from '../state/actions.js';
import type { Dispatch } from './types.js';

/** A batching dispatch: `dispatch` queues, `flush` applies now, `dispose` flushes and stops. */
export interface BatchedDispatch {
  readonly dispatch: Dispatch;
  flush(): void;
  dispose(): void;
  /**
   * Resolves once everything dispatched so far is applied and the work its flush queued
   * (React's commit, the board's frame) has run: on the event-loop turn after that flush,
   * or on the next turn when nothing is queued. Never rejects.
   */
  applied(): Promise<void>;
}

/** Default least time between the starts of two flushes (ms): ~30 frames a second. */
export const FRAME_MS = 33;

/** Tuning of {@link createBatchedDispatch}. */
export interface BatchOptions {
  /** Most share of one core flushes may use (0-1): stretches the interval. @default 0.5 */
  readonly duty?: number;
  /** Least time between the starts of two flushes (ms). @default {@link FRAME_MS} */
  readonly minIntervalMs?: number;
  /** Monotonic time source (ms). @default performance.now */
  readonly now?: () => number;
}

/**
 * Wrap `apply` (which applies many actions and notifies once) with the policy above.
 * Never throws from `dispatch`; an `apply` that throws loses nothing queued after it.
 */
export function createBatchedDispatch(
  apply: (actions: readonly Action[]) => void,
  opts: BatchOptions = {},
): BatchedDispatch {
  const duty = Math.min(1, Math.max(0.01, opts.duty ?? 0.5));
  const minIntervalMs = Math.max(0, opts.minIntervalMs ?? FRAME_MS);
  const now = opts.now ?? (() => performance.now());
  let queue: Action[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let lastStart = -Infinity;
  /** Smoothed flush cost (ms). */
  let cost = 0;
  let measuring = false;
  let disposed = false;
  /** Callers of `applied()` waiting for the next flush. */
  let waiting: (() => void)[] = [];

  const schedule = (): void => {
    if (timer !== null || immediate !== null || queue.length === 0 || disposed) return;
    const wait = lastStart + Math.max(minIntervalMs, cost / duty) - now();
    if (wait <= 0) immediate = setImmediate(flush);
    else timer = setTimeout(flush, Math.ceil(wait));
  };
  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
    const woken = waiting;
    waiting = [];
    // The turn after this one: React's commit and Ink's frame (microtasks) come first.
    if (woken.length > 0) setImmediate(() => woken.forEach((w) => w()));
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const start = now();
    lastStart = start;
    try {
      apply(batch);
    } finally {
      if (!measuring && !disposed) {
        measuring = true;
        // React queues its commit (and Ink's frame, drawn inside it) as a microtask while
        // `apply` notifies the store's subscribers: this one is queued after it, so it
        // sees the whole cost and nothing else (a macrotask would also charge the I/O
        // callbacks that happen to run in between).
        queueMicrotask(() => {
          measuring = false;
          cost = (cost + (now() - start)) / 2;
          schedule();
        });
      } else {
        schedule();
      }
    }
  }
  const dispatch: Dispatch = (action) => {
    if (disposed) {
      apply([action]);
      return;
    }
    queue.push(action);
    if (!measuring) schedule();
  };
  return {
    dispatch,
    flush,
    dispose: () => {
      flush();
      disposed = true;
    },
    applied: () =>
      new Promise<void>((resolve) => {
        if (queue.length === 0 || disposed) setImmediate(resolve);
        else waiting.push(resolve);
      }),
  };
}
