/**
 * The contract of the shared git-directory watches (./dir-watches.ts, whose module doc
 * explains the two kinds and the measured `fs.watch` behaviour): the kinds, the entries
 * reported, the options and the {@link DirWatchSet} interface, plus the per-directory
 * bookkeeping record the implementation keeps.
 */
import type { DirWatcherHandle, WatchFn } from '../fs-watch.js';

/** Kind of directory watch (see module doc). */
export type DirWatchKind = 'meta' | 'refs';

/** Entries of a git dir / common dir the `meta` watch reports. */
export const META_ENTRIES: ReadonlySet<string> = new Set(['HEAD', 'index', 'packed-refs']);
/** Subdirectories of `refs` whose refs are reported (`tags/` etc. are not). */
export const REF_ROOTS: ReadonlySet<string> = new Set(['heads', 'remotes']);

/** Options of {@link createDirWatchSet}. */
export interface DirWatchSetOptions {
  /**
   * Called for every reported change: `dir` is the watched directory as acquired, `rel` the
   * changed path relative to it with `/` separators (e.g. `HEAD`, `heads/lane/a`). For
   * `refs`, `rel` is `''` when the changed entry is unknown (any ref of `dir` may have
   * changed: the dir was deleted or moved, a watch failed, or the platform gave no name);
   * for `meta` an unknown change is reported as each of {@link META_ENTRIES}. Must not
   * throw (a throw is swallowed).
   */
  readonly onChange: (kind: DirWatchKind, dir: string, rel: string) => void;
  /**
   * Called when a watch under `dir` (the acquired dir) cannot be made or fails later
   * (ENOENT for a missing acquired dir, ENOSPC / EMFILE at the inotify limit, EACCES):
   * changes there may go unseen from now on. A subdirectory of `refs` that vanished
   * before it could be watched is not an error.
   */
  readonly onError: (dir: string, error: Error) => void;
  /** Resolve `acquire` after this long (ms) even if reading the refs tree is still under way. @default 5000 */
  readonly readyTimeoutMs?: number;
  /**
   * While an acquired dir is gone (deleted or moved away), try to watch it again this often
   * (ms); once it is back, an unknown change is reported. @default 1000
   */
  readonly reviveMs?: number;
  /** How directories are watched (fault-injection tests). @default {@link nodeWatch} */
  readonly watch?: WatchFn;
}

/** A set of shared directory watches, acquired and released per holder (a lane id). */
export interface DirWatchSet {
  /**
   * Watch `dir` as `kind` on behalf of `holder`. Resolves once the watches are in place
   * (`meta`: at once; `refs`: after one walk of the tree, bounded by `readyTimeoutMs`).
   * Never rejects: failures go to `onError`. Does nothing after `close()`.
   */
  acquire(kind: DirWatchKind, dir: string, holder: string): Promise<void>;
  /** Drop every watch `holder` acquired; watches nobody holds any more are closed. */
  release(holder: string): Promise<void>;
  /** Close every watch. Acquire after close does nothing. */
  close(): Promise<void>;
  /** Number of acquired (kind, dir) watches held by someone (count). */
  size(): number;
  /** Number of live `fs.watch` handles, one per watched directory (count; diagnostics). */
  handles(): number;
}

/** Bookkeeping of one acquired (kind, dir) watch (internal to ./dir-watches.ts). */
export interface Entry {
  readonly kind: DirWatchKind;
  readonly dir: string;
  readonly holders: Set<string>;
  /** Watched dirs by path relative to `dir` (`''` = `dir` itself). */
  readonly nodes: Map<string, DirWatcherHandle>;
  /** `refs`: ref files by relative path; true = verified since its latest event. */
  readonly files: Map<string, boolean>;
  ready: Promise<void>;
  /** Pending retry while the acquired dir is gone. */
  revive: NodeJS.Timeout | undefined;
  closed: boolean;
}
