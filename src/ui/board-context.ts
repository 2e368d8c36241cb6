/**
 * React context carrying the board store and the runtime {@link Controls}; tests build a
 * fresh store per case and pass it to `<App>`, so there is no module singleton.
 */
import { createContext, useContext, useRef } from 'react';
import { useStore } from 'zustand';
import type { Controls } from '../runtime/types.js';
import type { BoardStore } from '../state/store.js';
import type { BoardState } from '../state/types.js';
import type { ScreenClock } from './screen-clock.js';

/** What the board context holds. */
export interface BoardContextValue {
  readonly store: BoardStore;
  readonly controls: Controls;
  /** The one timer of ages on screen (./screen-clock.ts). */
  readonly clock: ScreenClock;
}

/** The context; null outside `<App>`. */
export const BoardContext = createContext<BoardContextValue | null>(null);

/**
 * The store and controls of the enclosing `<App>`.
 * @throws Error when used outside `<App>` (a programming error).
 */
export function useBoard(): BoardContextValue {
  const v = useContext(BoardContext);
  if (v === null) throw new Error('useBoard() used outside <App>');
  return v;
}

/**
 * Subscribe to a slice of the board state. The selector must return a primitive or a
 * stable reference (zustand pitfall: a fresh object each call loops forever); use
 * {@link useBoardSelectorEq} for derived objects.
 */
export function useBoardSelector<T>(selector: (s: BoardState) => T): T {
  return useStore(useBoard().store, selector);
}

/**
 * Subscribe to a derived value compared with `equal`: while `equal(prev, next)` holds the
 * previous reference is returned, so the component does not re-render (the `useShallow`
 * pattern with a custom comparison).
 */
export function useBoardSelectorEq<T>(
  selector: (s: BoardState) => T,
  equal: (a: T, b: T) => boolean,
): T {
  const prev = useRef<{ value: T } | null>(null);
  return useBoardSelector((s) => {
    const next = selector(s);
    if (prev.current !== null && equal(prev.current.value, next)) return prev.current.value;
    prev.current = { value: next };
    return next;
  });
}
