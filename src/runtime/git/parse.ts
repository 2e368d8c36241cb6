/**
 * Pure parsers for the git outputs the probe reads. Formats are git's documented machine
 * formats (git-status(1) "Porcelain Format Version 2", git-rev-list(1) `--left-right
 * --count`); anything unexpected is skipped or reported as null, never thrown.
 */

/** What `git status --porcelain=v2 --branch -z` says about a worktree. */
export interface StatusSummary {
  /** `# branch.oid`: full HEAD sha, or null for an unborn branch (`(initial)`) / no header. */
  readonly head: string | null;
  /** `# branch.head`: branch name, or null when detached (`(detached)`) / no header. */
  readonly branch: string | null;
  /** `# branch.upstream`, null when the branch has none. */
  readonly upstream: string | null;
  /** `# branch.ab +A -B`: commits ahead of / behind the upstream; null when absent (upstream gone). */
  readonly upstreamAhead: number | null;
  readonly upstreamBehind: number | null;
  /** Entry counts. A changed entry counts as staged when X ≠ '.', unstaged when Y ≠ '.' (both possible). */
  readonly staged: number;
  readonly unstaged: number;
  readonly untracked: number;
  /** Unmerged (`u`) entries. */
  readonly conflicted: number;
}

/**
 * Parse `git status --porcelain=v2 --branch -z [--untracked-files=normal]` output, or
 * the same without `-z` (`sep` `'\n'`, lane-batch.ts): the same summary either way.
 *
 * With `-z`, records are NUL-terminated and a rename/copy record (`2 …`) is followed by
 * one extra NUL-terminated field (the original path), which is skipped; without it, every
 * record is one line (the original path follows a TAB on the same line, and paths with
 * control characters are C-quoted). Unknown record types and ignored entries (`!`) are
 * skipped. Never throws.
 */
export function parseStatusV2(out: string, sep: '\0' | '\n' = '\0'): StatusSummary {
  let head: string | null = null;
  let branch: string | null = null;
  let upstream: string | null = null;
  let upstreamAhead: number | null = null;
  let upstreamBehind: number | null = null;
  let staged = 0;
  let unstaged = 0;
  let untracked = 0;
  let conflicted = 0;

  const records = out.split(sep);
  for (let i = 0; i < records.length; i++) {
    const rec = records[i] ?? '';
    if (rec.length === 0) continue;
    const kind = rec[0];
    if (kind === '#') {
      const [, key, ...rest] = rec.split(' ');
      const value = rest.join(' ');
      if (key === 'branch.oid') head = value === '(initial)' || value.length === 0 ? null : value;
      else if (key === 'branch.head')
        branch = value === '(detached)' || value.length === 0 ? null : value;
      else if (key === 'branch.upstream') upstream = value.length > 0 ? value : null;
      else if (key === 'branch.ab') {
        const m = /^\+(\d+) -(\d+)$/.exec(value);
        if (m) {
          upstreamAhead = Number(m[1]);
          upstreamBehind = Number(m[2]);
        }
      }
    } else if (kind === '1' || kind === '2') {
      const xy = rec.slice(2, 4);
      if (xy[0] !== undefined && xy[0] !== '.') staged++;
      if (xy[1] !== undefined && xy[1] !== '.') unstaged++;
      if (kind === '2' && sep === '\0') i++; // skip the original-path field
    } else if (kind === 'u') {
      conflicted++;
    } else if (kind === '?') {
      untracked++;
    }
  }
  return {
    head,
    branch,
    upstream,
    upstreamAhead,
    upstreamBehind,
    staged,
    unstaged,
    untracked,
    conflicted,
  };
}

/**
 * Parse `git rev-list --left-right --count <base>...HEAD` output: two integers separated
 * by whitespace, LEFT (= on base, not on HEAD = behind) first, then RIGHT (= ahead).
 * Returns null when the output is not exactly two non-negative integers.
 */
export function parseLeftRightCount(
  out: string,
): { readonly behind: number; readonly ahead: number } | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(out);
  if (!m) return null;
  return { behind: Number(m[1]), ahead: Number(m[2]) };
}

/**
 * First `limit` non-empty lines of `out` (one commit subject per line), dropping a last
 * line that may be partial when `truncated` is true.
 */
export function firstLines(out: string, limit: number, truncated = false): string[] {
  const lines = out.split('\n');
  if (truncated) lines.pop();
  return lines.filter((l) => l.length > 0).slice(0, limit);
}
