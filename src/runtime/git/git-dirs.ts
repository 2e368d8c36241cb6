/**
 * Where a worktree's git metadata lives: its own git dir (HEAD, index; for a linked
 * worktree `<common>/worktrees/<name>`) and the repository's common dir (refs,
 * packed-refs; shared by every worktree of the repo). The git watcher watches these.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
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
function canonicalSync(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Read the metadata dirs from the worktree's `.git` without running git (one process per
 * lane saved): a `.git` directory is both dirs; a `.git` file (`gitdir: <path>`, a linked
 * worktree) names the git dir, whose `commondir` file (relative to it) names the common
 * dir. Returns null whenever the layout is anything else, or there is no `.git` entry (git
 * then decides). Never throws.
 *
 * Synchronous on purpose (a few small files per lane): at start the first git processes
 * are then spawned while Ink is still loading, instead of after a chain of async reads
 * that each wait for the busy main thread (figures: docs/performance.md, "Measured
 * choices").
 */
export function readGitDirsFromFilesSync(worktree: string): GitDirs | null {
  const dotGit = path.join(worktree, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) {
      const dir = canonicalSync(dotGit);
      return { gitDir: dir, commonDir: dir };
    }
    if (!st.isFile() || st.size > 4096) return null;
    const m = /^gitdir: (.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m?.[1]) return null;
    const gitDir = path.resolve(worktree, m[1]);
    if (!statSync(path.join(gitDir, 'HEAD')).isFile()) return null;
    let commonDir = gitDir;
    try {
      const rel = readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
      if (rel !== '') commonDir = path.resolve(gitDir, rel);
    } catch {
      // no commondir file: the git dir is its own common dir
    }
    return { gitDir: canonicalSync(gitDir), commonDir: canonicalSync(commonDir) };
  } catch {
    return null;
  }
}

/**
 * Where `worktree`'s metadata lives: read from its `.git` entry when that is the plain
 * layout git writes, else asked of git (`rev-parse --path-format=absolute --git-dir
 * --git-common-dir`, git ≥ 2.31).
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
  const fast = readGitDirsFromFilesSync(worktree);
  if (fast) return { ok: true, ...fast };
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
  return { ok: true, gitDir: canonicalSync(gitDir), commonDir: canonicalSync(commonDir) };
}
