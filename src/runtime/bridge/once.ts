/**
 * One-shot read of a lane's bridge for `laneboard --json`: no watchers, no timers.
 */
import type { Action } from '../../state/actions.js';
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import { LaneBridge } from './lane-bridge.js';

/**
 * Reads everything of one lane once and returns the actions a watcher's first scan would
 * dispatch, all stamped `at`:
 * - bridge dir unhealthy ⇒ `bridge/dirError` (bridge-dir files are then not read);
 * - per document (`state`, `result`, `claw`): `bridge/doc`, `bridge/missing` or `bridge/docError`;
 * - per events file with complete lines: one or more `bridge/events` (whole file, in order);
 * - a file-level events problem ⇒ `bridge/eventsError`.
 * Never rejects; leaves no handles or timers behind.
 */
export async function readBridgeOnce(
  lane: LaneConfig,
  settings: BoardSettings,
  at: number,
): Promise<Action[]> {
  const actions: Action[] = [];
  const reader = new LaneBridge({
    lane,
    settings,
    clock: { now: () => at },
    emit: (action) => actions.push(action),
  });
  await reader.scan(true);
  reader.close();
  return actions;
}
