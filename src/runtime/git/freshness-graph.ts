/**
 * Ahead / behind / missing-commit subjects of many lanes from ONE commit listing of their
 * repository (pure code, no git, no I/O).
 *
 * The listing is `git log -z --format=%H%x00%P%x00%ct%x00%s <bases…> <heads…> --not
 * <merge-bases…>`, where the merge bases are common ancestors of every base and head
 * (`git merge-base --octopus --all`). Why that is enough: a commit not listed is reachable
 * from a merge base, hence from every tip, hence in no lane's symmetric difference
 * reach(base) Δ reach(HEAD); and a path from a listed tip to a listed commit never leaves
 * the listing (anything below an unlisted commit is unlisted too). So, counting only
 * listed commits, ahead = |reach(HEAD) \ reach(base)| and behind = |reach(base) \
 * reach(HEAD)| are exact — the numbers `git rev-list --left-right --count base...HEAD`
 * prints (barring committer-date skew, which can make git's own walk stop early).
 */

/** One repository's listed commits, indexed 0..n-1 in listing order. */
export interface CommitGraph {
  /** Full sha → index. */
  readonly index: ReadonlyMap<string, number>;
  /** Parents of each commit as indices; parents outside the listing are left out. */
  readonly parents: readonly (readonly number[])[];
  /** Committer date of each commit (`%ct`, epoch seconds). */
  readonly dates: readonly number[];
  /** Subject of each commit (`%s`, one line). */
  readonly subjects: readonly string[];
  /** Parents of each commit that are NOT listed (full shas); most are empty. */
  readonly outside: readonly (readonly string[])[];
}

/** Freshness of one lane against its base (the numbers {@link GitInfo} carries). */
export interface LaneFreshness {
  /** Commits on HEAD not on base (count). */
  readonly ahead: number;
  /** Commits on base not on HEAD (count). */
  readonly behind: number;
  /** First `limit` non-empty subjects of the behind commits, oldest first (see {@link laneFreshness}). */
  readonly missing: readonly string[];
}

/**
 * Parse the listing described in the module doc: NUL-separated fields, four per commit
 * (sha, space-separated parent shas, committer date, subject), each commit NUL-terminated.
 *
 * @returns the graph, or null when the text is not that shape (a field count that is not
 *   a multiple of four, a bad sha or date). Never throws.
 */
export function parseCommitListing(out: string): CommitGraph | null {
  const fields = out.split('\0');
  if (fields.pop() !== '' || fields.length % 4 !== 0) return out === '' ? emptyGraph() : null;
  const n = fields.length / 4;
  const index = new Map<string, number>();
  const shaRe = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
  for (let i = 0; i < n; i++) {
    const sha = fields[4 * i] ?? '';
    if (!shaRe.test(sha)) return null;
    index.set(sha, i);
  }
  const parents: number[][] = [];
  const dates: number[] = [];
  const subjects: string[] = [];
  const outside: string[][] = [];
  for (let i = 0; i < n; i++) {
    const ps: number[] = [];
    const out: string[] = [];
    const raw = fields[4 * i + 1] ?? '';
    if (raw.length > 0) {
      for (const p of raw.split(' ')) {
        const j = index.get(p);
        if (j !== undefined) ps.push(j);
        else out.push(p);
      }
    }
    outside.push(out);
    const date = Number(fields[4 * i + 2]);
    if (!Number.isFinite(date)) return null;
    parents.push(ps);
    dates.push(date);
    subjects.push(fields[4 * i + 3] ?? '');
  }
  return { index, parents, dates, subjects, outside };
}

function emptyGraph(): CommitGraph {
  return { index: new Map(), parents: [], dates: [], subjects: [], outside: [] };
}

/**
 * Marks (1 = reachable) of every listed commit reachable from `sha`; all zeros when `sha`
 * is not listed (it is then below the merge bases: nothing listed is reachable from it).
 */
