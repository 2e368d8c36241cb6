/**
 * The read side shared by the board and `--json --watch`: a store configured with the
 * lanes, a batching dispatch (one store update per ~frame), and the git and bridge
 * watchers wired so lane activity refreshes that lane's git state.
 */
import type { BoardConfig } from '../state/config-types.js';
import { createBoardStore } from '../state/store.js';
import type { BoardStore } from '../state/store.js';
import { createBatchedDispatch } from '../runtime/batch.js';
import type { BatchOptions, BatchedDispatch } from '../runtime/batch.js';
import { createLaneWatchers } from '../runtime/lane-watchers.js';
import type { Clock, Dispatch } from '../runtime/types.js';

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
  const batch = createBatchedDispatch((actions) => store.dispatchAll(actions), batchOptions);
  const dispatch = batch.dispatch;
  const { lanes, settings } = config;
  const watchers = createLaneWatchers({ lanes, settings, dispatch, clock });
  return {
    store,
    batch,
    dispatch,
    refreshGit: (id) => watchers.refresh(id),
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
    },
  };
}
