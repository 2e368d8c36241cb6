/**
 * The bridge watcher service: watches every lane's bridge files with chokidar (directories,
 * never files; see ./root-watch.ts), re-reads a file on each event and sweeps the lane
 * again ~75 ms after its latest event (chokidar drops changes inside its throttle window),
 * rescans everything stat-based every few seconds as a safety net, polls lanes that cannot
 * be watched (ENOSPC / EMFILE, bridge dir missing or a symlink), and checks every bridge
 * dir's health and identity each `pollMs`.
 * See /work/shared/design/pitfalls.md "chokidar".
 */
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { dirname, resolve } from 'node:path';
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { Clock, Dispatch, Service } from '../types.js';
import { BRIDGE_TARGETS, LaneBridge, type BridgeTarget } from './lane-bridge.js';
import { buildLayout } from './layout.js';
import { RootWatch, type WatchFn } from './root-watch.js';
import { errnoCode, errorText } from './text.js';

/** Options of {@link createBridgeWatcher}. Durations in ms. */
export interface BridgeWatcherOptions {
  readonly lanes: readonly LaneConfig[];
  readonly settings: BoardSettings;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Called with the lane id after new event lines or a changed / removed document. */
  readonly onActivity?: (laneId: string) => void;
  /** Trailing sweep delay after the latest event of a lane. @default 75 */
  readonly trailingMs?: number;
  /** Least time between two reads of one file during a write burst (ms). @default 250 */
  readonly minReadGapMs?: number;
  /** Safety-net stat-based rescan period of all lanes. @default max(10000, 25 × lanes) */
  readonly rescanMs?: number;
  /**
   * Poll period of lanes that cannot be watched (stat-based scan), and of a cheap health
   * check of every lane's bridge dir (one lstat + access): chokidar sometimes misses a
   * bridge dir that is deleted and recreated, and a changed inode triggers a full re-read.
   * @default max(4000, 10 × lanes)
   */
  readonly pollMs?: number;
  /** Longest wait for a watcher's initial scan. @default 5000 */
  readonly readyTimeoutMs?: number;
  /** Creates a chokidar watcher (default `chokidar.watch`); fault-injection tests wrap it. */
  readonly watch?: WatchFn;
}

/** The bridge watcher: a {@link Service} plus on-demand rescans. */
export interface BridgeWatcher extends Service {
  /** Forced re-read of one lane (or all): dispatches whatever changed. Never rejects. */
  rescan(laneId?: string): Promise<void>;
  /** Ids of lanes currently polled instead of (or besides) watched (diagnostics, tests). */
  pollingLanes(): string[];
}

const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);
const BRIDGE_DIR_TARGETS = BRIDGE_TARGETS.filter((t) => t !== 'claw');
/** Delay before rebuilding a root's watcher after a bridge dir under it came back (ms). */
const REBUILD_DELAY_MS = 50;

async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Creates the bridge watcher for `opts.lanes`. `start()` creates the watchers, waits for
 * their initial scan, reads every lane once (dispatching `bridge/*` actions), then keeps
 * watching. `dispose()` closes every watcher and clears every timer. Never throws on bad
 * paths: problems become `bridge/dirError`, `bridge/docError`, `bridge/eventsError` or
 * `board/notice` actions. Every action carries `at: clock.now()`.
 */