export function reachFrom(g: CommitGraph, sha: string): Uint8Array {
  const marks = new Uint8Array(g.parents.length);
  const start = g.index.get(sha);
  if (start === undefined) return marks;
  const stack = [start];
  marks[start] = 1;
  while (stack.length > 0) {
    const c = stack.pop() as number;
    for (const p of g.parents[c] ?? []) {
      if (marks[p] === 0) {
        marks[p] = 1;
        stack.push(p);
      }
    }
  }
  return marks;
}

/** Count of set marks. */
function countMarks(marks: Uint8Array): number {
  let n = 0;
  for (const m of marks) n += m;
  return n;
}

/**
 * A binary max-heap on (date desc, insertion order asc): the order in which git's
 * default limited revision walk pops commits (revision.c `limit_list`, where
 * `commit_list_insert_by_date` puts a commit after every queued one with a date ≥ its own).
 */
class DateQueue {
  private readonly items: { c: number; date: number; seq: number }[] = [];
  private seq = 0;
  constructor(private readonly dates: readonly number[]) {}
  get size(): number {
    return this.items.length;
  }
  private before(a: { date: number; seq: number }, b: { date: number; seq: number }): boolean {
    return a.date > b.date || (a.date === b.date && a.seq < b.seq);
  }
  push(c: number): void {
    const it = { c, date: this.dates[c] ?? 0, seq: this.seq++ };
    const h = this.items;
    h.push(it);
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const parent = h[up] as (typeof h)[number];
      if (!this.before(it, parent)) break;
      h[i] = parent;
      i = up;
    }
    h[i] = it;
  }
  pop(): number {
    const h = this.items;
    const top = h[0] as (typeof h)[number];
    const last = h.pop() as (typeof h)[number];
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const lc = h[l] as (typeof h)[number];
        const rc = h[r];
        const child = rc !== undefined && this.before(rc, lc) ? r : l;
        const cv = h[child] as (typeof h)[number];
        if (!this.before(cv, last)) break;
        h[i] = cv;
        i = child;
      }
      h[i] = last;
    }
    return top.c;
  }
}

/**
 * Freshness of a lane whose HEAD is `headSha` against a base at `baseSha`, both full shas
 * (listed, or below the merge bases).
 *
 * @param baseReach `reachFrom(g, baseSha)`, computed once per distinct base by the caller.
 * @param limit how many subjects to keep (MAX_MISSING_SUBJECTS).
 * @returns counts per the module doc. `missing` reproduces `git log --format=%s --reverse
 *   HEAD..base` read by `firstLines` (empty subjects skipped, first `limit` kept): git's
 *   default walk from base pops commits newest committer date first, ties in the order
 *   they were queued (parents queued in parent order when their child is popped), and
 *   `--reverse` prints that order backwards. Emulated exactly, including the tie rule, so
 *   it matches for linear histories, ordinary and criss-cross merges.
 */
export function laneFreshness(
  g: CommitGraph,
  headSha: string,
  baseSha: string,
  baseReach: Uint8Array,
  limit: number,
): LaneFreshness {
  const headReach = reachFrom(g, headSha);
  let ahead = 0;
  let both = 0;
  for (let i = 0; i < headReach.length; i++) {
    if (headReach[i] === 1) {
      if (baseReach[i] === 1) both++;
      else ahead++;
    }
  }
  const behind = countMarks(baseReach) - both;
  if (behind === 0) return { ahead, behind, missing: [] };

  // The walk over the behind set (reach(base) \ reach(HEAD)) in git's pop order.
  const start = g.index.get(baseSha);
  const order: number[] = [];
  if (start !== undefined) {
    const seen = new Uint8Array(g.parents.length);
    const q = new DateQueue(g.dates);
    seen[start] = 1;
    q.push(start);
    while (q.size > 0) {
      const c = q.pop();
      order.push(c);
      for (const p of g.parents[c] ?? []) {
        if (seen[p] === 0 && baseReach[p] === 1 && headReach[p] === 0) {
          seen[p] = 1;
          q.push(p);
        }
      }
    }
  }
  const missing: string[] = [];
  for (let i = order.length - 1; i >= 0 && missing.length < limit; i--) {
    const s = g.subjects[order[i] as number] ?? '';
    if (s.length > 0) missing.push(s);
  }
  return { ahead, behind, missing };
}
