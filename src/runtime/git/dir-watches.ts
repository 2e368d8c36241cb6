/**
 * Shared, reference-counted chokidar watches on git metadata directories. Directories are
 * watched, never single files (files replaced by rename kill file watches; design/
 * pitfalls.md "chokidar"). Two kinds:
 * - `meta`: a git dir or common dir, depth 0, only the entries `HEAD`, `index`,
 *   `packed-refs` (everything else, including `*.lock` and `objects/`, is ignored).
 * - `refs`: `<common dir>/refs`, recursive, only below `heads/` and `remotes/`, `*.lock` ignored.
 * Lanes of one repository share the watches of its common dir.
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** Kind of directory watch (see module doc). */
export type DirWatchKind = 'meta' | 'refs';

/** Entries of a git dir / common dir the `meta` watch reports. */
export const META_ENTRIES: ReadonlySet<string> = new Set(['HEAD', 'index', 'packed-refs']);
const REF_ROOTS: ReadonlySet<string> = new Set(['heads', 'remotes']);

/** Options of {@link createDirWatchSet}. */
export interface DirWatchSetOptions {
  /**
   * Called for every reported change: `dir` is the watched directory as acquired, `rel` the
   * changed path relative to it with `/` separators (e.g. `HEAD`, `heads/lane/a`).
   */
  readonly onChange: (kind: DirWatchKind, dir: string, rel: string) => void;
  /** Called when chokidar reports an error (e.g. ENOSPC at the inotify limit) for `dir`. */
  readonly onError: (dir: string, error: Error) => void;
  /** Give up waiting for a watch's initial scan after this long (ms). @default 5000 */
  readonly readyTimeoutMs?: number;
}

/** A set of shared directory watches, acquired and released per holder (a lane id). */
export interface DirWatchSet {
  /** Watch `dir` as `kind` on behalf of `holder`; resolves when the watch is ready (or its ready wait timed out). */
  acquire(kind: DirWatchKind, dir: string, holder: string): Promise<void>;
  /** Drop every watch `holder` acquired; watches nobody holds any more are closed. */
  release(holder: string): Promise<void>;
  /** Close every watch. Acquire after close does nothing. */
  close(): Promise<void>;
  /** Number of open chokidar watchers (for tests and diagnostics). */
  size(): number;
}

interface Entry {
  readonly watcher: FSWatcher;
  readonly ready: Promise<void>;
  readonly holders: Set<string>;
}

/** Path of `p` relative to `root` with `/` separators, or null when outside / equal. */
function relativeInside(root: string, p: string): string | null {
  const rel = path.relative(root, p);
  if (rel.length === 0 || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/** Create an empty {@link DirWatchSet}. */
export function createDirWatchSet(opts: DirWatchSetOptions): DirWatchSet {
  const entries = new Map<string, Entry>();
  let closed = false;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 5_000;

  const ignoredFor = (kind: DirWatchKind, dir: string) => (p: string) => {
    const rel = relativeInside(dir, p);
    if (rel === null) return false;
    if (rel.endsWith('.lock')) return true;
    if (kind === 'meta') return !META_ENTRIES.has(rel);
    const first = rel.split('/')[0] ?? '';
    return !REF_ROOTS.has(first);
  };

  const open = (kind: DirWatchKind, dir: string): Entry => {
    const watcher = watch(dir, {
      ignoreInitial: true,
      persistent: true,
      depth: kind === 'meta' ? 0 : 20,
      ignored: ignoredFor(kind, dir),
    });
    const report = (p: string) => {
      const rel = relativeInside(dir, p);
      if (rel !== null && !closed) opts.onChange(kind, dir, rel);
    };
    watcher.on('add', report);
    watcher.on('change', report);
    watcher.on('unlink', report);
    watcher.on('error', (err: unknown) => {
      if (!closed) opts.onError(dir, err instanceof Error ? err : new Error(String(err)));
    });
    const ready = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, readyTimeoutMs);
      watcher.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
    return { watcher, ready, holders: new Set() };
  };

  return {
    async acquire(kind, dir, holder) {
      if (closed) return;
      const key = `${kind}\0${dir}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = open(kind, dir);
        entries.set(key, entry);
      }
      entry.holders.add(holder);
      await entry.ready;
    },
    async release(holder) {
      const closing: Promise<void>[] = [];
      for (const [key, entry] of entries) {
        if (entry.holders.delete(holder) && entry.holders.size === 0) {
          entries.delete(key);
          closing.push(entry.watcher.close());
        }
      }
      await Promise.allSettled(closing);
    },
    async close() {
      closed = true;
      const all = [...entries.values()].map((e) => e.watcher.close());
      entries.clear();
      await Promise.allSettled(all);
    },
    size: () => entries.size,
  };
}
