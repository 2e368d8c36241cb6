/**
 * Probe many lanes with few git processes: {@link probeLanes} produces, for every lane,
 * the same `git/ok` / `git/error` action {@link probeLane} would (the `at` aside), but
 * reads statuses with one process chain per chunk of worktrees (lane-batch.ts), which
 * also runs the `git diff` of every lane with uncommitted tracked changes right after its
 * status, and ahead/behind with about four processes per repository (repo-freshness.ts),
 * which also reads the committed diff stats of clean lanes (one more per repository, only
 * for commits not seen before). Lanes these paths cannot answer exactly are probed alone.
 * With `diffsAfter` the dirty lanes' diffs run after all statuses instead.
 *
 * Process start dominates git's cost from Node (docs/pitfalls.md "git"; figures in
 * docs/performance.md, "Measured choices").
 */
import os from 'node:os';
import path from 'node:path';
import type { Action } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';
import { withDiffStat } from './diff-stat.js';
import { readGitDirsFromFilesSync, type GitDirs } from './git-dirs.js';
import { createLimiter } from './limiter.js';
import { invalidRefReason, MAX_MISSING_SUBJECTS, probeLane, type ProbeOptions } from './probe.js';
import { repoFreshness, type RepoLaneResult } from './repo-freshness.js';
import { runGit } from './run-git.js';
import { readLaneBatch } from './lane-batch.js';
import { combine } from './batch-combine.js';
import { diffsAfter, type DeferredDiff } from './diff-batch.js';

/** Options of {@link probeLanes}. */
export interface BatchProbeOptions extends ProbeOptions {
  /** git processes (or single-lane probes) in flight at most (count). @default min(4, cores) */
  readonly concurrency?: number;
  /**
   * Worktrees per status (and diff) chain (count). @default 25, or with `oneShot`
   * `ceil(lanes / (2 × concurrency))` and at least 25
   */
  readonly chunkSize?: number;
  /**
   * Nobody draws while the probe runs (`laneboard --json`): only the total time counts,
   * so the default chunks are as large as keeps each slot busy with two chains. Each
   * chain is one process spawned from Node, and a spawn forks the whole Node process
   * (libuv), which blocks its main thread for ~10-35 ms on the 2-core VM of
   * docs/performance.md ("--json probe"). @default false
   */
  readonly oneShot?: boolean;
  /**
   * Run the `git diff` of the lanes with uncommitted tracked changes after every status
   * chain and once the promise this returns resolves (e.g. the rows are drawn), in chains
   * of their own (./diff-batch.ts): each such lane is reported twice, first without
   * `diff` (absent: not computed yet), then with it. For a board's first read, whose rows
   * are then complete without waiting for one more process per dirty lane. A rejection
   * counts as resolved. @default none: each status chain runs them right after the
   * lane's status (fewer processes, for `--json`)
   */
  readonly diffsAfter?: () => Promise<void>;
  /** A repository whose commit listing exceeds this (count) is probed lane by lane. @default 50000 */
  readonly maxListedCommits?: number;
  /**
   * A lane's metadata dirs when the caller resolves them anyway (null: none found, the
   * lane is probed alone). @default read from the worktree's `.git` entry, without git
   */
  readonly gitDirsOf?: (lane: LaneConfig) => Promise<GitDirs | null>;
  /** Resolves when the lane's state may be read (e.g. its change watches are ready). */
  readonly laneReady?: (lane: LaneConfig) => Promise<void>;
  /** Resolves when the refs shared by a repository (common dir) may be read. */
  readonly repoReady?: (commonDir: string) => Promise<void>;
}

/** What one {@link probeLanes} run did (for tests and diagnostics). */
export interface BatchProbeStats {
  /** git processes spawned by the batch paths (count; single-lane probes not included). */
  readonly batchSpawns: number;
  /** Lanes probed alone with {@link probeLane} (count). */
  readonly fallbackLanes: number;
}

/** Result of {@link probeLanes}: the actions in lane order, and stats. */
export interface BatchProbeResult {
  readonly actions: readonly Action[];
  readonly stats: BatchProbeStats;
}

