/**
 * The files a lane's bridge reader refreshes ("targets"), their names and paths (bridge
 * contract "Files a worker writes"; claw-code's `.claw/worker-state.json` in the worktree).
 */
import { join } from 'node:path';
import type { BridgeDocKind } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';

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
  'state.json': 'state',
  'result.json': 'result',
  'events.jsonl': 'events',
  'hook-events.jsonl': 'hooks',
};

/** claw-code's worker state file, relative to the lane's worktree. */
export const CLAW_DIR = '.claw';
/** claw-code's worker state file name inside {@link CLAW_DIR}. */
export const CLAW_FILE_NAME = 'worker-state.json';

/** File name of each target as it appears in actions and messages. */
export const TARGET_FILE: Readonly<Record<BridgeTarget, string>> = {
  state: 'state.json',
  result: 'result.json',
  claw: `${CLAW_DIR}/${CLAW_FILE_NAME}`,
  events: 'events.jsonl',
  hooks: 'hook-events.jsonl',
};

/** Absolute path of `target` for `lane`. */
export function targetPath(lane: LaneConfig, target: BridgeTarget): string {
  if (target === 'claw') return join(lane.worktree, CLAW_DIR, CLAW_FILE_NAME);
  return join(lane.bridge, TARGET_FILE[target]);
}
