/**
 * One `node:fs` `watch()` (inotify on Linux) of one directory, non-recursive. The listener
 * does O(1) work: it hands the changed entry's name (or null) to the owner, which marks
 * files dirty and schedules a coalesced read (./dirty-queue.ts); no stat or readdir per
 * event. Measured on Node 20 / Linux (see test/runtime/bridge/dir-watch.test.ts):
 * - a tmp+rename write of `state.json` gives `rename a.tmp`, `change a.tmp`, `rename a.tmp`,
 *   `rename state.json`: only the last one names a file the board reads;
 * - `rename` fires both when an entry appears and when it disappears;
 * - a watched directory that is deleted reports `rename <its own name>` and then goes
 *   silent for good (no `error`): the parent's watch and the periodic dir check notice it,
 *   and the owner replaces the watch when the directory comes back;
 * - `filename` may be null (the platform did not say which entry changed);
 * - creating a watch at the inotify limit throws `ENOSPC` (or `EMFILE`), and a live watch
 *   may emit `error`: both go to `onError` and the owner falls back to polling.
 */
import type { DirWatcherHandle, WatchFn } from '../fs-watch.js';

export { nodeWatch, type DirWatcherHandle, type WatchFn, type WatchListener } from '../fs-watch.js';

/**
 * A live watch of one directory, tagged with the identity (`dev:ino:birthtime`, see
 * ./bridge-dir.ts) the directory had when the watch was made, so the owner can tell when
 * the directory was replaced and the watch must be made again.
 */
export class DirWatch {
  /** Absolute path of the watched directory. */
  readonly path: string;
  /** Identity of the directory when the watch was created (null when unknown). */
  readonly id: string | null;
  #handle: DirWatcherHandle | null = null;

  private constructor(path: string, id: string | null) {
    this.path = path;
    this.id = id;
  }

  /**
   * Starts watching `path`. Returns null (after calling `onError` once) when the watch
   * cannot be created; later watch errors also go to `onError`. `onName` gets each event's
   * entry name (null = unknown entry) and must be O(1) and must not throw.
   */
  static open(
    watch: WatchFn,
    path: string,
    id: string | null,
    onName: (name: string | null) => void,
    onError: (error: unknown) => void,
  ): DirWatch | null {
    const dw = new DirWatch(path, id);
    try {
      const handle = watch(path, (_event, filename) => {
        if (dw.#handle !== null) onName(filename);
      });
      handle.on('error', (error) => {
        if (dw.#handle !== null) onError(error);
      });
      dw.#handle = handle;
      return dw;
    } catch (error) {
      onError(error);
      return null;
    }
  }

  /** The watch is live (not closed). */
  get live(): boolean {
    return this.#handle !== null;
  }

  /** Closes the watch; idempotent, never throws. */
  close(): void {
    const handle = this.#handle;
    this.#handle = null;
    try {
      handle?.close();
    } catch {
      // Closing a watcher whose directory is gone must not throw back.
    }
  }
}
