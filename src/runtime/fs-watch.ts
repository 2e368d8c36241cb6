/**
 * The one `node:fs` `watch()` seam of the runtime: the bridge watcher (bridge/dir-watch.ts)
 * and the git metadata watches (git/dir-watches.ts) create their directory watches through
 * a {@link WatchFn}, so fault-injection tests can wrap it. Non-recursive, one directory
 * per watch (on Linux: one inotify watch; `recursive` is a JS emulation in Node 20).
 */
import { watch as fsWatch } from 'node:fs';

/** What a {@link WatchFn} returns: the part of `fs.FSWatcher` the runtime uses. */
export interface DirWatcherHandle {
  /** Stops watching; no listener call after it returns. Must not throw. */
  close(): void;
  /** Watch errors (ENOSPC / EMFILE at the inotify limit, EPERM…); the handle is dead after. */
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Receives one change in a watched directory: `eventType` is `rename` (an entry appeared or
 * disappeared) or `change` (its content or attributes changed); `filename` is the entry's
 * name inside the directory, or null when the platform does not say.
 */
export type WatchListener = (eventType: string, filename: string | null) => void;

/**
 * Creates an `fs.watch`-like watcher of one directory. May throw synchronously (ENOENT,
 * ENOSPC at the inotify limit, EMFILE, EACCES): callers turn that into a notice.
 */
export type WatchFn = (path: string, listener: WatchListener) => DirWatcherHandle;

/** The default {@link WatchFn}: `fs.watch(path, {persistent: true, encoding: 'utf8'})`. */
export const nodeWatch: WatchFn = (path, listener) =>
  fsWatch(path, { persistent: true, encoding: 'utf8' }, (eventType, filename) =>
    listener(eventType, typeof filename === 'string' ? filename : null),
  );
