/**
 * Coalesces a burst of actions into one store update per frame (pitfalls.md: React
 * commits every store update, so a 5 ms update storm must become one flush every
 * ~33-100 ms). Order is preserved; nothing is dropped.
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
 * Wrap `apply` (which applies many actions and notifies once) so actions dispatched
 * within `intervalMs` (default 33 ms) are applied together. The first action of a burst
 * is delayed at most `intervalMs`.
 */
export function createBatchedDispatch(
  apply: (actions: readonly Action[]) => void,
  intervalMs = 33,
): BatchedDispatch {
  let queue: Action[] = [];
  let timer: NodeJS.Timeout | null = null;
  let disposed = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    apply(batch);
  };
  const dispatch: Dispatch = (action) => {
    if (disposed) {
      apply([action]);
      return;
    }
    queue.push(action);
    timer ??= setTimeout(flush, intervalMs);
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
