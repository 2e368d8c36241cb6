/**
 * The git watcher service: probes every lane once at start (all lanes together with few
 * git processes: {@link probeLanes}), then re-probes a lane on its own only
 * when ITS git metadata changes (HEAD / index of its worktree's git dir; refs and
 * packed-refs of its repository that concern its branch, base or upstream), when another
 * part of the runtime calls `refresh(laneId)` (agent edits that touch no git file), and,
 * slowly, while the lane is in an error state (e.g. its worktree appears later). There is
 * no fixed timer polling healthy lanes (docs/pitfalls.md "git").
 */
import type { Action } from '../../state/actions.js';
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { GitInfo } from '../../state/types.js';
import type { Clock, Dispatch, Service } from '../types.js';
import { createActivityThrottle } from './activity-throttle.js';
import { createDirWatchSet, type DirWatchKind } from './dir-watches.js';
import { readGitDirsFromFilesSync, resolveGitDirs, type GitDirs } from './git-dirs.js';
import { probeLanes } from './batch-probe.js';
import { createProbeScheduler } from './probe-scheduler.js';
import { probeLane } from './probe.js';
import { refConcernsLane, shortRefName } from './ref-concern.js';

/** Options of {@link createGitWatcher}. */
export interface GitWatcherOptions {
  readonly lanes: readonly LaneConfig[];
  /** `gitTimeoutMs` bounds every git call. */
  readonly settings: BoardSettings;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Probes in flight at most (count; at start: git processes in flight). @default 4 (start: min(4, cores)) */
  readonly concurrency?: number;
  /** Quiet time after a lane's latest change before it is probed (ms). @default 100 */
  readonly debounceMs?: number;
  /** Least time between two activity-driven `refresh()` probes of one lane (ms). @default max(10000, 50 × lanes) */
  readonly activityGapMs?: number;
  /** Activity refreshes are gathered this long and probed together (ms). @default 250 */
  readonly activityCoalesceMs?: number;
  /** Re-probe period for lanes in an error state, and for all lanes after a watch error (ms). @default 15000 */
  readonly retryMs?: number;
  /** Extra environment for git (tests). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Resolves once every action dispatched so far is applied and drawn: the batched
   * dispatch's `applied()` (src/runtime/batch.ts), given when a board draws the store. The
   * first probe then runs the dirty lanes' `git diff` after it, so the complete rows are
   * drawn before those processes take the CPU (each such lane is reported twice). Absent
   * (`serve`, `--json --watch`): the first probe runs them in the status chains.
   */
  readonly applied?: () => Promise<void>;
}

/** The git watcher: a {@link Service} plus an on-demand, debounced refresh of one lane. */
export type GitWatcher = Service & {
  /** Ask for a (debounced) re-probe of a lane; unknown ids and calls after dispose are ignored. */
  refresh(laneId: string): void;
};

/**
 * Create the git watcher. `start()` resolves once every lane has been probed once (each
 * lane's first `git/ok` / `git/error` dispatched, its watches ready); callers that must not
 * wait (the TUI) may leave it running. `dispose()` stops timers and watches, waits for
 * probes in flight, and dispatches nothing afterwards. Never throws into `dispatch`'s caller.
 */
