/**
 * Diff stats of many clean lanes of one repository with at most one git process: the
 * committed change of a lane is the diff from the merge base of (base, HEAD) to HEAD, which
 * only depends on the two commit ids, so it is cached forever under them.
 * - The merge base comes from the freshness step's commit listing ({@link mergeBaseOf}),
 *   without git;
 * - `diff-tree --stdin --always -r -M --shortstat` reads `<head> <merge base>` lines (a
 *   commit and the "parent" to diff it against) and prints each commit id, then its
 *   shortstat line when something changed.
 * Same numbers as `git diff --shortstat -M --no-textconv --merge-base <base>` in a clean
 * worktree (diff-stat.ts), which the single-lane probe runs.
 */
import type { DiffStat } from '../../state/types.js';
import { parseShortstat } from './diff-stat.js';
import type { CommitGraph } from './freshness-graph.js';
import type { GitResult, RunGitOptions } from './run-git.js';

/** One lane's commits: HEAD and the merge base with its base (full shas; null: none single). */
export interface CommitPair {
  readonly base: string;
  readonly head: string;
  readonly mergeBase: string | null;
}

/** Cached commit diffs: `<base> <head>` → stats (null: no single merge base). Bounded. */
const cache = new Map<string, DiffStat | null>();
const CACHE_MAX = 8192;

/**
 * The single merge base of `headSha` and `baseSha` (both listed) from the listing of
 * freshness-graph.ts, or null when there is none or more than one (criss-cross merges).
 * The listing holds the commits of every tip minus those reachable from the octopus merge
 * bases `octopus` (independent commits, each an ancestor of every tip). The maximal common
 * ancestors are the maximal listed ones plus each octopus base that no listed one reaches;
 * a listed commit reaches an octopus base only by naming it as an unlisted parent (every
 * other unlisted commit is below some octopus base, and those do not reach each other).
 * @param baseReach marks of the commits reachable from the base (reachFrom).
 * @param headReach marks of the commits reachable from HEAD.
 */
export function mergeBaseOf(
  g: CommitGraph,
  baseReach: Uint8Array,
  headReach: Uint8Array,
  octopus: readonly string[],
): string | null {
  const n = g.parents.length;
  const common = new Uint8Array(n);
  for (let i = 0; i < n; i++) common[i] = baseReach[i] === 1 && headReach[i] === 1 ? 1 : 0;
  // Listed common ancestors that are a parent of another are not maximal.
  const below = new Uint8Array(n);
  const reached = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (common[i] !== 1) continue;
    for (const p of g.parents[i] ?? []) below[p] = 1;
    for (const o of g.outside[i] ?? []) reached.add(o);
  }
  const max: string[] = [];
  const shas = [...g.index.keys()];
  for (let i = 0; i < n; i++) if (common[i] === 1 && below[i] === 0) max.push(shas[i] ?? '');
  for (const o of octopus) if (!reached.has(o)) max.push(o);
  return max.length === 1 ? (max[0] ?? null) : null;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * `diff-tree --stdin --always --shortstat` output for `n` input lines → stats per line, or
 * null when the text is not that shape.
 */
function parseDiffTreeStats(out: string, n: number): DiffStat[] | null {
  const lines = out.split('\n').filter((l) => l.length > 0);
  const res: DiffStat[] = [];
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (!SHA.test(lines[i] ?? '')) return null;
    i++;
    let stat = parseShortstat('');
    if (i < lines.length && lines[i]?.startsWith(' ')) stat = parseShortstat(lines[i++] ?? '');
    if (stat === null) return null;
    res.push(stat);
  }
  return i === lines.length ? res : null;
}

/**
 * The committed diff stats of each pair: a stat, null when the pair has no single merge
 * base (unrelated histories, criss-cross merges: git diff --merge-base refuses those too),
 * or undefined when git failed (the caller reads that lane alone). Never rejects.
 * @param run runs one git command in the repository (`opts` carries cwd and timeout).
 */
export async function commitDiffs(
  pairs: readonly CommitPair[],
  run: (args: readonly string[], opts: RunGitOptions) => Promise<GitResult>,
  opts: RunGitOptions,
): Promise<{ readonly stats: (DiffStat | null | undefined)[]; readonly spawns: number }> {
  const stats: (DiffStat | null | undefined)[] = pairs.map((p) => cache.get(`${p.base} ${p.head}`));
  const lines: number[] = [];
  pairs.forEach((p, i) => {
    if (stats[i] !== undefined) return;
    if (p.mergeBase === null) set(stats, pairs, i, null);
    else lines.push(i);
  });
  if (lines.length === 0) return { stats, spawns: 0 };
  const r = await run(['diff-tree', '--stdin', '--always', '-r', '-M', '--shortstat'], {
    ...opts,
    input: lines.map((i) => `${pairs[i]?.head} ${pairs[i]?.mergeBase}\n`).join(''),
  });
  const parsed = r.ok ? parseDiffTreeStats(r.stdout, lines.length) : null;
  if (parsed !== null) lines.forEach((i, k) => set(stats, pairs, i, parsed[k] ?? null));
  return { stats, spawns: 1 };
}

function set(
  stats: (DiffStat | null | undefined)[],
  pairs: readonly CommitPair[],
  i: number,
  v: DiffStat | null,
): void {
  stats[i] = v;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(`${pairs[i]?.base} ${pairs[i]?.head}`, v);
}
