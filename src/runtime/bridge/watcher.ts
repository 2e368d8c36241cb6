/**
 * The bridge watcher service: watches every lane's bridge files with `node:fs` `watch()`
 * (inotify) per directory, never per file (./watch-set.ts, ./dir-watch.ts). An event only
 * marks (lane, file) dirty; once per turn of the event loop the dirty files are read
 * (./dirty-queue.ts). An isolated write is read at once; during a burst a file is read
 * once per `minReadGapMs` on average and the burst's last write is always read
 * (./serial.ts).
 * A bridge dir that appears, disappears or is replaced is an event of its parent's watch
 * (one per directory of bridge dirs, ./root-watch.ts), never a per-lane poll.
 * Safety nets: lanes that cannot rely on events (ENOSPC / EMFILE, watch errors, a symlinked
 * or broken bridge dir) are polled stat-based each `pollMs`, and so are missing watch roots
 * (one `lstat` each); and one board-wide sweep (./sweep.ts) re-checks the lanes in
 * batches, one batch every 5 s (at most two lanes a second on average), for events that never
 * arrived.
 */
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { Clock, Dispatch, Service } from '../types.js';
import { nodeWatch, type WatchFn } from './dir-watch.js';
import { DIRTY } from './dirty-queue.js';
import { BRIDGE_TARGETS, LaneBridge } from './lane-bridge.js';
import { buildLayout } from './layout.js';
import type { RootWatch } from './root-watch.js';
import { forEachLimit } from './each-limit.js';
import { watchErrorNotice } from './watch-notices.js';
import { startSweep, type Sweep } from './sweep.js';
import { WatchSet } from './watch-set.js';

export type { WatchFn, WatchListener, DirWatcherHandle } from './dir-watch.js';

/** Options of {@link createBridgeWatcher}. Durations in ms. */
export interface BridgeWatcherOptions {
  readonly lanes: readonly LaneConfig[];
  readonly settings: BoardSettings;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Called with the lane id after new event lines or a changed / removed document. */
  readonly onActivity?: (laneId: string) => void;
  /**
   * Pacing of the reads of one file during a write burst (ms): one read per `minReadGapMs`
   * on average, two may run back to back (see ./serial.ts). 150 ms reads a lane writing
   * 5×/s on every write (issue #17: write → row within a frame) and paces faster writers
   * to ~6.7 reads/s. @default 150
   */
  readonly minReadGapMs?: number;
  /**
   * Duration of one pass of the safety-net sweep (./sweep.ts): every lane's roots, bridge
   * dir (a changed inode means a full re-read and a new watch) and files are re-checked
   * stat-based once per pass, in batches (one every 5 s). The default keeps the board's cost
   * fixed (at most two lanes a second, whatever the lane count). @default max(10000, 500 × lanes)
   */
  readonly rescanMs?: number;
  /**
   * Poll period (stat-based scan) of lanes that cannot rely on watch events, and of watch
   * roots that do not exist (yet): nothing is polled while every watch is live.
   * @default max(4000, 40 × lanes)
   */
  readonly pollMs?: number;
  /**
   * Creates one `fs.watch`-like watcher of a directory (default `fs.watch`);
   * fault-injection tests wrap it (throw ENOSPC, emit `error`, watch elsewhere).
   */
  readonly watch?: WatchFn;
}

/** The bridge watcher: a {@link Service} plus on-demand rescans. */
export interface BridgeWatcher extends Service {
  /** Forced re-read of one lane (or all): dispatches whatever changed. Never rejects. */
  rescan(laneId?: string): Promise<void>;
  /**
   * Ids of lanes not fully covered by live watches (diagnostics, tests): lanes polled
   * stat-based, and lanes whose watch root is missing (that root is polled; its lanes are
   * re-read when it appears).
   */
  pollingLanes(): string[];
}

const BRIDGE_DIR_TARGETS = BRIDGE_TARGETS.filter((t) => t !== 'claw');
/** Delay of the `.claw` check of an active lane whose worktree is not watched (ms). */
const CLAW_CHECK_MS = 100;

/**
 * Creates the bridge watcher for `opts.lanes`. `start()` creates the watches, reads every
 * lane once (dispatching `bridge/*` actions), then keeps watching. `dispose()` closes
 * every watch and clears every timer. Never throws on bad paths: problems become
 * `bridge/dirError`, `bridge/docError`, `bridge/eventsError` or `board/notice` actions.
 * Every action carries `at: clock.now()`.
 */