/** Worktrees per chain by default, and per `timeoutMs` of a chain (count). */
const CHUNK = 25;
const PRIORITY_REPO = 0;
const PRIORITY_STATUS = 1;
const PRIORITY_SINGLE = 2;
const PRIORITY_DIFFS = 3;

/**
 * Probe every lane of `lanes`.
 *
 * Steps: each lane's `.git` entry is read without git (or `gitDirsOf` is asked); lanes
 * without one, or with a worktree path holding control characters, are probed alone (a
 * missing worktree thus becomes `no_worktree` as with probeLane). Lanes are grouped by repository (git common
 * dir) for the freshness step, and cut in lane order into chunks of `chunkSize` for the
 * status step, so the first rows of a board come first. A chunk's actions are built when
 * its statuses and its repositories' freshness are in; a lane whose status HEAD differs
 * from the HEAD the freshness step saw (it moved in between) is probed alone. A chunk
 * starts once `laneReady` resolved for its lanes, a repository once `repoReady` did: a
 * watcher passes its watch readiness, so a change made after a read is never unseen.
 *
 * @param onResult called with each group of finished actions as soon as it is ready
 *   (a chunk, or one lane probed alone); exceptions it throws are ignored.
 * @returns every lane's action in lane order once all are done. Never rejects.
 */
