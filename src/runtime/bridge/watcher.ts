/**
 * The bridge watcher service: watches every lane's bridge files with chokidar (directories,
 * never files), re-reads a file on each event and once more ~75 ms after the latest one
 * (chokidar drops changes inside its throttle window), rescans everything stat-based every
 * few seconds as a safety net, and polls lanes whose watches failed (ENOSPC / EMFILE) or
 * whose bridge dir is a symlink. See /work/shared/design/pitfalls.md "chokidar".
 */
import { watch as chokidarWatch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { stat } from 'node:fs/promises';
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { Clock, Dispatch, Service } from '../types.js';
import { BRIDGE_TARGETS, LaneBridge, type BridgeTarget } from './lane-bridge.js';
import { buildLayout, isInteresting, type WatchLayout } from './layout.js';
import { errnoCode, errorText } from './text.js';

/** Options of {@link createBridgeWatcher}. Durations in ms. */
export interface BridgeWatcherOptions {
  readonly lanes: readonly LaneConfig[];
  readonly settings: BoardSettings;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Called with the lane id after new event lines or a changed / removed document. */
  readonly onActivity?: (laneId: string) => void;
  /** Trailing re-read delay after the latest event of a file. @default 75 */
  readonly trailingMs?: number;
  /** Safety-net stat-based rescan period of all lanes. @default 2000 */
  readonly rescanMs?: number;
  /** Poll period of lanes that cannot be watched. @default 1000 */
  readonly pollMs?: number;
  /** Longest wait for a watcher's initial scan during start(). @default 5000 */
  readonly readyTimeoutMs?: number;
  /** Creates a chokidar watcher (default `chokidar.watch`); fault-injection tests wrap it. */
  readonly watch?: (path: string, options: ChokidarOptions) => FSWatcher;
}

/** The bridge watcher: a {@link Service} plus on-demand rescans. */
export interface BridgeWatcher extends Service {
  /** Forced re-read of one lane (or all): dispatches whatever changed. Never rejects. */
  rescan(laneId?: string): Promise<void>;
  /** Ids of lanes currently polled instead of watched (diagnostics, tests). */
  pollingLanes(): string[];
}

interface Root {
  readonly path: string;
  readonly lanes: ReadonlySet<LaneBridge>;
  watcher: FSWatcher | null;
  /** `dev:ino` of the watched directory; null when it does not exist. */
  id: string | null;
  /** Watching failed (limit reached, watcher error): poll its lanes from now on. */
  polling: boolean;
}

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

const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * Creates the bridge watcher for `opts.lanes`. `start()` creates the watchers, waits for
 * their initial scan, reads every lane once (dispatching `bridge/*` actions), then keeps
 * watching. `dispose()` closes every watcher and clears every timer. Never throws on bad
 * paths: problems become `bridge/dirError`, `bridge/docError`, `bridge/eventsError` or
 * `board/notice` actions. Every action carries `at: clock.now()`.
 */
export function createBridgeWatcher(opts: BridgeWatcherOptions): BridgeWatcher {
  const trailingMs = opts.trailingMs ?? 75;
  const rescanMs = opts.rescanMs ?? 2000;
  const pollMs = opts.pollMs ?? 1000;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 5000;
  const watchFn = opts.watch ?? chokidarWatch;
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
  const bridges = opts.lanes.map(
    (lane) =>
      new LaneBridge({
        lane,
        settings: opts.settings,
        clock: opts.clock,
        emit: safeDispatch,
        onActivity: () => {
          if (live && !disposed) opts.onActivity?.(lane.id);
        },
      }),
  );
  const layout: WatchLayout = buildLayout(bridges);
  const roots: Root[] = [...layout.roots].map(([path, lanes]) => ({
    path,
    lanes,
    watcher: null,
    id: null,
    polling: false,
  }));
  const inflight = new Set<Promise<unknown>>();
  const trailing = new Map<string, NodeJS.Timeout>();
  const readyWaits = new Set<() => void>();
  const noticed = new Set<string>();
  let rescanTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let rescanBusy = false;
  let pollBusy = false;

  const track = (p: Promise<unknown>): void => {
    const guarded = p.catch(() => undefined);
    inflight.add(guarded);
    void guarded.finally(() => inflight.delete(guarded));
  };
  const notice = (key: string, message: string): void => {
    if (noticed.has(key)) return;
    noticed.add(key);
    safeDispatch({ type: 'board/notice', message, at: opts.clock.now() });
  };

  const run = (lane: LaneBridge, target: BridgeTarget | 'dir'): Promise<void> =>
    target === 'dir' ? lane.refreshDir() : lane.refresh(target, true);

  /** Read now, and again `trailingMs` after the latest event for the same file. */
  const kick = (lane: LaneBridge, target: BridgeTarget | 'dir'): void => {
    if (disposed) return;
    track(run(lane, target));
    const key = `${lane.lane.id}\u0000${target}`;
    const old = trailing.get(key);
    if (old !== undefined) clearTimeout(old);
    trailing.set(
      key,
      setTimeout(() => {
        trailing.delete(key);
        if (!disposed) track(run(lane, target));
      }, trailingMs),
    );
  };

  const route = (path: string): void => {
    for (const { lane, target } of layout.files.get(path) ?? []) kick(lane, target);
    for (const { lane, kind } of layout.dirs.get(path) ?? []) {
      if (kind === 'claw') {
        kick(lane, 'claw');
        continue;
      }
      kick(lane, 'dir');
      for (const target of BRIDGE_TARGETS) if (target !== 'claw') kick(lane, target);
    }
  };

  const onWatchError = (root: Root, error: unknown): void => {
    const code = errnoCode(error);
    const wasPolling = root.polling;
    root.polling = true;
    const ids = [...root.lanes].map((l) => l.lane.id);
    const lanesText = `${ids.length} lane${ids.length === 1 ? '' : 's'}`;
    const every = `every ${pollMs / 1000} s`;
    if (code !== undefined && LIMIT_CODES.has(code)) {
      if (wasPolling) return;
      const advice =
        code === 'ENOSPC'
          ? 'raise fs.inotify.max_user_watches'
          : 'raise the open-file limit (ulimit -n)';
      notice(
        `limit:${root.path}`,
        `file watch limit reached (${code}) under ${root.path}: polling bridge files of ${lanesText} ${every} instead; ${advice}`,
      );
      return;
    }
    notice(
      `error:${root.path}:${code ?? errorText(error)}`,
      `file watcher error under ${root.path}: ${errorText(error)}; polling bridge files of ${lanesText} ${every} as a fallback`,
    );
  };

  const waitReady = (watcher: FSWatcher): Promise<void> =>
    new Promise((resolveReady) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timer !== null) clearTimeout(timer);
        readyWaits.delete(done);
        resolveReady();
      };
      readyWaits.add(done);
      timer = setTimeout(done, readyTimeoutMs);
      watcher.once('ready', done);
    });

  const createWatcher = (root: Root): FSWatcher | null => {
    try {
      const watcher = watchFn(root.path, {
        depth: 1,
        ignoreInitial: true,
        followSymlinks: false,
        ignorePermissionErrors: true,
        persistent: true,
        ignored: (path: string) => !isInteresting(layout, path),
      });
      watcher.on('all', (_event, path) => route(path));
      watcher.on('error', (error) => onWatchError(root, error));
      return watcher;
    } catch (error) {
      onWatchError(root, error);
      return null;
    }
  };

  const closeWatcher = async (watcher: FSWatcher): Promise<void> => {
    await watcher.close().catch(() => undefined);
  };

  /** (Re)creates watchers of roots that appeared or were replaced; returns the lanes to re-read. */
  const syncRoots = async (): Promise<Set<LaneBridge>> => {
    const changed = new Set<LaneBridge>();
    for (const root of roots) {
      if (disposed) break;
      let id: string | null = null;
      try {
        const st = await stat(root.path);
        if (st.isDirectory()) id = `${st.dev}:${st.ino}`;
      } catch {
        id = null;
      }
      if (id === root.id && (root.watcher !== null || id === null || root.polling)) continue;
      if (root.watcher !== null) {
        const old = root.watcher;
        root.watcher = null;
        await closeWatcher(old);
      }
      root.id = id;
      if (id === null || root.polling || disposed) continue;
      const watcher = createWatcher(root);
      if (watcher === null) continue;
      root.watcher = watcher;
      await waitReady(watcher);
      if (disposed) {
        await closeWatcher(watcher);
        break;
      }
      for (const lane of root.lanes) changed.add(lane);
    }
    return changed;
  };

  const needsPolling = (lane: LaneBridge): boolean =>
    lane.dirIsSymlink || roots.some((r) => r.lanes.has(lane) && (r.polling || r.watcher === null));

  const rescanTick = async (): Promise<void> => {
    if (rescanBusy || disposed) return;
    rescanBusy = true;
    try {
      const changed = await syncRoots();
      await forEachLimit(bridges, 16, (b) =>
        disposed ? Promise.resolve() : b.scan(changed.has(b)),
      );
    } finally {
      rescanBusy = false;
    }
  };

  const pollTick = async (): Promise<void> => {
    if (pollBusy || disposed) return;
    pollBusy = true;
    try {
      const polled = bridges.filter(needsPolling);
      await forEachLimit(polled, 16, (b) => (disposed ? Promise.resolve() : b.scan(false)));
    } finally {
      pollBusy = false;
    }
  };

  return {
    async start(): Promise<void> {
      if (started || disposed) return;
      started = true;
      await syncRoots();
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
      rescanTimer = null;
      pollTimer = null;
      for (const timer of trailing.values()) clearTimeout(timer);
      trailing.clear();
      for (const done of [...readyWaits]) done();
      for (const b of bridges) b.close();
      const watchers = roots.flatMap((r) => (r.watcher ? [r.watcher] : []));
      for (const r of roots) r.watcher = null;
      await Promise.allSettled(watchers.map(closeWatcher));
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
