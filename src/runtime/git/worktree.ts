/**
 * Creating a lane's worktree on explicit config (`createWorktree: true`): the one write
 * the board makes to a repository. Existing worktrees and branches are never modified.
 */
import { pathExists } from '../path-exists.js';
import type { LaneConfig } from '../../state/config-types.js';
import { invalidRefReason } from './probe.js';
import { runGit } from './run-git.js';

/** Result of {@link ensureWorktree}; `error` is one human line. */
export type EnsureWorktreeResult =
  { readonly ok: true; readonly created: boolean } | { readonly ok: false; readonly error: string };

/** Options of {@link ensureWorktree}. */
export interface EnsureWorktreeOptions {
  /** Timeout of each git call (ms); `worktree add` gets 4× this (it checks out files). */
  readonly timeoutMs: number;
  /** Extra environment for git. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Make sure `lane.worktree` exists when the lane asks for it.
 *
 * - `createWorktree` false, or the path already exists (whatever it is): nothing is done,
 *   `{ ok: true, created: false }`.
 * - Otherwise, in `lane.repo`: when `refs/heads/<branch>` exists,
 *   `git worktree add <worktree> <branch>`; else `git worktree add -b <branch> <worktree> <base>`
 *   (a new branch starting at base). Parent directories are created by git.
 *
 * @returns `{ ok: true, created: true }` on creation, `{ ok: false, error }` when the repo
 *   is missing, a name is unusable, or git refuses (branch checked out elsewhere, base
 *   unknown…). Never rejects.
 */
export async function ensureWorktree(
  lane: LaneConfig,
  opts: EnsureWorktreeOptions,
): Promise<EnsureWorktreeResult> {
  if (!lane.createWorktree || (await pathExists(lane.worktree)))
    return { ok: true, created: false };
  const branchProblem = invalidRefReason(lane.branch);
  if (branchProblem !== null)
    return { ok: false, error: `branch '${lane.branch}' ${branchProblem}` };
  const baseProblem = invalidRefReason(lane.base);
  if (baseProblem !== null) return { ok: false, error: `base ref '${lane.base}' ${baseProblem}` };

  const opt = { cwd: lane.repo, timeoutMs: opts.timeoutMs, env: opts.env };
  const probe = await runGit(
    ['rev-parse', '--verify', '--quiet', `refs/heads/${lane.branch}`],
    opt,
  );
  let branchExists: boolean;
  if (probe.ok) branchExists = true;
  else if (probe.exitCode === 1 && probe.code !== 'timeout') branchExists = false;
  else return { ok: false, error: `cannot read repo ${lane.repo}: ${probe.message}` };

  const args = branchExists
    ? ['worktree', 'add', lane.worktree, lane.branch]
    : ['worktree', 'add', '-b', lane.branch, lane.worktree, lane.base];
  const add = await runGit(args, { ...opt, timeoutMs: opts.timeoutMs * 4 });
  if (!add.ok) return { ok: false, error: `git worktree add failed: ${add.message}` };
  return { ok: true, created: true };
}