export async function probeLanes(
  lanes: readonly LaneConfig[],
  opts: BatchProbeOptions,
  onResult?: (actions: readonly Action[]) => void,
): Promise<BatchProbeResult> {
  const concurrency = opts.concurrency ?? Math.min(4, os.availableParallelism());
  const limit = createLimiter(concurrency);
  const chunkSize = Math.max(
    1,
    opts.chunkSize ??
      (opts.oneShot === true
        ? Math.max(CHUNK, Math.ceil(lanes.length / (2 * Math.max(1, concurrency))))
        : CHUNK),
  );
  const out: (Action | undefined)[] = lanes.map(() => undefined);
  let batchSpawns = 0;
  let fallbackLanes = 0;
  const emit = (items: { i: number; action: Action }[]) => {
    for (const { i, action } of items) out[i] = action;
    if (items.length === 0 || !onResult) return;
    try {
      onResult(items.map((x) => x.action));
    } catch {
      /* the caller's problem; the probe goes on */
    }
  };
  const later = opts.diffsAfter !== undefined && opts.diffStats !== false;
  const deferred: DeferredDiff[] = [];
  const singles: Promise<void>[] = [];
  const single = (i: number) => {
    fallbackLanes++;
    const lane = lanes[i] as LaneConfig;
    singles.push(
      limit(PRIORITY_SINGLE, () => probeLane(lane, opts)).then((action) => emit([{ i, action }])),
    );
  };

  // Where each lane's repository is, without git.
  const prep = await Promise.all(
    lanes.map(async (lane) => {
      const wt = path.resolve(lane.worktree);
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x1f\x7f]/.test(wt)) return null;
      // Default: synchronous reads of a few small files, so the first git process starts
      // at once instead of after async reads queued behind other startup work.
      const dirs = await (
        opts.gitDirsOf ? opts.gitDirsOf(lane) : Promise.resolve(readGitDirsFromFilesSync(wt))
      ).catch(() => null);
      return dirs === null ? null : { wt, commonDir: dirs.commonDir };
    }),
  );
  const batched: number[] = [];
  prep.forEach((p, i) => (p === null ? single(i) : batched.push(i)));

  // Freshness per repository (lanes whose base is not even a usable name need none).
  const byRepo = new Map<string, number[]>();
  for (const i of batched) {
    if (invalidRefReason(lanes[i]?.base ?? '') !== null) continue;
    const dir = prep[i]?.commonDir as string;
    const list = byRepo.get(dir) ?? [];
    list.push(i);
    byRepo.set(dir, list);
  }
  const fresh = new Map<number, Promise<RepoLaneResult>>();
  const run = (args: readonly string[], o: Parameters<typeof runGit>[1]) =>
    limit(PRIORITY_REPO, () => runGit(args, o));
  for (const [commonDir, idx] of byRepo) {
    const repo = (async () => opts.repoReady?.(commonDir))()
      .then(() =>
        repoFreshness(
          commonDir,
          idx.map((i) => ({ base: lanes[i]?.base ?? '', worktree: prep[i]?.wt ?? '' })),
          {
            run,
            timeoutMs: opts.timeoutMs,
            env: opts.env,
            missingLimit: MAX_MISSING_SUBJECTS,
            maxCommits: opts.maxListedCommits ?? 50_000,
            diffStats: opts.diffStats,
          },
        ),
      )
      .then((r) => {
        batchSpawns += r.spawns;
        return r.results;
      });
    idx.forEach((i, k) =>
      fresh.set(
        i,
        repo.then((r) => r[k] ?? { kind: 'fallback' }),
      ),
    );
  }

  // Statuses (and the diffs of dirty lanes) per chunk, in lane order; each chunk emits
  // when its freshness is in too.
  const chunks: Promise<void>[] = [];
  for (let c = 0; c < batched.length; c += chunkSize) {
    const idx = batched.slice(c, c + chunkSize);
    chunks.push(
      (async () => {
        await Promise.all(idx.map((i) => settle(opts.laneReady?.(lanes[i] as LaneConfig))));
        const st = await limit(PRIORITY_STATUS, () =>
          readLaneBatch(
            idx.map((i) => {
              const base = lanes[i]?.base ?? '';
              const diff = !later && opts.diffStats !== false && invalidRefReason(base) === null;
              return { path: prep[i]?.wt ?? '', base: diff ? base : null };
            }),
            // One timeout per 25 worktrees: a longer chain is not cut sooner per worktree.
            { timeoutMs: opts.timeoutMs * Math.ceil(idx.length / CHUNK), env: opts.env },
          ),
        );
        batchSpawns += st.spawns;
        const ready: Promise<{ i: number; action: Action }>[] = [];
        for (const [k, i] of idx.entries()) {
          const entry = st.entries[k];
          const section = entry?.status;
          const lane = lanes[i] as LaneConfig;
          const action = section == null ? null : combine(lane, section, await fresh.get(i), opts);
          if (action === null) single(i);
          else if (action.type !== 'git/ok') ready.push(Promise.resolve({ i, action }));
          else {
            // Diff stats from the same batch: the chain's git diff for a lane with
            // uncommitted tracked changes, the repository's diff-tree for a clean one.
            const f = await fresh.get(i);
            const committed = f?.kind === 'fresh' ? f.commitDiff : undefined;
            const wt = prep[i]?.wt ?? lane.worktree;
            const o = later ? { ...opts, noGit: true } : opts;
            const info = withDiffStat(action.info, wt, run, o, committed, entry?.diff);
            ready.push(
              info.then((inf) => {
                const a = { ...action, info: inf };
                if (later && inf.diff === undefined) deferred.push({ i, action: a, worktree: wt });
                return { i, action: a };
              }),
            );
          }
        }
        emit(await Promise.all(ready));
      })(),
    );
  }
  await Promise.all(chunks);
  if (deferred.length > 0) {
    await settle(opts.diffsAfter?.());
    const o = { limit, priority: PRIORITY_DIFFS, run, timeoutMs: opts.timeoutMs, env: opts.env };
    batchSpawns += await diffsAfter(deferred, o, emit);
  }
  // Every single was queued by now (in the prep step or by a chunk).
  await Promise.all(singles);
  return {
    actions: out.map((a, i) => a ?? unreachable(lanes[i] as LaneConfig, opts)),
    stats: { batchSpawns, fallbackLanes },
  };
}

/** Wait for an optional caller promise; its rejection counts as ready. */
async function settle(p: Promise<void> | undefined): Promise<void> {
  try {
    await p;
  } catch {
    /* the caller's readiness failed: read anyway */
  }
}

/** A lane left without an action (cannot happen; kept total rather than asserted). */
function unreachable(lane: LaneConfig, opts: ProbeOptions): Action {
  return { type: 'git/error', laneId: lane.id, code: 'other', error: 'not probed', at: opts.at() };
}
