/**
 * Git-derived parts of a lane view: the freshness verdict (fresh / stale / diverged /
 * unknown — any git error is `unknown`, never `fresh`) and the git view.
 */
import type { GitInfo, GitState } from './types.js';
import type { Freshness, GitView } from './view-types.js';

/**
 * Freshness from ahead/behind counts vs the base ref: behind 0 ⇒ fresh; behind > 0 and
 * ahead 0 ⇒ stale; both > 0 ⇒ diverged; a null count ⇒ unknown.
 */
export function freshnessOf(ahead: number | null, behind: number | null): Freshness {
  if (ahead === null || behind === null) return 'unknown';
  if (behind === 0) return 'fresh';
  return ahead === 0 ? 'stale' : 'diverged';
}

function infoOf(git: GitState): GitInfo | null {
  if (git.status === 'ok') return git.info;
  if (git.status === 'error') return git.last;
  return null;
}

/**
 * The git view of a lane. On a git error the last good numbers stay visible but the
 * verdict is `unknown` and `error` says why; while pending everything is null/unknown.
 */
export function selectGitView(git: GitState, base: string): GitView {
  const info = infoOf(git);
  const error = git.status === 'error' ? git.error : (info?.baseError ?? null);
  const dirtyDetail = info ? { ...info.dirty } : null;
  return {
    head: info?.head ?? null,
    branch: info?.branch ?? null,
    detached: info !== null && info.branch === null,
    ahead: info?.ahead ?? null,
    behind: info?.behind ?? null,
    dirty: dirtyDetail
      ? dirtyDetail.staged + dirtyDetail.unstaged + dirtyDetail.untracked + dirtyDetail.conflicted
      : null,
    dirtyDetail,
    freshness: git.status === 'ok' ? freshnessOf(git.info.ahead, git.info.behind) : 'unknown',
    base: info?.base ?? base,
    missing: info?.missing ?? [],
    upstream: info?.upstream ?? null,
    upstreamAhead: info?.upstreamAhead ?? null,
    upstreamBehind: info?.upstreamBehind ?? null,
    diff: info?.diff ?? null,
    error,
  };
}

/** True when `commit` (full or abbreviated sha) names `head` (a full sha). */
export function sameCommit(commit: string | null, head: string | null): boolean {
  if (!commit || !head || commit.length < 4) return false;
  const c = commit.toLowerCase();
  const h = head.toLowerCase();
  return h.startsWith(c) || c.startsWith(h);
}
