/**
 * One chokidar watcher over one watch root (a directory holding bridge dirs, or a lane's
 * worktree for `.claw`), `depth: 1`, with uninteresting paths ignored. It is (re)created
 * when the root appears or is replaced, and rebuilt on request: measured on chokidar 5, a
 * bridge dir deleted and recreated quickly is sometimes no longer tracked by the existing
 * watcher (no further `unlinkDir`/`add` events), while a fresh watcher sees it.
 */
import type { ChokidarOptions, FSWatcher } from 'chokidar';
import { stat } from 'node:fs/promises';
import type { LaneBridge } from './lane-bridge.js';
import { isInteresting, type WatchLayout } from './layout.js';

/** Creates a chokidar watcher (normally `chokidar.watch`). */
export type WatchFn = (path: string, options: ChokidarOptions) => FSWatcher;

/** Collaborators of a {@link RootWatch}. */
export interface RootWatchOptions {
  /** Absolute root directory. */
  readonly path: string;
  /** Lanes observed through this root. */
  readonly lanes: ReadonlySet<LaneBridge>;
  readonly layout: WatchLayout;
  readonly watch: WatchFn;
  /** Longest wait for a new watcher's initial scan (ms). */
  readonly readyTimeoutMs: number;
  /** Receives every interesting path chokidar reports (any event). */
  readonly onPath: (path: string) => void;
  /** Receives watcher errors (and a synchronous failure to create one). */
  readonly onError: (root: RootWatch, error: unknown) => void;
}

/**
 * Owns the watcher of one root. All methods resolve (never reject); `sync` calls are
 * serialized so two watchers are never created for the same root.
 */
export class RootWatch {
  readonly path: string;
  readonly lanes: ReadonlySet<LaneBridge>;
  /** Watching failed (limit reached, watcher error): its lanes are polled instead. */
  polling = false;
  readonly #opts: RootWatchOptions;
  #watcher: FSWatcher | null = null;
  #id: string | null = null;
  #closed = false;
  #chain: Promise<unknown> = Promise.resolve();
  readonly #readyWaits = new Set<() => void>();

  constructor(opts: RootWatchOptions) {
    this.#opts = opts;
    this.path = opts.path;
    this.lanes = opts.lanes;
  }

  /** A watcher is currently live for this root. */
  get watching(): boolean {
    return this.#watcher !== null;
  }

  /**
   * Creates the watcher when the root exists and none is live (or the root directory was
   * replaced, or `rebuild` is set); drops it when the root is gone. Resolves true when a new
   * watcher became ready, i.e. its lanes should be re-read (events before it were missed).
   */
  sync(rebuild = false): Promise<boolean> {
    const next = this.#chain.then(() => this.#sync(rebuild));
    this.#chain = next.catch(() => undefined);
    return next.catch(() => false);
  }

  async #sync(rebuild: boolean): Promise<boolean> {
    if (this.#closed) return false;
    let id: string | null = null;
    try {
      const st = await stat(this.path);
      if (st.isDirectory()) id = `${st.dev}:${st.ino}:${st.birthtimeMs}`;
    } catch {
      id = null;
    }
    const unchanged = id === this.#id && (this.#watcher !== null || id === null);
    if ((unchanged && !rebuild) || this.#closed) return false;
    await this.#drop();
    this.#id = id;
    if (id === null || this.polling || this.#closed) return false;
    const watcher = this.#create();
    if (watcher === null) return false;
    this.#watcher = watcher;
    await this.#waitReady(watcher);
    if (this.#closed) {
      await this.#drop();
      return false;
    }
    return true;
  }

  #create(): FSWatcher | null {
    const { layout } = this.#opts;
    try {
      const watcher = this.#opts.watch(this.path, {
        depth: 1,
        ignoreInitial: true,
        followSymlinks: false,
        ignorePermissionErrors: true,
        persistent: true,
        ignored: (path: string) => !isInteresting(layout, path),
      });
      watcher.on('all', (_event, path) => this.#opts.onPath(path));
      watcher.on('error', (error) => this.#opts.onError(this, error));
      return watcher;
    } catch (error) {
      this.#opts.onError(this, error);
      return null;
    }
  }

  #waitReady(watcher: FSWatcher): Promise<void> {
    return new Promise((resolveReady) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timer !== null) clearTimeout(timer);
        this.#readyWaits.delete(done);
        resolveReady();
      };
      this.#readyWaits.add(done);
      timer = setTimeout(done, this.#opts.readyTimeoutMs);
      watcher.once('ready', done);
    });
  }

  async #drop(): Promise<void> {
    const old = this.#watcher;
    this.#watcher = null;
    if (old !== null) await old.close().catch(() => undefined);
  }

  /** Closes the watcher and ends pending ready-waits; later `sync` calls do nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const done of [...this.#readyWaits]) done();
    await this.#drop();
    await this.#chain;
    await this.#drop();
  }
}
