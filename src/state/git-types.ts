/**
 * What the board knows about a lane's git worktree (from the git probes in
 * src/runtime/git): the facts of one probe and the lane's git state. Pure data, part of
 * the core state (./types.ts re-exports these); timestamps are epoch milliseconds.
 */

/**
 * Size of a lane's change against the merge base with its base ref: committed plus
 * uncommitted changes to tracked files, as `git diff --shortstat $(git merge-base <base>
 * HEAD)` counts them in the worktree (counts of files and lines).
 */
export interface DiffStat {
  readonly files: number;
  readonly insertions: number;
  readonly deletions: number;
}

/** Git facts about a lane's worktree (from the git probe). */
export interface GitInfo {
  /** Current branch, or null on detached HEAD. */
  readonly branch: string | null;
  /** Full HEAD sha. */
  readonly head: string;
  readonly dirty: {
    readonly staged: number;
    readonly unstaged: number;
    readonly untracked: number;
    readonly conflicted: number;
  };
  /** Base ref measured against (lane config `base`). */
  readonly base: string;
  /** Commits on HEAD not on base / on base not on HEAD; null when the base is unknown. */
  readonly ahead: number | null;
  readonly behind: number | null;
  /** Why ahead/behind is null (e.g. base ref missing). */
  readonly baseError: string | null;
  /** Subjects of the first (oldest) commits on base missing from HEAD, at most 5. */
  readonly missing: readonly string[];
  /** Upstream ref (e.g. origin/lane/x) and ahead/behind it; null when none. */
  readonly upstream: string | null;
  readonly upstreamAhead: number | null;
  readonly upstreamBehind: number | null;
  /**
   * Diff stats against the merge base with `base`; null when unknown (base missing, git
   * failed); absent when the probe did not compute them.
   */
  readonly diff?: DiffStat | null;
}

/** Git state of a lane. `error` keeps the last good info so the row does not go blank. */
export type GitState =
  | { readonly status: 'pending' }
  | { readonly status: 'ok'; readonly info: GitInfo; readonly at: number }
  | {
      readonly status: 'error';
      readonly error: string;
      /** Machine-readable cause: no_worktree | not_git | git_missing | timeout | other. */
      readonly code: string;
      readonly at: number;
      readonly last: GitInfo | null;
    };
