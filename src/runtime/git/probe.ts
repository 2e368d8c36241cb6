/**
 * The git probe: one look at a lane's worktree, turned into one `git/ok` or `git/error`
 * action. Three git processes run in parallel (~12 ms together, docs/pitfalls.md):
 * `status --porcelain=v2 --branch -z` (HEAD, branch, dirty counts, upstream ahead/behind),
 * `rev-list --left-right --count <base>...HEAD` (behind, ahead) and
 * `log --format=%s --reverse HEAD..<base>` (subjects of the missing commits, bounded),
 * then, when the lane has a change of its own, `diff --shortstat --merge-base <base>`
 * (diff stats, diff-stat.ts).
 */
import type { Action } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';
import type { GitInfo } from '../../state/types.js';
import { withDiffStat } from './diff-stat.js';
import { firstLines, parseLeftRightCount, parseStatusV2, type StatusSummary } from './parse.js';
import { runGit } from './run-git.js';

/** Options of {@link probeLane}. */
export interface ProbeOptions {
  /** Timeout of each git call (ms). */
  readonly timeoutMs: number;
  /** Time source for the action's `at` (epoch ms), read when the probe completes. */
  readonly at: () => number;
  /** Extra environment for git (tests use it to hide git from PATH). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Compute `git.diff` (settings.diff_stats). False: `diff` is null (unknown, shown `—`)
   * and no git process runs for it. @default true
   */
  readonly diffStats?: boolean;
}

/** At most this many missing-commit subjects are reported (GitInfo.missing). */
export const MAX_MISSING_SUBJECTS = 5;
/** Output cap of the subject listing (characters): enough for the first subjects of a huge gap. */
const SUBJECTS_MAX_BYTES = 64 * 1024;

/**
 * Why `base` cannot be used as a revision argument, or null when it looks usable.
 * Rejects empty names, a leading `-` (would be read as an option), whitespace / control
 * characters and `..` (would change the range); other revision syntax (`main~2`,
 * `v1.0^{commit}`) is left to git, which reports a bad one as not found.
 */
export function invalidRefReason(ref: string): string | null {
  if (ref.length === 0) return 'is empty';
  if (ref.startsWith('-')) return 'starts with "-"';
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]|\.\./.test(ref)) return 'is not a valid ref name';
  return null;
}

/** Ahead/behind of a lane against its base, as {@link GitInfo} carries them. */
export type BaseCounts = Pick<GitInfo, 'ahead' | 'behind' | 'baseError' | 'missing'>;

/**
 * The {@link GitInfo} of a parsed `git status --porcelain=v2 --branch` (`s`, whose HEAD
 * `head` the caller has checked is not null) and the lane's counts against `base`;
 * upstream counts are null without an upstream. Shared by the single-lane probe and the
 * batch (batch-probe.ts), which must agree.
 */
export function gitInfoOf(
  s: StatusSummary,
  head: string,
  base: string,
  counts: BaseCounts,
): GitInfo {
  return {
    branch: s.branch,
    head,
    dirty: {
      staged: s.staged,
      unstaged: s.unstaged,
      untracked: s.untracked,
      conflicted: s.conflicted,
    },
    base,
    ...counts,
    upstream: s.upstream,
    upstreamAhead: s.upstream === null ? null : s.upstreamAhead,
    upstreamBehind: s.upstream === null ? null : s.upstreamBehind,
  };
}

/**
 * Probe one lane's worktree.
 *
 * @returns `git/ok` with {@link GitInfo} (diff stats included) when HEAD and status could be read. A base ref
 *   that does not exist (or is not a valid name) is still `git/ok`, with `ahead`/`behind`
 *   null, `missing: []` and `baseError: "base ref '<base>' not found"`. Everything else —
 *   worktree missing (`no_worktree`), not a repository (`not_git`), git not installed
 *   (`git_missing`), a call over `timeoutMs` (`timeout`), no commit yet or any other
 *   failure (`other`) — is `git/error` with a one-line message. Never rejects.
 */
export async function probeLane(lane: LaneConfig, opts: ProbeOptions): Promise<Action> {
  const run = (args: string[], maxBytes?: number) =>
    runGit(args, { cwd: lane.worktree, timeoutMs: opts.timeoutMs, env: opts.env, maxBytes });
  const laneId = lane.id;
  const fail = (code: string, error: string): Action => ({
    type: 'git/error',
    laneId,
    code,
    error,
    at: opts.at(),
  });

  const badBase = invalidRefReason(lane.base);
  const NO_SUBJECTS = { ok: true, stdout: '', stderr: '' } as const;
  // Two git processes in parallel; the missing-commit subjects need a third only when the
  // lane is behind (process start dominates git's cost here: docs/pitfalls.md "git").
  const [status, counts] = await Promise.all([
    run(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal']),
    badBase === null
      ? run(['rev-list', '--left-right', '--count', `${lane.base}...HEAD`, '--'])
      : null,
  ]);
  const behindNow = counts?.ok ? (parseLeftRightCount(counts.stdout)?.behind ?? 0) : 0;
  const subjects =
    counts === null
      ? null
      : behindNow > 0
        ? await run(
            ['log', '--format=%s', '--reverse', `HEAD..${lane.base}`, '--'],
            SUBJECTS_MAX_BYTES,
          )
        : NO_SUBJECTS;

  if (!status.ok) return fail(status.code, status.message);
  const s = parseStatusV2(status.stdout);
  if (s.head === null) {
    return fail(
      'other',
      `no commits yet on ${s.branch === null ? 'HEAD' : `branch '${s.branch}'`}`,
    );
  }

  let ahead: number | null = null;
  let behind: number | null = null;
  let missing: string[] = [];
  let baseError: string | null = badBase === null ? null : `base ref '${lane.base}' ${badBase}`;
  if (counts !== null && subjects !== null) {
    if (!counts.ok) {
      if (counts.code !== 'bad_ref') return fail(counts.code, counts.message);
      baseError = `base ref '${lane.base}' not found`;
    } else {
      const parsed = parseLeftRightCount(counts.stdout);
      if (parsed === null)
        return fail('other', `unexpected rev-list output: ${counts.stdout.slice(0, 80)}`);
      ({ ahead, behind } = parsed);
      if (subjects.ok || subjects.truncated) {
        missing = firstLines(subjects.stdout, MAX_MISSING_SUBJECTS, !subjects.ok);
      } else if (subjects.code !== 'bad_ref') {
        return fail(subjects.code, subjects.message);
      }
    }
  }

  const base = gitInfoOf(s, s.head, lane.base, { ahead, behind, baseError, missing });
  const info = await withDiffStat(base, lane.worktree, runGit, opts);
  return { type: 'git/ok', laneId, info, at: opts.at() };
}
