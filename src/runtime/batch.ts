/**
 * Coalesces store updates so the work they cause (reducer, React commit, and in the
 * board one Ink frame that rebuilds the whole screen: ~20-25 ms at 200×60, measured with
 * bench/micro/render.tsx) stays within a CPU budget, without delaying updates while the
 * board is quiet. Order is preserved; nothing is dropped.
 *
 * Policy (a token bucket on flush cost):
 * - Actions dispatched in one event-loop turn are applied together on the next
 *   `setImmediate` (one store update, one frame).
 * - Each flush is timed from its start until the microtasks it queued have run (so the
 *   synchronous work of subscribers and React's commit with Ink's render count, and
 *   unrelated I/O callbacks do not).
 * - Tokens refill at `duty` ms per ms of wall time up to `burstMs`; a flush may start
 *   only while the bucket is not in debt, and spends its measured cost. A quiet board or
 *   an occasional update (a lane heartbeat, an operator's isolated write) therefore hits
 *   the screen at once; a storm of updates settles at about `duty` of one core spent on
 *   flushes, with the last state of every lane always applied by the trailing flush.
 */
import type { Action } from '../state/actions.js';
import { TokenBucket } from './token-bucket.js';
import type { Dispatch } from './types.js';

/** A batching dispatch: `dispatch` queues, `flush` applies now, `dispose` flushes and stops. */
export interface BatchedDispatch {
  readonly dispatch: Dispatch;
  flush(): void;
  dispose(): void;
}

/** Tuning of {@link createBatchedDispatch}. */
export interface BatchOptions {
  /** Share of one core that flushes may use on average (0-1). @default 0.3 */
  readonly duty?: number;
  /** Bucket size: flush cost (ms) that may be spent at once after a quiet period. @default 100 */
  readonly burstMs?: number;
  /** Least time between the starts of two flushes (ms). @default 0 */
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
  const duty = Math.min(1, Math.max(0.01, opts.duty ?? 0.3));
  const burstMs = Math.max(1, opts.burstMs ?? 100);
  const minIntervalMs = Math.max(0, opts.minIntervalMs ?? 0);
  const now = opts.now ?? (() => performance.now());
  let queue: Action[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const bucket = new TokenBucket(burstMs, duty, now);
  let lastStart = -Infinity;
  let measuring = false;
  let disposed = false;

  /** ms to wait before the next flush may start (0: now): no debt, and the min interval. */
  const waitMs = (): number => Math.max(bucket.waitMs(0), lastStart + minIntervalMs - now(), 0);
  const schedule = (): void => {
    if (timer !== null || immediate !== null || queue.length === 0 || disposed) return;
    const wait = waitMs();
    if (wait <= 0) immediate = setImmediate(flush);
    else timer = setTimeout(flush, Math.ceil(wait));
  };
  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
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
          bucket.spend(now() - start);
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
  };
}
