/**
 * Screen time (epoch ms) for a pane that shows exact ages (the detail pane, the peek):
 * the board state's `now` moved on by the screen clock (./screen-clock.ts), advancing in
 * whole `everyMs` steps while the pane is mounted and not at all once it is gone.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { BoardStore } from '../state/store.js';
import { useBoard } from './board-context.js';
import type { ScreenClock } from './screen-clock.js';

/**
 * A `useSyncExternalStore` subscribe function for both the board store and the screen
 * clock (stable per board): what reads board state at screen time re-renders on either.
 */
export function useBoardAndClock(): {
  store: BoardStore;
  clock: ScreenClock;
  subscribe: (onChange: () => void) => () => void;
} {
  const { store, clock } = useBoard();
  const subscribe = useCallback(
    (onChange: () => void) => {
      const a = store.subscribe(onChange);
      const b = clock.subscribe(onChange);
      return () => {
        a();
        b();
      };
    },
    [store, clock],
  );
  return { store, clock, subscribe };
}

/** Screen time, re-rendered every `everyMs` (ms, default 1000) on behalf of `owner`. */
export function useScreenTime(owner: string, everyMs = 1_000): number {
  const { store, clock, subscribe } = useBoardAndClock();
  const getSnapshot = (): number => {
    clock.observe(store.getState().now);
    const now = clock.now();
    clock.request(owner, (Math.floor(now / everyMs) + 1) * everyMs);
    return now;
  };
  useEffect(() => () => clock.request(owner, null), [clock, owner]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
