/**
 * Every `fs.watch` of the bridge watcher (see ./dir-watch.ts): one per watch root (the
 * parents of the bridge dirs, and each worktree for `.claw`), one per healthy bridge dir
 * and one per existing `.claw` dir. Events are routed through {@link WatchLayout.children}
 * to a {@link DirtyQueue} in O(1). A watch that fails (ENOSPC / EMFILE at the inotify
 * limit, an `error` event) is never retried: its lanes are polled instead.
 */
import { join, resolve } from 'node:path';
import { DirWatch, type WatchFn } from './dir-watch.js';
import { DIRTY, DirtyQueue } from './dirty-queue.js';
import { dirIdentity } from './identity.js';
import { CLAW_DIR, type LaneBridge } from './lane-bridge.js';
import type { ChildRoutes, WatchLayout } from './layout.js';
import { RootWatch } from './root-watch.js';

/** Collaborators of a {@link WatchSet}. */
export interface WatchSetOptions {
  readonly layout: WatchLayout;
  readonly watch: WatchFn;
  /** Receives each turn's batch of dirty lanes (lane → OR of `DIRTY` bits). */
  readonly onDirty: (batch: ReadonlyMap<LaneBridge, number>) => void;
  /** A root itself may have been deleted or replaced (re-sync it). */
  readonly onRootSelf: (root: RootWatch) => void;
  /** A watch of `path` (covering `lanes` lanes) failed; its lanes are polled from now on. */
  readonly onError: (path: string, lanes: number, error: unknown) => void;
}

interface LanePaths {
  readonly bridge: string;
  readonly worktree: string;
  readonly claw: string;
  readonly roots: RootWatch[];
}

/** Owns every watch; all methods are total (never throw, never reject). */
export class WatchSet {
  /** One per watch root of the layout. */
  readonly roots: readonly RootWatch[];
  readonly #opts: WatchSetOptions;
  readonly #queue: DirtyQueue<LaneBridge>;
  readonly #paths = new Map<LaneBridge, LanePaths>();
  /** Bridge dir and `.claw` dir watches by absolute path. */
  readonly #dirs = new Map<string, DirWatch>();
  /** Paths whose watch failed (polled from then on). */
  readonly #failed = new Set<string>();
  /** Bridge dir → number of lanes reading it. */
  readonly #bridgeLanes = new Map<string, number>();
  #closed = false;

  constructor(opts: WatchSetOptions) {
    this.#opts = opts;
    this.#queue = new DirtyQueue(opts.onDirty);
    const roots: RootWatch[] = [];
    for (const [path, lanes] of opts.layout.roots) {
      const kids = opts.layout.children.get(path);
      roots.push(
        new RootWatch({
          path,
          lanes,
          watch: opts.watch,
          onName: (name) => this.#route(kids, name),
          onSelf: (root) => opts.onRootSelf(root),
          onError: (root, error) => {
            root.polling = true;
            opts.onError(root.path, root.lanes.size, error);
          },
        }),
      );
    }
    this.roots = roots;
    for (const root of roots) {
      for (const lane of root.lanes) {
        const known = this.#paths.get(lane);
        if (known !== undefined) {
          known.roots.push(root);
          continue;
        }
        const bridge = resolve(lane.lane.bridge);
        this.#bridgeLanes.set(bridge, (this.#bridgeLanes.get(bridge) ?? 0) + 1);
        const worktree = resolve(lane.lane.worktree);
        this.#paths.set(lane, { bridge, worktree, claw: join(worktree, CLAW_DIR), roots: [root] });
      }
    }
  }

