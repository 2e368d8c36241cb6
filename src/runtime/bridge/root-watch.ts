/**
 * The watch of one watch root: a directory holding bridge dirs (`.laneboard/lanes/`), or a
 * lane's worktree (for `.claw`). Its events say that an entry of the root appeared,
 * disappeared or was replaced (a bridge dir, `.claw`); files inside those entries have
 * their own watches (./dir-watch.ts). The watch is (re)created when the root appears or is
 * replaced (its identity changed), and dropped when the root is gone.
 */
import { basename } from 'node:path';
import type { LaneBridge } from './lane-bridge.js';
import { DirWatch, type WatchFn } from './dir-watch.js';
import { dirIdentity } from './identity.js';

/** Collaborators of a {@link RootWatch}. */
export interface RootWatchOptions {
  /** Absolute root directory. */
  readonly path: string;
  /** Lanes observed through this root. */
  readonly lanes: ReadonlySet<LaneBridge>;
  readonly watch: WatchFn;
  /**
   * Receives the entry name of every event under the root (null = unknown entry). Must be
   * O(1) and must not throw. Events naming the root itself (it was deleted) are handled here.
   */
  readonly onName: (name: string | null) => void;
  /** Receives watch errors (and a synchronous failure to create the watch). */
  readonly onError: (root: RootWatch, error: unknown) => void;
  /** Called (at most once per turn of the event loop) when the root itself may be gone. */
  readonly onSelf: (root: RootWatch) => void;
}

/**
 * Owns the watch of one root. All methods resolve (never reject); `sync` calls are
 * serialized so two watches are never created for the same root.
 */
export class RootWatch {
  readonly path: string;
  readonly lanes: ReadonlySet<LaneBridge>;
  /** Watching failed (limit reached, watch error): its lanes are polled instead. */
  polling = false;
  readonly #opts: RootWatchOptions;
  readonly #base: string;
  #watch: DirWatch | null = null;
  #id: string | null = null;
  #closed = false;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: RootWatchOptions) {
    this.#opts = opts;
    this.path = opts.path;
    this.lanes = opts.lanes;
    this.#base = basename(opts.path);
  }

  /** A watch is currently live for this root. */
  get watching(): boolean {
    return this.#watch !== null;
  }

  /**
   * Creates the watch when the root exists and none is live (or the root directory was
   * replaced, or `rebuild` is set); drops it when the root is gone. Resolves true when a new
   * watch was created, i.e. its lanes should be re-read (changes before it were missed).
   */
  sync(rebuild = false): Promise<boolean> {
    const next = this.#chain.then(() => this.#sync(rebuild));
    this.#chain = next.catch(() => undefined);
    return next.catch(() => false);
  }

  async #sync(rebuild: boolean): Promise<boolean> {
    if (this.#closed) return false;
    const id = await dirIdentity(this.path, true);
    const unchanged = id === this.#id && (this.#watch !== null || id === null);
    if ((unchanged && !rebuild) || this.#closed) return false;
    this.#drop();
    this.#id = id;
    if (id === null || this.polling || this.#closed) return false;
    this.#watch = DirWatch.open(
      this.#opts.watch,
      this.path,
      id,
      (name) => {
        // `rename <own name>`: the root itself was deleted or moved (or an entry has the
        // root's name: checking costs one stat).
        if (name === this.#base) this.#opts.onSelf(this);
        this.#opts.onName(name);
      },
      (error) => {
        this.#drop();
        this.#opts.onError(this, error);
      },
    );
    return this.#watch !== null;
  }

  #drop(): void {
    const old = this.#watch;
    this.#watch = null;
    old?.close();
  }

  /** Closes the watch; later `sync` calls do nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#drop();
    await this.#chain;
    this.#drop();
  }
}
