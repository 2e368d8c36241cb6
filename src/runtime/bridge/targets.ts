/**
 * The files a lane's bridge reader refreshes ("targets"), their names and paths (bridge
 * contract "Files a worker writes"; claw-code's `.claw/worker-state.json` in the worktree).
 */
import { join } from 'node:path';
import type { BridgeDocKind } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';
import { BRIDGE_FILE, CLAW_DIR, CLAW_FILE, CLAW_FILE_NAME } from '../../state/bridge-files.js';

/** A thing the lane reader refreshes: one of its files. */
export type BridgeTarget = BridgeDocKind | 'events' | 'hooks';

/** Every target, in the order a full read visits them. */
export const BRIDGE_TARGETS: readonly BridgeTarget[] = [
  'state',
  'result',
  'claw',
  'events',
  'hooks',
];

/** Bridge-dir file names the board reads, by target (bridge contract "Files a worker writes"). */
export const BRIDGE_FILES: Readonly<Record<string, BridgeTarget>> = {
  [BRIDGE_FILE.state]: 'state',
  [BRIDGE_FILE.result]: 'result',
  [BRIDGE_FILE.events]: 'events',
  [BRIDGE_FILE.hookEvents]: 'hooks',
};

export { CLAW_DIR, CLAW_FILE_NAME } from '../../state/bridge-files.js';

/** File name of each target as it appears in actions and messages. */
export const TARGET_FILE: Readonly<Record<BridgeTarget, string>> = {
  state: BRIDGE_FILE.state,
  result: BRIDGE_FILE.result,
  claw: CLAW_FILE,
  events: BRIDGE_FILE.events,
  hooks: BRIDGE_FILE.hookEvents,
};

/** Absolute path of `target` for `lane`. */
export function targetPath(lane: LaneConfig, target: BridgeTarget): string {
  if (target === 'claw') return join(lane.worktree, CLAW_DIR, CLAW_FILE_NAME);
  return join(lane.bridge, TARGET_FILE[target]);
}
