/**
 * Start-up steps on the lanes' worktrees shared by every runtime: create the worktrees
 * of lanes with `createWorktree` (git worktree add), and fill each lane's
 * `worktreeRealpath` (so symlinked paths compare equal in workspace checks).
 */
import { realpath } from 'node:fs/promises';
import type { BoardConfig, LaneConfig } from '../state/config-types.js';
import { ensureWorktree } from './git/index.js';

/** Lane config with `worktreeRealpath` filled when the worktree exists (else unchanged). Never throws. */
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
 * Create the worktree of every lane with `createWorktree` that lacks one (one lane after
 * the other; git timeout at least 30 s). Never throws: each failure becomes one line of
 * the returned list (`lane <id>: could not create worktree <path>: <git error>`).
 */
export async function createWorktrees(config: BoardConfig): Promise<string[]> {
  const notes: string[] = [];
  for (const lane of config.lanes) {
    if (!lane.createWorktree) continue;
    const r = await ensureWorktree(lane, {
      timeoutMs: Math.max(config.settings.gitTimeoutMs, 30_000),
    });
    if (!r.ok)
      notes.push(`lane ${lane.id}: could not create worktree ${lane.worktree}: ${r.error}`);
  }
  return notes;
}
