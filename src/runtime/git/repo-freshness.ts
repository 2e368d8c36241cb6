/**
 * Freshness (HEAD, ahead/behind base, missing subjects) of every lane of ONE repository
 * with about four git processes instead of one `rev-list` (and one `log`) per lane:
 * 1. `worktree list --porcelain -z` — HEAD sha of every worktree (lanes matched by realpath),
 *    in parallel with `cat-file --batch-check` (each base resolved, and peeled to a commit);
 * 2. `merge-base --octopus --all <bases…> <heads…>` — common ancestors of them all;
 * 3. `log -z --format=%H%x00%P%x00%ct%x00%s <bases…> <heads…> --not <merge bases…>`,
 *    read by freshness-graph.ts;
 * 4. for lanes with commits of their own whose diff stats are not cached yet, one
 *    `diff-tree --stdin` against merge bases read from the listing (commit-diff.ts).
 * Whatever this path cannot answer exactly is marked `fallback` (the caller probes those
 * lanes alone): revision syntax that may depend on the worktree, a base that is not a
 * commit, a lane that is not a listed worktree, any git failure, a listing over the cap.
 */
import { realpath } from 'node:fs/promises';
import type { DiffStat } from '../../state/types.js';
import { commitDiffs, mergeBaseOf, type CommitPair } from './commit-diff.js';
import { laneFreshness, parseCommitListing, reachFrom } from './freshness-graph.js';
import type { GitResult, RunGitOptions } from './run-git.js';

/** One lane as the repository step sees it. */
export interface RepoLane {
  /** The lane's base (already accepted by `invalidRefReason`). */
  readonly base: string;
  /** Realpath of the lane's worktree. */
  readonly worktree: string;
}

/** What the repository step learned about one lane. */
export type RepoLaneResult =
  | {
      readonly kind: 'fresh';
      /** HEAD sha from `worktree list` (status must agree). */
      readonly head: string;
      readonly ahead: number;
      readonly behind: number;
      readonly missing: readonly string[];
      /**
       * Committed diff stats against the merge base (commit-diff.ts): NO change when not
       * ahead, null without a single merge base, undefined when not computed.
       */
      readonly commitDiff?: DiffStat | null;
    }
  /** The base does not name an object: probeLane reports `base ref '<base>' not found`. */
  | { readonly kind: 'base_missing'; readonly head: string }
  /** HEAD has no commit yet (status reports it). */
  | { readonly kind: 'unborn' }
  | { readonly kind: 'fallback' };

/** Runs one git command (in the caller's limiter). */
export type GitRunner = (args: readonly string[], opts: RunGitOptions) => Promise<GitResult>;

/** Options of {@link repoFreshness}. */
export interface RepoFreshnessOptions {
  readonly run: GitRunner;
  /** Timeout of each git call (ms). */
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Subjects kept per lane (MAX_MISSING_SUBJECTS). */
  readonly missingLimit: number;
  /** More listed commits than this (count) sends every lane of the repo to the fallback. */
  readonly maxCommits: number;
  /** Read the committed diff stats of lanes ahead of their base (settings.diff_stats). @default true */
  readonly diffStats?: boolean;
}

/**
 * True when `base` resolves the same in every worktree of the repository, so it can be
 * resolved once: plain ref names with optional `~n` / `^n` suffixes, except per-worktree
 * names (`HEAD`, pseudo refs like `ORIG_HEAD`, `refs/worktree|bisect|rewritten/…`,
 * `worktrees/…`, `main-worktree/…`). Anything else (`@`, `:`, `{…}`) goes to the fallback.
 */
function isSharedBase(base: string): boolean {
  const m = /^([A-Za-z0-9._/+-]+)((?:[~^][0-9]*)*)$/.exec(base);
  if (!m?.[1]) return false;
  const name = m[1];
  if (/^[A-Z][A-Z0-9_-]*$/.test(name)) return false;
  return !/^(refs\/(worktree|bisect|rewritten)\/|worktrees\/|main-worktree\/)/.test(name);
}

/** `worktree list --porcelain -z` → path → HEAD sha (bare entries skipped). */
function parseWorktreeList(out: string): Map<string, string> {
  const heads = new Map<string, string>();
  let wt: string | null = null;
  let head: string | null = null;
  for (const field of [...out.split('\0'), '']) {
    if (field === '') {
      if (wt !== null && head !== null) heads.set(wt, head);
      wt = null;
      head = null;
    } else if (field.startsWith('worktree ')) wt = field.slice('worktree '.length);
    else if (field.startsWith('HEAD ')) head = field.slice('HEAD '.length);
  }
  return heads;
}

/**
 * `cat-file --batch-check` output for the inputs `<base>` and `<base>^{commit}` of each
 * base → base → commit sha, `missing` (the name resolves to nothing) or null (unusable).
 */
function parseBaseChecks(out: string, bases: readonly string[]): Map<string, string | null> {
  const lines = out.split('\n');
  const res = new Map<string, string | null>();
  const found = (line: string | undefined) => /^([0-9a-f]{40,64}) \S+ \d+$/.exec(line ?? '')?.[1];
  bases.forEach((base, i) => {
    const raw = lines[2 * i];
    const peeled = lines[2 * i + 1];
    if (raw === `${base} missing`) res.set(base, 'missing');
    else res.set(base, found(raw) !== undefined ? (found(peeled) ?? null) : null);
  });
  return res;
}

