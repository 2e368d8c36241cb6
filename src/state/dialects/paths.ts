/**
 * POSIX path containment as pure string logic (no fs, no realpath: callers pass both the
 * configured worktree path and its realpath as roots). Used for workspace-mismatch checks.
 */

/**
 * Normalize an absolute POSIX path: collapse `//`, drop `.`, resolve `..` (never above
 * `/`), drop a trailing slash. Returns null for a relative, empty or non-string path
 * (containment of a relative path cannot be decided without a cwd).
 */
export function normalizePosixPath(p: unknown): string | null {
  if (typeof p !== 'string' || !p.startsWith('/') || p.length > 4096 || p.includes('\0'))
    return null;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * True when `p` is one of `roots` or lies below one of them, after normalizing both
 * (trailing slashes, `.` and `..` segments). `/a/bc` is not inside `/a/b`. Relative or
 * non-string paths are never inside; an empty `roots` list contains nothing.
 */
export function isInsidePath(p: string, roots: readonly string[]): boolean {
  const np = normalizePosixPath(p);
  if (np === null) return false;
  for (const r of roots) {
    const nr = normalizePosixPath(r);
    if (nr === null) continue;
    if (nr === '/' || np === nr || np.startsWith(`${nr}/`)) return true;
  }
  return false;
}
