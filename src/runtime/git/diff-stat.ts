/**
 * Diff stats of a lane: the size of its change against the merge base with its base ref,
 * committed plus uncommitted changes to tracked files — what `git diff --shortstat
 * $(git merge-base <base> HEAD)` reports in the worktree. Read with one `git diff
 * --shortstat --merge-base <base>` (git ≥ 2.30) per lane, and only when the answer is not
 * known without git:
 * - a lane with no commit of its own (ahead 0: HEAD is an ancestor of the base, so the
 *   merge base is HEAD) and no staged, unstaged or conflicted entry has an empty diff —
 *   this is the case of a lane behind its base, which has no diff of its own;
 * - a clean lane's diff depends only on HEAD and the merge base, so it is cached per
 *   worktree under (base, HEAD, ahead, behind): a base that moves in a way that could move
 *   the merge base changes those counts.
 * Untracked files are not counted (git diff does not see them); the status counts them.
 */
import type { DiffStat, GitInfo } from '../../state/types.js';
import type { GitResult, RunGitOptions } from './run-git.js';

/** Runs one git command in a worktree (the caller's limiter and timeout). */
export type DiffRunner = (args: readonly string[], opts: RunGitOptions) => Promise<GitResult>;

/** The empty diff. */
const NO_DIFF: DiffStat = Object.freeze({ files: 0, insertions: 0, deletions: 0 });

/**
 * Parse `git diff --shortstat` output, e.g. ` 3 files changed, 10 insertions(+), 2
 * deletions(-)` (parts with a zero count are left out by git; empty output = no change).
 * @returns the counts, or null when the text is not shortstat output.
 */
export function parseShortstat(out: string): DiffStat | null {
  const text = out.trim();
  if (text === '') return NO_DIFF;
  const m = /^(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?$/.exec(
    text,
  );
  if (!m) return null;
  return { files: Number(m[1]), insertions: Number(m[2] ?? 0), deletions: Number(m[3] ?? 0) };
}

/** The git arguments of one lane's diff stats (`base` already accepted by invalidRefReason). */
export function diffStatArgs(base: string): readonly string[] {
  // -M and --no-textconv whatever the user's config says, so a clean lane's numbers equal
  // the batch's commit-to-commit `diff-tree -r -M` (commit-diff.ts).
  return [
    'diff',
    '--shortstat',
    '-M',
    '--no-textconv',
    '--no-ext-diff',
    '--merge-base',
    `${base}^{commit}`,
    '--',
  ];
}

/**
 * The diff stats git need not be asked for: {@link NO_DIFF} for a lane without commits of
 * its own and without tracked changes; null for a lane whose base is unknown (no merge
 * base) — its diff is unknown too; undefined when git must be asked.
 */
function knownDiff(info: GitInfo): DiffStat | null | undefined {
  if (info.ahead === null) return null;
  const d = info.dirty;
  if (info.ahead === 0 && d.staged + d.unstaged + d.conflicted === 0) return NO_DIFF;
  return undefined;
}

/** Cached diff stats of clean lanes, per worktree (bounded). */
const cache = new Map<string, { key: string; stat: DiffStat }>();
const CACHE_MAX = 4096;

/**
 * `info` with its `diff` filled in: from {@link knownDiff}, from `committed` (the batch's
 * commit-to-commit stats, commit-diff.ts) when the lane is clean, the clean-lane cache,
 * `batched` (the same `git diff` already run by the batch, lane-batch.ts), or one git
 * process run in `worktree` through `run`. A failing or unparseable diff leaves
 * `diff: null` (unknown) and never fails the probe. Never rejects.
 * With `opts.noGit`, a lane only git could answer comes back without `diff`.
 * @param opts timeout (ms) and environment of the git call; `diffStats: false` (diff
 *   stats turned off, settings.diff_stats) gives `diff: null` without any git.
 * @param batched what {@link diffStatArgs} printed in this worktree during this probe
 *   (null: it failed); undefined when it was not run.
 */
export async function withDiffStat(
  info: GitInfo,
  worktree: string,
  run: DiffRunner,
  opts: {
    readonly timeoutMs: number;
    readonly env?: NodeJS.ProcessEnv;
    readonly diffStats?: boolean;
    /**
     * Run no git: when only git could tell (a lane with uncommitted tracked changes and
     * nothing `batched`), return `info` without `diff` (absent: not computed yet).
     */
    readonly noGit?: boolean;
  },
  committed?: DiffStat | null,
  batched?: DiffStat | null,
): Promise<GitInfo> {
  if (opts.diffStats === false) return { ...info, diff: null };
  const known = knownDiff(info);
  if (known !== undefined) return { ...info, diff: known };
  const d = info.dirty;
  const clean = d.staged + d.unstaged + d.conflicted === 0;
  if (clean && committed !== undefined) return { ...info, diff: committed };
  const key = `${info.base}\0${info.head}\0${info.ahead}\0${info.behind}`;
  const hit = clean ? cache.get(worktree) : undefined;
  if (hit?.key === key) return { ...info, diff: hit.stat };
  if (batched !== undefined) return { ...info, diff: remember(clean, worktree, key, batched) };
  if (opts.noGit === true) {
    const { diff: _, ...rest } = info;
    return rest;
  }
  let stat: DiffStat | null = null;
  try {
    const r = await run(diffStatArgs(info.base), {
      cwd: worktree,
      timeoutMs: opts.timeoutMs,
      env: opts.env,
      maxBytes: 64 * 1024,
    });
    stat = r.ok ? parseShortstat(r.stdout) : null;
  } catch {
    stat = null;
  }
  return { ...info, diff: remember(clean, worktree, key, stat) };
}

/** Cache a clean lane's stats under `key` (not a failure); returns `stat`. */
function remember(clean: boolean, worktree: string, key: string, stat: DiffStat | null) {
  if (clean && stat !== null) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(worktree, { key, stat });
  }
  return stat;
}
