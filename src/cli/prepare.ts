/**
 * Shared start-up steps of every CLI mode: load and validate lanes.yaml, and fill in each
 * worktree's realpath (so symlinked paths compare equal in workspace checks).
 */
import { loadConfig } from '../config/index.js';
import type { BoardConfig } from '../state/config-types.js';
import { withRealpaths } from '../runtime/worktrees.js';

export { withRealpaths };

/**
 * Give every worker `LANEBOARD_CONFIG_DIR` (the directory of lanes.yaml), so commands can
 * name scripts that live beside the config (the shipped demo does). A value set in the
 * lane's `env` wins.
 */
function withConfigDirEnv(config: BoardConfig): BoardConfig {
  return {
    ...config,
    lanes: config.lanes.map((l) => ({ ...l, env: { LANEBOARD_CONFIG_DIR: config.dir, ...l.env } })),
  };
}

/**
 * Load lanes.yaml at `file` (throws ConfigError with file:line:column issues), add the
 * config-dir variable to every lane's env and resolve worktree realpaths.
 */
export async function prepareConfig(file: string): Promise<BoardConfig> {
  return withRealpaths(withConfigDirEnv(await loadConfig(file)));
}
