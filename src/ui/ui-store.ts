/**
 * The UI state held in a small zustand vanilla store (one per `<App>`), so the input
 * router reads the current state synchronously: two keys arriving before React re-renders
 * (key repeat, fast typing) still see each other's effect.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { initialUiState, uiReducer } from './ui-state.js';
import type { UiAction, UiState } from './ui-state.js';

/** A UI store: zustand StoreApi plus `dispatch`. */
export type UiStore = StoreApi<UiState> & { dispatch(action: UiAction): void };

/** Create a UI store, optionally from a given state (tests). */
export function createUiStore(initial: UiState = initialUiState): UiStore {
  const store = createStore<UiState>()(() => initial);
  const dispatch = (action: UiAction): void => {
    const prev = store.getState();
    const next = uiReducer(prev, action);
    if (next !== prev) store.setState(next, true);
  };
  return Object.assign(store, { dispatch });
}