  /** Routes one event of a watched directory (O(1): map lookups and bit marks). */
  #route(kids: ReadonlyMap<string, ChildRoutes> | undefined, name: string | null): void {
    if (kids === undefined) return;
    if (name === null) {
      for (const routes of kids.values()) this.#mark(routes);
      return;
    }
    const routes = kids.get(name);
    if (routes !== undefined) this.#mark(routes);
  }

  #mark(routes: ChildRoutes): void {
    for (const f of routes.files) this.#queue.mark(f.lane, DIRTY[f.target]);
    for (const d of routes.dirs) {
      this.#queue.mark(d.lane, d.kind === 'claw' ? DIRTY.clawDir : DIRTY.bridgeDir);
    }
  }

  /** Roots of `lane` (its bridge dir's parent and its worktree). */
  rootsOf(lane: LaneBridge): readonly RootWatch[] {
    return this.#paths.get(lane)?.roots ?? [];
  }

  #open(path: string, id: string | null, lanes: number): void {
    const old = this.#dirs.get(path);
    if (old !== undefined && old.id === id) return;
    old?.close();
    this.#dirs.delete(path);
    const kids = this.#opts.layout.children.get(path);
    const dw = DirWatch.open(
      this.#opts.watch,
      path,
      id,
      (name) => this.#route(kids, name),
      (error) => {
        this.#failed.add(path);
        this.#drop(path);
        this.#opts.onError(path, lanes, error);
      },
    );
    if (dw !== null && !this.#failed.has(path)) this.#dirs.set(path, dw);
    else dw?.close();
  }

  #drop(path: string): void {
    this.#dirs.get(path)?.close();
    this.#dirs.delete(path);
  }

  /**
   * Makes the watch of `lane`'s bridge dir match its last check: watched while it is a
   * healthy, non-symlink dir (re-made when its identity changed), unwatched otherwise.
   * Synchronous; call it right after each dir check.
   */
  syncBridge(lane: LaneBridge): void {
    const paths = this.#paths.get(lane);
    if (paths === undefined || this.#closed) return;
    const want = lane.dirOk && !lane.dirIsSymlink && !this.#failed.has(paths.bridge);
    if (want) this.#open(paths.bridge, lane.dirId, this.#bridgeLanes.get(paths.bridge) ?? 1);
    else this.#drop(paths.bridge);
  }

  /** Watches `lane`'s `<worktree>/.claw` while it is a real directory (one lstat). */
  async syncClaw(lane: LaneBridge): Promise<void> {
    const paths = this.#paths.get(lane);
    if (paths === undefined || this.#closed) return;
    const id = await dirIdentity(paths.claw, false);
    if (this.#closed) return;
    if (id === null || this.#failed.has(paths.claw)) this.#drop(paths.claw);
    else this.#open(paths.claw, id, 1);
  }

  /**
   * A change of `lane`'s `.claw/worker-state.json` would reach the board as a watch event:
   * its worktree is watched (so `.claw` appearing is seen) and no `.claw` watch failed.
   */
  clawEventsLive(lane: LaneBridge): boolean {
    const paths = this.#paths.get(lane);
    if (paths === undefined || this.#failed.has(paths.claw)) return false;
    return paths.roots.some((r) => r.path === paths.worktree && r.watching);
  }

  /**
   * Some of `lane`'s files change without a watch event reaching the board, so the lane
   * must be polled: a watch of it failed (limit reached, `error`), its bridge dir is a
   * symlink (its target can be swapped without an event here) or is healthy but unwatched,
   * or it is unhealthy for another reason than absence (e.g. a dangling symlink). A bridge
   * dir that is simply absent is not polled: it appearing is an event of the watched parent
   * (and a parent that is missing too is re-checked itself: {@link rootsWatched}).
   */
  needsPolling(lane: LaneBridge): boolean {
    const paths = this.#paths.get(lane);
    if (paths === undefined) return true;
    if (this.#failed.has(paths.claw) || paths.roots.some((r) => r.polling)) return true;
    if (lane.dirOk) return lane.dirIsSymlink || this.#dirs.get(paths.bridge)?.live !== true;
    return !lane.dirAbsent;
  }

  /** Every watch root of `lane` is watched (false while one is missing or failed). */
  rootsWatched(lane: LaneBridge): boolean {
    return this.#paths.get(lane)?.roots.every((r) => r.watching) ?? false;
  }

  /** Closes every watch and drops pending events. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.close();
    for (const dw of this.#dirs.values()) dw.close();
    this.#dirs.clear();
    await Promise.allSettled(this.roots.map((r) => r.close()));
  }
}
