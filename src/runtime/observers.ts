/**
 * The read side of every runtime: a store configured with the lanes, a batching dispatch
 * (one store update per ~frame, src/runtime/batch.ts), and the git and bridge watchers
 * wired so lane activity refreshes that lane's git state. Listeners registered with
 * `onActions` see every batch of actions right after the store applied it (the attached
 * board's stream replays them into its own store).
 */
import type { Action } from '../state/actions.js';
import type { BoardConfig } from '../state/config-types.js';
import { createBoardStore } from '../state/store.js';
import type { BoardStore } from '../state/store.js';
import { createBatchedDispatch } from './batch.js';
import type { BatchOptions, BatchedDispatch } from './batch.js';
import { createBridgeWatcher } from './bridge/index.js';
import { createGitWatcher } from './git/index.js';
import type { Clock, Dispatch } from './types.js';

/** Receives one applied batch of actions (in dispatch order). Must not throw. */
export type ActionsListener = (actions: readonly Action[]) => void;

/** What {@link createObservers} returns; `start`/`dispose` cover both watchers. */
export interface Observers {
  readonly store: BoardStore;
  readonly batch: BatchedDispatch;
  readonly dispatch: Dispatch;
  /** Re-probe one lane's git state now (debounced by the git watcher). */
  refreshGit(laneId: string): void;
  /** Call `listener` after every applied batch; returns the unsubscribe function. */
  onActions(listener: ActionsListener): () => void;
  /** Start both watchers; resolves once their first reads are done (never rejects on lane errors). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Build the store and the watchers for `config`. `batchOptions` tunes how store updates
 * are coalesced (src/runtime/batch.ts; the board uses the defaults). Nothing runs until
 * `start()`.
 */
export function createObservers(
  config: BoardConfig,
  clock: Clock,
  batchOptions: BatchOptions = {},
): Observers {
  const store = createBoardStore();
  store.dispatch({
    type: 'lanes/configured',
    lanes: config.lanes,
    settings: config.settings,
    at: clock.now(),
  });
  const listeners = new Set<ActionsListener>();
  const batch = createBatchedDispatch((actions) => {
    store.dispatchAll(actions);
    for (const l of listeners) {
      try {
        l(actions);
      } catch {
        // a broken listener (a closed stream) must not stop the store
      }
    }
  }, batchOptions);
  const dispatch = batch.dispatch;
  const { lanes, settings } = config;
  const git = createGitWatcher({ lanes, settings, dispatch, clock });
  const bridge = createBridgeWatcher({
    lanes,
    settings,
    dispatch,
    clock,
    onActivity: (id) => git.refresh(id),
  });
  return {
    store,
    batch,
    dispatch,
    refreshGit: (id) => git.refresh(id),
    onActions: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    start: async () => {
      await Promise.all([git.start(), bridge.start()]);
    },
    dispose: async () => {
      await Promise.allSettled([bridge.dispose(), git.dispose()]);
      batch.dispose();
      listeners.clear();
    },
  };
}
