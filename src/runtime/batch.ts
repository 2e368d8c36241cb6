/**
 * Coalesces a burst of actions into one store update per frame (pitfalls.md: React
 * commits every store update, and every Ink frame rebuilds the whole screen, ~20-25 ms at
 * 200×60 measured with bench/micro/render.tsx, so a storm of updates must become at most
 * one flush every ~33-100 ms). Order is preserved; nothing is dropped.
 *
 * Leading edge: an action that arrives after a quiet period (no flush within the last
 * `intervalMs`) is applied on the next `setImmediate`, so an isolated bridge write
 * reaches the screen without waiting out the window; actions dispatched in the same
 * event-loop turn still land in one flush. During a burst, flushes are spaced
 * `intervalMs` apart (trailing flush at the end of each window).
 */
import type { Action } from '../state/actions.js';
import type { Dispatch } from './types.js';

/** A batching dispatch: `dispatch` queues, `flush` applies now, `dispose` flushes and stops. */
export interface BatchedDispatch {
  readonly dispatch: Dispatch;
  flush(): void;
  dispose(): void;
}

/**
 * Wrap `apply` (which applies many actions and notifies once) so that at most one
 * `apply` happens per `intervalMs` (default 33 ms). The first action after a quiet
 * period is applied on the next event-loop turn; later ones wait for the end of the
 * window. `now` is the time source (ms, monotonic; tests may pass their own).
 */
export function createBatchedDispatch(
  apply: (actions: readonly Action[]) => void,
  intervalMs = 33,
  now: () => number = () => performance.now(),
): BatchedDispatch {
  let queue: Action[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let lastFlush = -Infinity;
  let disposed = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    lastFlush = now();
    apply(batch);
  };
  const dispatch: Dispatch = (action) => {
    if (disposed) {
      apply([action]);
      return;
    }
    queue.push(action);
    if (timer !== null || immediate !== null) return;
    const wait = lastFlush + intervalMs - now();
    if (wait <= 0) immediate = setImmediate(flush);
    else timer = setTimeout(flush, wait);
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
