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
import { createLaneWatchers } from './lane-watchers.js';
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
  /**
   * Apply a new config (live lanes.yaml): the store takes the new lane set and settings
   * (kept lanes keep their state; a lane whose watched paths changed starts afresh) and
   * the watchers follow (src/runtime/lane-watchers.ts). Never rejects.
   */
  reconfigure(config: BoardConfig): Promise<void>;
  /** Call `listener` after every applied batch; returns the unsubscribe function. */
  onActions(listener: ActionsListener): () => void;
  /** Start both watchers; resolves once their first reads are done (never rejects on lane errors). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Build the store and the watchers for `config`. `batchOptions` tunes how store updates
 * are coalesced (src/runtime/batch.ts; the board uses the defaults). `draws`: a board
 * draws this store, so the first git read runs the dirty lanes' diffs once the rows are
 * applied and drawn (the batch's `applied()`; src/runtime/git/watcher.ts). Nothing runs
 * until `start()`.
 */
export function createObservers(
  config: BoardConfig,
  clock: Clock,
  batchOptions: BatchOptions = {},
  draws = false,
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
  const watchers = createLaneWatchers({
    lanes,
    settings,
    dispatch,
    clock,
    ...(draws ? { applied: () => batch.applied() } : {}),
  });
  return {
    store,
    batch,
    dispatch,
    refreshGit: (id) => watchers.refresh(id),
    onActions: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    reconfigure: async (next) => {
      const at = clock.now();
      const configured = (l: BoardConfig['lanes']): void =>
        dispatch({ type: 'lanes/configured', lanes: l, settings: next.settings, at });
      // The store learns the new set before the new watchers report; a lane whose
      // watched paths changed starts afresh (dropped, then configured again).
      const changed = watchers.changedLanes(next.lanes);
      if (changed.length > 0) configured(next.lanes.filter((l) => !changed.includes(l.id)));
      configured(next.lanes);
      await watchers.reconfigure(next.lanes, next.settings);
    },
    start: () => watchers.start(),
    dispose: async () => {
      await watchers.dispose();
      batch.dispose();
      listeners.clear();
    },
  };
}