export function createBridgeWatcher(opts: BridgeWatcherOptions): BridgeWatcher {
  // Safety nets (watch events do the real work) cost the same at any lane count: the sweep
  // re-checks at most two lanes a second, one batch every 5 s (a full pass: 10 s up to 20
  // lanes, 250 s at 500); per-lane dir checks every 20 s and a full rescan every 60 s were
  // most of a 500-lane idle board's CPU (docs/performance.md "Idle at 500 lanes").
  const rescanMs = opts.rescanMs ?? Math.max(10_000, opts.lanes.length * 500);
  const pollMs = opts.pollMs ?? Math.max(4_000, opts.lanes.length * 40);
  let live = false;
  let disposed = false;
  let started = false;

  const safeDispatch: Dispatch = (action) => {
    if (disposed) return;
    try {
      opts.dispatch(action);
    } catch {
      // Dispatch must never throw back into the watcher.
    }
  };
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const guarded = p.catch(() => undefined);
    inflight.add(guarded);
    void guarded.finally(() => inflight.delete(guarded));
  };

  const noticed = new Set<string>();
  const notice = (key: string, message: string): void => {
    if (noticed.has(key)) return;
    noticed.add(key);
    safeDispatch({ type: 'board/notice', message, at: opts.clock.now() });
  };
  const onWatchError = (path: string, n: number, error: unknown): void => {
    const { key, message } = watchErrorNotice(path, n, error, pollMs);
    notice(key, message);
  };

  /** After a root got a new watch, re-read its lanes (changes before it were missed). */
  const afterSync = async (root: RootWatch, synced: Promise<boolean>): Promise<void> => {
    if (!(await synced) || disposed || !live) return;
    await forEachLimit([...root.lanes], 16, (b) => b.scan(true));
  };
  const resyncRoot = (root: RootWatch): void => {
    if (!disposed) track(afterSync(root, root.sync(false)));
  };

  /** A bridge dir appeared, disappeared or was replaced: check it, then re-read its files. */
  const bridgeDirChanged = async (lane: LaneBridge): Promise<void> => {
    await lane.refreshDir();
    if (lane.dirOk) await Promise.all(BRIDGE_DIR_TARGETS.map((t) => lane.refresh(t, true)));
  };
  const clawDirChanged = async (lane: LaneBridge): Promise<void> => {
    await watches.syncClaw(lane);
    await lane.refresh('claw', true);
  };
  /**
   * `.claw` of an active lane whose worktree cannot be watched (it does not exist yet, or
   * its watch failed) is checked stat-based `CLAW_CHECK_MS` after the activity, so a worker
   * that writes its bridge files and then its claw state is seen without waiting for a poll.
   */
  const clawChecks = new Map<LaneBridge, NodeJS.Timeout>();
  const clawCheckSoon = (lane: LaneBridge): void => {
    if (clawChecks.has(lane) || disposed) return;
    const timer = setTimeout(() => {
      clawChecks.delete(lane);
      if (!disposed) void lane.refresh('claw', false);
    }, CLAW_CHECK_MS);
    clawChecks.set(lane, timer);
  };
  const BRIDGE_FILE_BITS = DIRTY.state | DIRTY.result | DIRTY.events | DIRTY.hooks;
  /** Starts the reads of one turn's dirty lanes (reads are serialized and paced per file). */
  const flush = (batch: ReadonlyMap<LaneBridge, number>): void => {
    if (disposed) return;
    for (const [lane, bits] of batch) {
      if ((bits & DIRTY.clawDir) !== 0) track(clawDirChanged(lane));
      else if ((bits & DIRTY.claw) !== 0) void lane.refresh('claw', true);
      else if ((bits & BRIDGE_FILE_BITS) !== 0 && !watches.clawEventsLive(lane)) {
        clawCheckSoon(lane);
      }
      if ((bits & DIRTY.bridgeDir) !== 0) {
        track(bridgeDirChanged(lane));
        continue;
      }
      if ((bits & BRIDGE_FILE_BITS) === 0) continue;
      if (!lane.dirOk) track(lane.refreshDir());
      if ((bits & DIRTY.state) !== 0) void lane.refresh('state', true);
      if ((bits & DIRTY.result) !== 0) void lane.refresh('result', true);
      if ((bits & DIRTY.events) !== 0) void lane.refresh('events', true);
      if ((bits & DIRTY.hooks) !== 0) void lane.refresh('hooks', true);
    }
  };

  const bridges: LaneBridge[] = opts.lanes.map(
    (lane) =>
      new LaneBridge({
        lane,
        settings: opts.settings,
        clock: opts.clock,
        emit: safeDispatch,
        minReadGapMs: opts.minReadGapMs ?? 150,
        onActivity: () => {
          if (live && !disposed) opts.onActivity?.(lane.id);
        },
        onDirChecked: () => watches.syncBridge(bridgeOf(lane)),
        onDirChange: (ok) => {
          if (!ok || !live) return;
          // The dir is back: its root may have been gone too (deleted with it).
          for (const root of watches.rootsOf(bridgeOf(lane))) {
            if (!root.watching && !root.polling) resyncRoot(root);
          }
        },
      }),
  );
  const byConfig = new Map(bridges.map((b) => [b.lane, b] as const));
  const bridgeOf = (lane: LaneConfig): LaneBridge => byConfig.get(lane) as LaneBridge;
  const watches = new WatchSet({
    layout: buildLayout(bridges),
    watch: opts.watch ?? nodeWatch,
    onDirty: flush,
    onRootSelf: resyncRoot,
    onError: onWatchError,
  });

  /** One lane of the sweep: its roots (a new watch re-reads their lanes), `.claw`, files. */
  const sweepLane = async (b: LaneBridge): Promise<void> => {
    for (const r of watches.rootsOf(b)) await afterSync(r, r.sync(false));
    if (disposed) return;
    await watches.syncClaw(b);
    await b.scan(false);
  };
  let sweep: Sweep | null = null;
  let pollBusy = false;
  /** Missing roots get one `lstat` each; lanes that cannot rely on events a stat-based scan. */
  const pollTick = async (): Promise<void> => {
    if (pollBusy || disposed) return;
    pollBusy = true;
    try {
      // A root that appeared since (a worktree created after start) is watched from now on
      // and its lanes are re-read (afterSync).
      const missing = watches.roots.filter((r) => !r.watching && !r.polling);
      await forEachLimit(missing, 8, (r) => afterSync(r, r.sync(false)));
      const polled = bridges.filter((b) => watches.needsPolling(b));
      await forEachLimit(polled, 16, (b) => (disposed ? Promise.resolve() : b.scan(false)));
    } finally {
      pollBusy = false;
    }
  };
  let pollTimer: NodeJS.Timeout | null = null;

  return {
    async start(): Promise<void> {
      if (started || disposed) return;
      started = true;
      await forEachLimit(watches.roots, 8, async (r) => {
        await r.sync(false);
      });
      if (disposed) return;
      await forEachLimit(bridges, 16, async (b) => {
        if (disposed) return;
        await watches.syncClaw(b);
        await b.scan(true);
      });
      if (disposed) return;
      live = true;
      sweep = startSweep({
        items: () => bridges,
        periodMs: rescanMs,
        clock: opts.clock,
        visit: (b) => (disposed ? Promise.resolve() : sweepLane(b)),
      });
      pollTimer = setInterval(() => track(pollTick()), pollMs);
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      live = false;
      const sweeping = sweep?.stop();
      if (pollTimer !== null) clearInterval(pollTimer);
      for (const timer of clawChecks.values()) clearTimeout(timer);
      clawChecks.clear();
      for (const b of bridges) b.close();
      await watches.close();
      await Promise.allSettled([sweeping, ...inflight, ...bridges.flatMap((b) => b.inflight())]);
    },

    async rescan(laneId?: string): Promise<void> {
      if (disposed) return;
      const chosen = laneId === undefined ? bridges : bridges.filter((b) => b.lane.id === laneId);
      const p = forEachLimit(chosen, 16, (b) => b.scan(true));
      track(p);
      await p.catch(() => undefined);
    },

    pollingLanes(): string[] {
      return bridges
        .filter((b) => watches.needsPolling(b) || !watches.rootsWatched(b))
        .map((b) => b.lane.id);
    },
  };
}
