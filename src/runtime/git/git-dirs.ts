/**
 * Where a worktree's git metadata lives: its own git dir (HEAD, index; for a linked
 * worktree `<common>/worktrees/<name>`) and the repository's common dir (refs,
 * packed-refs; shared by every worktree of the repo). The git watcher watches these.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { GitErrorCode } from './run-git.js';
import { runGit } from './run-git.js';

/** Absolute, symlink-resolved metadata directories of one worktree. */
export interface GitDirs {
  /** Per-worktree git dir (holds HEAD and index). */
  readonly gitDir: string;
  /** Shared common dir (holds refs/ and packed-refs); equals gitDir for the main worktree. */
  readonly commonDir: string;
}

/** Resolve a path through symlinks when possible, else return it normalized. */
async function canonical(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Ask git (`rev-parse --path-format=absolute --git-dir --git-common-dir`, git ≥ 2.31) where
 * `worktree`'s metadata lives.
 *
 * @returns the two directories, or `{ ok: false, code, message }` with the {@link runGit}
 *   error code (`no_worktree`, `not_git`, `git_missing`, `timeout`, `other`). Never rejects.
 */
export async function resolveGitDirs(
  worktree: string,
  opts: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<
  | ({ readonly ok: true } & GitDirs)
  | { readonly ok: false; readonly code: GitErrorCode; readonly message: string }
> {
  const r = await runGit(['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'], {
    cwd: worktree,
    timeoutMs: opts.timeoutMs,
    env: opts.env,
  });
  if (!r.ok) return { ok: false, code: r.code, message: r.message };
  const [gitDir, commonDir] = r.stdout.split('\n').filter((l) => l.length > 0);
  if (gitDir === undefined || commonDir === undefined) {
    return { ok: false, code: 'other', message: 'git rev-parse printed no git dir' };
  }
  return { ok: true, gitDir: await canonical(gitDir), commonDir: await canonical(commonDir) };
}