const ZERO_SHA = /^0+$/;

/**
 * Freshness of `lanes` (all in the repository whose common dir is `commonDir`).
 *
 * @returns one {@link RepoLaneResult} per lane, in order, and the number of git processes
 *   it ran. Never rejects.
 */
export async function repoFreshness(
  commonDir: string,
  lanes: readonly RepoLane[],
  opts: RepoFreshnessOptions,
): Promise<{ readonly results: RepoLaneResult[]; readonly spawns: number }> {
  const results: RepoLaneResult[] = lanes.map(() => ({ kind: 'fallback' }));
  const git = { cwd: commonDir, timeoutMs: opts.timeoutMs, env: opts.env };
  const bases = [...new Set(lanes.filter((l) => isSharedBase(l.base)).map((l) => l.base))];
  let spawns = bases.length > 0 ? 2 : 1;
  const [list, checks] = await Promise.all([
    opts.run(['worktree', 'list', '--porcelain', '-z'], git),
    bases.length > 0
      ? opts.run(['cat-file', '--batch-check'], {
          ...git,
          input: bases.map((b) => `${b}\n${b}^{commit}\n`).join(''),
        })
      : null,
  ]);
  if (!list.ok || (checks !== null && !checks.ok)) return { results, spawns };
  const baseSha = parseBaseChecks(checks?.stdout ?? '', bases);
  const heads = await headsByLane(parseWorktreeList(list.stdout), lanes);

  // Lanes this path can answer, and the tips of the listing.
  const todo: { i: number; head: string; base: string }[] = [];
  lanes.forEach((lane, i) => {
    const head = heads[i];
    if (head === undefined) return;
    if (ZERO_SHA.test(head)) {
      results[i] = { kind: 'unborn' };
      return;
    }
    const base = isSharedBase(lane.base) ? baseSha.get(lane.base) : null;
    if (base === 'missing') results[i] = { kind: 'base_missing', head };
    else if (base) todo.push({ i, head, base });
  });
  const tips = [...new Set(todo.flatMap((t) => [t.base, t.head]))];
  if (tips.length === 0) return { results, spawns };

  let mergeBases: string[] = [];
  if (tips.length > 1) {
    spawns++;
    const mb = await opts.run(['merge-base', '--octopus', '--all', ...tips], git);
    if (mb.ok) mergeBases = mb.stdout.split('\n').filter((l) => l.length > 0);
    // Exit 1 without output: no common ancestor (unrelated histories); list everything.
    else if (mb.exitCode !== 1 || mb.stdout !== '') return { results, spawns };
  }
  spawns++;
  const listing = await opts.run(
    [
      'log',
      '-z',
      '--no-show-signature',
      '--no-decorate',
      '--no-color',
      '--format=%H%x00%P%x00%ct%x00%s',
      `--max-count=${opts.maxCommits + 1}`,
      ...tips,
      ...(mergeBases.length > 0 ? ['--not', ...mergeBases] : []),
      '--',
    ],
    { ...git, maxBytes: Math.max(1 << 20, opts.maxCommits * 400) },
  );
  if (!listing.ok) return { results, spawns };
  const graph = parseCommitListing(listing.stdout);
  if (graph === null || graph.parents.length > opts.maxCommits) return { results, spawns };

  const reachOf = new Map<string, Uint8Array>();
  const ahead: { i: number; pair: CommitPair }[] = [];
  for (const t of todo) {
    let reach = reachOf.get(t.base);
    if (!reach) {
      reach = reachFrom(graph, t.base);
      reachOf.set(t.base, reach);
    }
    const f = laneFreshness(graph, t.head, t.base, reach, opts.missingLimit);
    results[t.i] = { kind: 'fresh', head: t.head, ...f };
    // Lanes with commits of their own get committed diff stats (cached per commit pair).
    if (f.ahead > 0 && opts.diffStats !== false) {
      const mergeBase =
        f.behind === 0 ? t.base : mergeBaseOf(graph, reach, reachFrom(graph, t.head), mergeBases);
      ahead.push({ i: t.i, pair: { base: t.base, head: t.head, mergeBase } });
    }
  }
  if (ahead.length > 0) {
    const d = await commitDiffs(
      ahead.map((a) => a.pair),
      opts.run,
      git,
    );
    spawns += d.spawns;
    ahead.forEach(({ i }, k) => {
      const r = results[i];
      if (r?.kind === 'fresh') results[i] = { ...r, commitDiff: d.stats[k] };
    });
  }
  return { results, spawns };
}

/** HEAD sha of each lane's worktree (by path, then by realpath of the listed paths), or undefined. */
async function headsByLane(
  listed: Map<string, string>,
  lanes: readonly RepoLane[],
): Promise<(string | undefined)[]> {
  const heads = lanes.map((l) => listed.get(l.worktree));
  if (heads.every((h) => h !== undefined)) return heads;
  const real = new Map<string, string>();
  await Promise.all(
    [...listed].map(async ([p, head]) => {
      try {
        real.set(await realpath(p), head);
      } catch {
        /* a listed worktree that is gone: no lane can match it */
      }
    }),
  );
  return lanes.map((l, i) => heads[i] ?? real.get(l.worktree));
}
