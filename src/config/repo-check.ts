/** Is a directory a git repository? (synchronous filesystem checks, never throws) */
import fs from 'node:fs';
import path from 'node:path';

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * Check that `dir` (absolute) is a git repository: it contains `.git` (a directory, or a
 * file as in linked worktrees and submodules), or it is a bare repository (a `HEAD` file
 * and an `objects` directory). Does not run git.
 * @returns `null` when it is a repository, else a short reason: `does not exist`,
 *   `is not a directory`, `cannot be read (EACCES)`, or `is not a git repository (no .git,
 *   and not a bare repository)`.
 */
export function gitRepoProblem(dir: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code})`;
  }
  if (!st.isDirectory()) return 'is not a directory';
  if (statOrNull(path.join(dir, '.git')) !== null) return null;
  if (
    statOrNull(path.join(dir, 'HEAD'))?.isFile() &&
    statOrNull(path.join(dir, 'objects'))?.isDirectory()
  ) {
    return null;
  }
  return 'is not a git repository (no .git, and not a bare repository)';
}