export function createBridgeWatcher(opts: BridgeWatcherOptions): BridgeWatcher {
  const trailingMs = opts.trailingMs ?? 75;
  // Safety nets (chokidar does the real work) scale with the fleet so an idle board stays
  // near 0 % CPU: up to 400 lanes are re-checked every 4 s and rescanned every 10 s.
  const rescanMs = opts.rescanMs ?? Math.max(10_000, opts.lanes.length * 25);
  const pollMs = opts.pollMs ?? Math.max(4_000, opts.lanes.length * 10);
  const watchFn: WatchFn =
    opts.watch ?? ((path, options): FSWatcher => chokidarWatch(path, options));
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
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!disposed) fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const cancel = (timer: NodeJS.Timeout | undefined): void => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(timer);
  };

  const roots: RootWatch[] = [];
  const rebuilding = new Set<RootWatch>();
  const scheduleRebuild = (root: RootWatch | undefined): void => {
    if (root === undefined || disposed || root.polling || rebuilding.has(root)) return;
    rebuilding.add(root);
    later(REBUILD_DELAY_MS, () => {
      rebuilding.delete(root);
      track(afterSync(root, root.sync(true)));
    });
  };

  const bridges: LaneBridge[] = opts.lanes.map((lane) => {
    const bridgeRoot = resolve(dirname(resolve(lane.bridge)));
    return new LaneBridge({
      lane,
      settings: opts.settings,
      clock: opts.clock,
      emit: safeDispatch,
      minReadGapMs: opts.minReadGapMs ?? 250,
      onActivity: () => {
        if (live && !disposed) opts.onActivity?.(lane.id);
      },
      onDirChange: (ok) => {
        if (ok && live) scheduleRebuild(roots.find((r) => r.path === bridgeRoot));
      },
    });
  });
  const layout = buildLayout(bridges);

  // Per lane: targets that had events since the last sweep, and the trailing sweep timer.
  const pendingForce = new Map<LaneBridge, Set<BridgeTarget>>();
  const sweepTimers = new Map<LaneBridge, NodeJS.Timeout>();
  const sweep = async (lane: LaneBridge, force: ReadonlySet<BridgeTarget>): Promise<void> => {
    await lane.refreshDir();
    await Promise.all(BRIDGE_TARGETS.map((t) => lane.refresh(t, force.has(t))));
  };
  /** Read `targets` now; sweep the whole lane `trailingMs` after its latest event. */
  const kick = (lane: LaneBridge, targets: readonly BridgeTarget[], dir: boolean): void => {
    if (disposed) return;
    if (dir || !lane.dirOk) track(lane.refreshDir());
    for (const t of targets) track(lane.refresh(t, true));
    const force = pendingForce.get(lane) ?? new Set<BridgeTarget>();
    for (const t of targets) force.add(t);
    pendingForce.set(lane, force);
    cancel(sweepTimers.get(lane));
    sweepTimers.set(
      lane,
      later(trailingMs, () => {
        sweepTimers.delete(lane);
        const forced = pendingForce.get(lane) ?? new Set<BridgeTarget>();
        pendingForce.delete(lane);
        track(sweep(lane, forced));
      }),
    );
  };

  const onPath = (raw: string): void => {
    const path = resolve(raw);
    for (const { lane, target } of layout.files.get(path) ?? []) kick(lane, [target], false);
    for (const { lane, kind } of layout.dirs.get(path) ?? []) {
      if (kind === 'claw') kick(lane, ['claw'], false);
      else kick(lane, BRIDGE_DIR_TARGETS, true);
    }
  };

  const noticed = new Set<string>();
  const notice = (key: string, message: string): void => {
    if (noticed.has(key)) return;
    noticed.add(key);
    safeDispatch({ type: 'board/notice', message, at: opts.clock.now() });
  };
  const onError = (root: RootWatch, error: unknown): void => {
    const code = errnoCode(error);
    root.polling = true;
    const n = root.lanes.size;
    const fallback = `polling bridge files of ${n} lane${n === 1 ? '' : 's'} every ${pollMs / 1000} s`;
    if (code !== undefined && LIMIT_CODES.has(code)) {
      const advice =
        code === 'ENOSPC'
          ? 'raise fs.inotify.max_user_watches'
          : 'raise the open-file limit (ulimit -n)';
      notice(
        `limit:${root.path}`,
        `file watch limit reached (${code}) under ${root.path}: ${fallback} instead; ${advice}`,
      );
      return;
    }
    notice(
      `error:${root.path}:${code ?? errorText(error)}`,
      `file watcher error under ${root.path}: ${errorText(error)}; ${fallback} as a fallback`,
    );
  };

  for (const [path, lanes] of layout.roots) {
    roots.push(
      new RootWatch({
        path,
        lanes,
        layout,
        watch: watchFn,
        readyTimeoutMs: opts.readyTimeoutMs ?? 5000,
        onPath,
        onError,
      }),
    );
  }

  /** After a root got a new watcher, re-read its lanes (events before it were missed). */
  const afterSync = async (root: RootWatch, synced: Promise<boolean>): Promise<void> => {
    if (!(await synced) || disposed || !live) return;
    await forEachLimit([...root.lanes], 16, (b) => b.scan(true));
  };

  const needsPolling = (lane: LaneBridge): boolean =>
    !lane.dirOk ||
    lane.dirIsSymlink ||
    roots.some((r) => r.lanes.has(lane) && (r.polling || !r.watching));

  let rescanBusy = false;
  const rescanTick = async (): Promise<void> => {
    if (rescanBusy || disposed) return;
    rescanBusy = true;
    try {
      await Promise.all(roots.map((r) => afterSync(r, r.sync(false))));
      await forEachLimit(bridges, 16, (b) => (disposed ? Promise.resolve() : b.scan(false)));
    } finally {
      rescanBusy = false;
    }
  };
  let pollBusy = false;
  /** Lanes that cannot be watched get a stat-based scan; all others a bridge-dir check only. */
  const pollTick = async (): Promise<void> => {
    if (pollBusy || disposed) return;
    pollBusy = true;
    try {
      await forEachLimit(bridges, 16, (b) => {
        if (disposed) return Promise.resolve();
        return needsPolling(b) ? b.scan(false) : b.refreshDir();
      });
    } finally {
      pollBusy = false;
    }
  };
  let rescanTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;

  return {
    async start(): Promise<void> {
      if (started || disposed) return;
      started = true;
      await forEachLimit(roots, 8, async (r) => {
        await r.sync(false);
      });
      if (disposed) return;
      await forEachLimit(bridges, 16, (b) => (disposed ? Promise.resolve() : b.scan(true)));
      if (disposed) return;
      live = true;
      rescanTimer = setInterval(() => track(rescanTick()), rescanMs);
      pollTimer = setInterval(() => track(pollTick()), pollMs);
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      live = false;
      if (rescanTimer !== null) clearInterval(rescanTimer);
      if (pollTimer !== null) clearInterval(pollTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const b of bridges) b.close();
      await Promise.allSettled(roots.map((r) => r.close()));
      await Promise.allSettled([...inflight, ...bridges.flatMap((b) => b.inflight())]);
    },

    async rescan(laneId?: string): Promise<void> {
      if (disposed) return;
      const chosen = laneId === undefined ? bridges : bridges.filter((b) => b.lane.id === laneId);
      const p = forEachLimit(chosen, 16, (b) => b.scan(true));
      track(p);
      await p.catch(() => undefined);
    },

    pollingLanes(): string[] {
      return bridges.filter(needsPolling).map((b) => b.lane.id);
    },
  };
}
