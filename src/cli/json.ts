/**
 * `laneboard --json`: one snapshot on stdout, built with the same selectors as the
 * board. Read-only: never starts Ink, never starts or stops workers, never creates
 * worktrees. Lanes are read concurrently (bridge files, the running board's supervisor
 * record); git is read for all lanes at once with few processes ({@link probeLanes}).
 */
import { newestHookError } from '../runtime/hook-errors.js';
import type { BoardConfig } from '../state/config-types.js';
import { selectSnapshot } from '../state/snapshot.js';
import { createBoardStore } from '../state/store.js';
import { readBridgeOnce } from '../runtime/bridge/index.js';
import { probeLanes } from '../runtime/git/index.js';
import { readWorkerStates } from '../runtime/record-view.js';
import { systemClock } from '../runtime/types.js';

/**
 * Build the snapshot object for `config` at the current time. `banner` (a discovered
 * board's note, see src/cli/discover.ts) becomes the first of the snapshot's `notices`.
 */
export async function buildSnapshot(
  config: BoardConfig,
  banner: string | null = null,
): Promise<Record<string, unknown>> {
  const now = systemClock.now();
  const store = createBoardStore();
  store.dispatch({
    type: 'lanes/configured',
    lanes: config.lanes,
    settings: config.settings,
    at: now,
  });
  if (banner !== null) store.dispatch({ type: 'board/notice', message: banner, at: now });
  // Hook problems no lane could own (src/runtime/hook-errors.ts): the newest one.
  const hookError = await newestHookError(config.stateDir);
  if (hookError !== null) store.dispatch({ type: 'board/notice', ...hookError });
  // Bridge documents are folded into the store as each lane's read completes, while git
  // runs (a long events history costs tens of ms to fold); git actions follow in one
  // batch. Bridge and git fill separate parts of a lane, so the order does not matter.
  const [, git, workers] = await Promise.all([
    Promise.all(
      config.lanes.map(async (lane) => {
        store.dispatchAll(await readBridgeOnce(lane, config.settings, now));
      }),
    ),
    probeLanes(config.lanes, {
      timeoutMs: config.settings.gitTimeoutMs,
      diffStats: config.settings.diffStats,
      oneShot: true,
      at: () => systemClock.now(),
    }),
    readWorkerStates(config, now),
  ]);
  store.dispatchAll([...git.actions, ...workers, { type: 'clock/tick', at: systemClock.now() }]);
  // Computed by this command (no runtime answered): origin "probe".
  return { ...selectSnapshot(store.getState()), origin: 'probe' };
}

/**
 * Print one snapshot (pretty when `pretty`; `banner` as in {@link buildSnapshot}) to stdout. Resolves once the text has been
 * handed to the OS: the entry calls `process.exit()` next, which would otherwise cut a
 * large snapshot written to a pipe (seen at 200 lanes: 128 KiB of 316 KiB arrived).
 */
export async function runJson(
  config: BoardConfig,
  pretty: boolean,
  banner: string | null = null,
): Promise<void> {
  const snap = await buildSnapshot(config, banner);
  const text = `${JSON.stringify(snap, null, pretty ? 2 : 0)}\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}
