/**
 * Shared start-up steps of every CLI mode: load and validate lanes.yaml, and fill in each
 * worktree's realpath (so symlinked paths compare equal in workspace checks).
 */
import { realpath } from 'node:fs/promises';
import { loadConfig } from '../config/index.js';
import type { BoardConfig, LaneConfig } from '../state/config-types.js';

/** Lane config with `worktreeRealpath` filled when the worktree exists. */
export async function withRealpaths(config: BoardConfig): Promise<BoardConfig> {
  const lanes: LaneConfig[] = await Promise.all(
    config.lanes.map(async (lane) => {
      try {
        return { ...lane, worktreeRealpath: await realpath(lane.worktree) };
      } catch {
        return lane;
      }
    }),
  );
  return { ...config, lanes };
}

/**
 * Load lanes.yaml at `file` (throws ConfigError with file:line:column issues) and resolve
 * worktree realpaths.
 */
export async function prepareConfig(file: string): Promise<BoardConfig> {
  return withRealpaths(await loadConfig(file));
}