export function createGitWatcher(opts: GitWatcherOptions): GitWatcher {
  const lanes = new Map(opts.lanes.map((l) => [l.id, l] as const));
  const timeoutMs = opts.settings.gitTimeoutMs;
  const diffStats = opts.settings.diffStats;
  const dirs = new Map<string, GitDirs>();
  const last = new Map<string, GitInfo | null>();
  const inError = new Set<string>();
  let degraded = false;
  let disposed = false;
  let started = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const notified = new Set<string>();

  const dispatch = (action: Action) => {
    if (disposed) return;
    try {
      opts.dispatch(action);
    } catch {
      /* Dispatch must not throw; never let it break the watcher either */
    }
  };

  const onChange = (kind: DirWatchKind, dir: string, rel: string) => {
    for (const [laneId, d] of dirs) {
      const lane = lanes.get(laneId);
      if (!lane) continue;
      if (kind === 'refs') {
        // rel '' = an unknown ref of the repository changed (see DirWatchSetOptions.onChange).
        if (
          `${d.commonDir}/refs` === dir &&
          (rel === '' || refConcernsLane(shortRefName(rel), lane, last.get(laneId) ?? null))
        ) {
          scheduler.request(laneId);
        }
      } else if (rel === 'packed-refs' ? d.commonDir === dir : d.gitDir === dir) {
        scheduler.request(laneId);
      }
    }
  };

  const watches = createDirWatchSet({
    onChange,
    onError: (dir, error) => {
      degraded = true; // fall back to slow polling of every lane
      if (notified.has(dir)) return;
      notified.add(dir);
      dispatch({
        type: 'board/notice',
        message: `git watch error on ${dir}: ${error.message} (falling back to re-checking every ${Math.round((opts.retryMs ?? 15_000) / 1000)} s)`,
        at: opts.clock.now(),
      });
    },
    readyTimeoutMs: Math.max(1_000, timeoutMs),
  });

  /** Common dir → its shared watches (meta and refs) are ready. */
  const repoWatched = new Map<string, Promise<void>>();
  /**
   * Resolve and watch a lane's git dirs unless already done; failures are left to the
   * probe to report. `resolved` is a resolution already under way (start shares it).
   */
  const attach = async (
    lane: LaneConfig,
    resolved: Promise<Awaited<ReturnType<typeof resolveGitDirs>>> = resolveGitDirs(lane.worktree, {
      timeoutMs,
      env: opts.env,
    }),
  ) => {
    if (dirs.has(lane.id)) return;
    const r = await resolved;
    if (!r.ok || disposed) return;
    const d: GitDirs = { gitDir: r.gitDir, commonDir: r.commonDir };
    const shared = Promise.all([
      watches.acquire('meta', d.commonDir, lane.id),
      watches.acquire('refs', `${d.commonDir}/refs`, lane.id),
    ]).then(() => undefined);
    if (!repoWatched.has(d.commonDir)) repoWatched.set(d.commonDir, shared);
    await Promise.all([watches.acquire('meta', d.gitDir, lane.id), shared]);
    dirs.set(lane.id, d);
  };

  /** Record and dispatch a probe's outcome for its lane. */
  const apply = async (action: Action) => {
    if (action.type !== 'git/ok' && action.type !== 'git/error') return;
    const laneId = action.laneId;
    if (action.type === 'git/ok') {
      inError.delete(laneId);
      last.set(laneId, action.info);
    } else {
      inError.add(laneId);
      // The worktree may come back elsewhere (recreated, re-cloned): resolve again next time.
      if (dirs.delete(laneId)) await watches.release(laneId);
    }
    dispatch(action);
  };

  /** Per lane: single-lane probes finished so far (count); a newer one beats the start batch. */
  const finishedRuns = new Map<string, number>();
  const run = async (laneId: string) => {
    const lane = lanes.get(laneId);
    if (!lane || disposed) return;
    await attach(lane);
    const action = await probeLane(lane, {
      timeoutMs,
      at: () => opts.clock.now(),
      env: opts.env,
      diffStats,
    });
    finishedRuns.set(laneId, (finishedRuns.get(laneId) ?? 0) + 1);
    await apply(action);
  };

  /** Several due lanes at once: one batch probe (equivalent to probeLane per lane). */
  const runMany = async (laneIds: readonly string[]) => {
    const due = laneIds.flatMap((id) => {
      const lane = lanes.get(id);
      return lane && !disposed ? [lane] : [];
    });
    if (due.length === 0) return;
    await Promise.all(due.map((lane) => attach(lane)));
    const { actions } = await probeLanes(due, {
      timeoutMs,
      at: () => opts.clock.now(),
      env: opts.env,
      diffStats,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      gitDirsOf: (lane) => Promise.resolve(dirs.get(lane.id) ?? null),
    });
    for (const action of actions) {
      if (!('laneId' in action)) continue;
      finishedRuns.set(action.laneId, (finishedRuns.get(action.laneId) ?? 0) + 1);
      await apply(action);
    }
  };

  const activity = createActivityThrottle({
    clock: opts.clock,
    // Fleets scale the gap (50 ms per lane past 200 lanes: 25 s at 500) so background git
    // work per second stays bounded as lanes are added, like the bridge safety nets.
    gapMs: opts.activityGapMs ?? Math.max(10_000, opts.lanes.length * 50),
    coalesceMs: opts.activityCoalesceMs ?? 250,
    // Queued in one turn (no per-lane debounce timers, which can fire a turn apart under
    // load): the scheduler takes them as one batch.
    probe: (ids) => {
      if (!disposed) for (const id of ids) void scheduler.probeNow(id);
    },
  });
  const scheduler = createProbeScheduler({
    run,
    runMany,
    concurrency: opts.concurrency ?? 4,
    debounceMs: opts.debounceMs ?? 100,
  });

  return {
    async start() {
      if (started || disposed) return;
      started = true;
      retryTimer = setInterval(() => {
        for (const laneId of lanes.keys()) {
          if (degraded || inError.has(laneId)) scheduler.request(laneId);
        }
      }, opts.retryMs ?? 15_000);
      retryTimer.unref();
      const all = [...lanes.values()];
      // Watches are set up alongside the batch (file reads and directory scans, no git
      // process); the batch reads a lane only once its watches are ready, so no change
      // made after a read can go unseen.
      // The plain layouts are read synchronously so git starts at once (see
      // readGitDirsFromFilesSync); anything else is asked of git.
      const resolved = new Map(
        all.map((l) => {
          const fast = readGitDirsFromFilesSync(l.worktree);
          return [
            l.id,
            fast
              ? Promise.resolve({ ok: true as const, ...fast })
              : resolveGitDirs(l.worktree, { timeoutMs, env: opts.env }),
          ];
        }),
      );
      const attached = new Map(all.map((l) => [l.id, attach(l, resolved.get(l.id))]));
      const before = new Map(finishedRuns);
      const applied: Promise<void>[] = [];
      await probeLanes(
        all,
        {
          timeoutMs,
          at: () => opts.clock.now(),
          env: opts.env,
          diffStats,
          ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
          gitDirsOf: async (lane) => {
            const r = await resolved.get(lane.id);
            return r?.ok ? { gitDir: r.gitDir, commonDir: r.commonDir } : null;
          },
          // A board draws the rows first: dirty lanes' diff stats follow once they are drawn.
          ...(opts.applied ? { diffsAfter: opts.applied } : {}),
          laneReady: (lane) => attached.get(lane.id) ?? Promise.resolve(),
          repoReady: (commonDir) => repoWatched.get(commonDir) ?? Promise.resolve(),
        },
        (actions) => {
          for (const action of actions) {
            if (!('laneId' in action)) continue;
            // A single-lane probe that finished meanwhile read a newer state: keep it.
            if ((finishedRuns.get(action.laneId) ?? 0) !== (before.get(action.laneId) ?? 0))
              continue;
            applied.push(apply(action));
          }
        },
      );
      await Promise.all([...applied, ...attached.values()]);
    },
    refresh(laneId) {
      if (!disposed && lanes.has(laneId)) activity.note(laneId);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(retryTimer);
      activity.dispose();
      await scheduler.dispose();
      await watches.close();
    },
  };
}
