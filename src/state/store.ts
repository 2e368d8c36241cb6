/**
 * The one store: a zustand vanilla store over {@link BoardState} with a `dispatch` that
 * runs the pure reducer. Subscribers (the Ink board, the JSON stream) are notified per
 * dispatch; rendering coalesces bursts itself (see src/ui and src/cli).
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Action } from './actions.js';
import { initialBoardState, reduce, reduceAll } from './reducer.js';
import type { BoardState } from './types.js';

/** A board store: zustand's StoreApi plus `dispatch(action)`. */
export type BoardStore = StoreApi<BoardState> & {
  /** Apply one action through the reducer; a no-op action notifies nobody. */
  dispatch(action: Action): void;
  /** Apply many actions and notify subscribers once. */
  dispatchAll(actions: readonly Action[]): void;
};

/** Create a store, optionally from an initial state (tests build one per case). */
export function createBoardStore(initial: BoardState = initialBoardState()): BoardStore {
  const store = createStore<BoardState>()(() => initial);
  const dispatch = (action: Action): void => {
    const prev = store.getState();
    const next = reduce(prev, action);
    if (next !== prev) store.setState(next, true);
  };
  const dispatchAll = (actions: readonly Action[]): void => {
    const prev = store.getState();
    const next = reduceAll(prev, actions);
    if (next !== prev) store.setState(next, true);
  };
  return Object.assign(store, { dispatch, dispatchAll });
}
