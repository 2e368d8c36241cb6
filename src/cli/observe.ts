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
import { createBridgeWatcher } from '../runtime/bridge/index.js';
import { createGitWatcher } from '../runtime/git/index.js';
import type { Clock, Dispatch } from '../runtime/types.js';

/** What {@link createObservers} returns; `start`/`dispose` cover both watchers. */
export interface Observers {
  readonly store: BoardStore;
  readonly batch: BatchedDispatch;
  readonly dispatch: Dispatch;
  /** Re-probe one lane's git state now (debounced by the git watcher). */
  refreshGit(laneId: string): void;
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
    start: async () => {
      await Promise.all([git.start(), bridge.start()]);
    },
    dispose: async () => {
      await Promise.allSettled([bridge.dispose(), git.dispose()]);
      batch.dispose();
    },
  };
}
