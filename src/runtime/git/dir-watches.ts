/**
 * Shared, reference-counted `node:fs` `watch()` (inotify on Linux) watches on git metadata
 * directories. Directories are watched, never single files (git replaces files by rename).
 * No `recursive: true` (a JS emulation with known bugs on Linux in Node 20): every directory
 * gets its own non-recursive watch. Two kinds:
 * - `meta`: a git dir or common dir, one watch; reports only the entries `HEAD`, `index`,
 *   `packed-refs` (`*.lock`, `packed-refs.new`, `objects/`… are ignored).
 * - `refs`: `<common dir>/refs`: one watch on it (so `heads/` and `remotes/` appearing later
 *   are seen) and one on every directory below `heads/` and `remotes/` (branch names with
 *   `/` make nested dirs: `heads/lane/l000`). Reports `heads/<name>` / `remotes/<name>`.
 * Lanes of one repository share the watches of its common dir.
 *
 * Event cost is O(1) (a map lookup, no syscall) except for refs names not known as ref
 * files: one `lstat` tells a ref file (reported) from a new directory (watched, then read
 * once with `readdir`, its refs reported, since they may predate the watch). A known ref
 * file's event costs no syscall but makes the name unverified, so the next event for it
 * is checked: a ref file can only turn into a directory by being deleted first (two events:
 * unlink, mkdir; measured on Node 20 / Linux, as below). The options, the interface and the
 * per-directory bookkeeping are declared in ./dir-watch-types.ts.
 *
 * Measured `fs.watch` behaviour (Node 20, Linux): git writes `x.lock` then renames it, so
 * an update gives `rename x.lock`…`rename x`; a deleted or moved watched directory reports
 * `rename <its own basename>` (twice when deleted) and then goes silent; a new
 * subdirectory's contents are not reported to the parent's watch. `filename` may be null.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { nodeWatch, type DirWatcherHandle } from '../fs-watch.js';
import {
  META_ENTRIES,
  REF_ROOTS,
  type DirWatchKind,
  type DirWatchSet,
  type DirWatchSetOptions,
  type Entry,
} from './dir-watch-types.js';

export { nodeWatch, type DirWatcherHandle, type WatchFn } from '../fs-watch.js';
export { type DirWatchKind, type DirWatchSet, type DirWatchSetOptions } from './dir-watch-types.js';

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
const isMissing = (err: unknown): boolean =>
  (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ||
  (err as NodeJS.ErrnoException | null)?.code === 'ENOTDIR';

/** Create an empty {@link DirWatchSet}. */
export function createDirWatchSet(opts: DirWatchSetOptions): DirWatchSet {
  const entries = new Map<string, Entry>();
  const watchFn = opts.watch ?? nodeWatch;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 5_000;
  const reviveMs = opts.reviveMs ?? 1_000;
  let closed = false;

  const emit = (e: Entry, rel: string) => {
    if (closed || e.closed) return;
    try {
      opts.onChange(e.kind, e.dir, rel);
    } catch {
      /* a listener error must not break the watch */
    }
  };
  /** An unknown change of the entry: the holders re-probe. */
  const emitAny = (e: Entry) => {
    if (e.kind === 'refs') emit(e, '');
    else for (const name of META_ENTRIES) emit(e, name);
  };
  const fail = (e: Entry, err: unknown) => {
    if (closed || e.closed) return;
    try {
      opts.onError(e.dir, asError(err));
    } catch {
      /* see emit */
    }
  };

  /** Close the watches of `rel` and everything below it. */
  const closeNode = (e: Entry, rel: string) => {
    const prefix = rel === '' ? '' : `${rel}/`;
    for (const [r, h] of e.nodes) {
      if (r !== rel && !r.startsWith(prefix)) continue;
      e.nodes.delete(r);
      try {
        h.close();
      } catch {
        /* closing a watch of a vanished dir must not throw back */
      }
    }
    for (const r of e.files.keys()) if (r.startsWith(prefix)) e.files.delete(r);
  };

  /** Watch `rel` unless watched; false when it is not watched afterwards. */
  const openNode = (e: Entry, rel: string, quietMissing: boolean): boolean => {
    if (e.closed) return false;
    if (e.nodes.has(rel)) return true;
    const abs = rel === '' ? e.dir : path.join(e.dir, rel);
    try {
      let h: DirWatcherHandle | null = null;
      h = watchFn(abs, (type, name) => {
        if (h !== null && e.nodes.get(rel) === h) onEvent(e, rel, type, name);
      });
      h.on('error', (err) => {
        if (e.nodes.get(rel) !== h) return;
        closeNode(e, rel);
        fail(e, err);
        emitAny(e);
      });
      e.nodes.set(rel, h);
      return true;
    } catch (err) {
      if (!(quietMissing && isMissing(err))) fail(e, err);
      return false;
    }
  };

  /**
   * Watch `rel` (`refs`) and every directory below it; report its ref files when `report`.
   * A missing directory is an error only for the acquired dir on first watch (`quiet` false).
   */
  const walk = async (
    e: Entry,
    rel: string,
    report: boolean,
    quiet = rel !== '',
  ): Promise<void> => {
    if (!openNode(e, rel, quiet)) return;
    let ents;
    try {
      ents = await readdir(rel === '' ? e.dir : path.join(e.dir, rel), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) closeNode(e, rel);
      else fail(e, err);
      return;
    }
    if (e.closed || !e.nodes.has(rel)) return; // closed meanwhile (its dir was replaced)
    const subdirs: Promise<void>[] = [];
    for (const ent of ents) {
      if (ent.name.endsWith('.lock')) continue;
      if (rel === '' && !REF_ROOTS.has(ent.name)) continue;
      const child = rel === '' ? ent.name : `${rel}/${ent.name}`;
      if (ent.isDirectory()) subdirs.push(walk(e, child, report));
      else if (rel !== '') {
        e.files.set(child, true);
        if (report) emit(e, child);
      }
    }
    await Promise.all(subdirs);
  };

  /** `rel` (`refs`, not yet known as a directory) changed: report a ref or watch a new dir. */
  const classify = async (e: Entry, rel: string): Promise<void> => {
    try {
      const st = await lstat(path.join(e.dir, rel));
      if (e.closed) return;
      if (st.isDirectory()) {
        e.files.delete(rel);
        await walk(e, rel, true);
        return;
      }
      e.files.set(rel, true);
    } catch {
      e.files.delete(rel); // deleted ref (or unreadable: the probe will tell)
    }
    emit(e, rel);
  };

  /** A watched directory of `refs` was replaced or removed: watch it afresh if it is still there. */
  const resync = (e: Entry, rel: string) => {
    closeNode(e, rel);
    void classify(e, rel);
  };

  /** Watch the acquired dir afresh (quietly); while it is gone, retry every `reviveMs`. */
  const rewatch = async (e: Entry): Promise<void> => {
    clearTimeout(e.revive);
    e.revive = undefined;
    if (e.kind === 'refs') await walk(e, '', true, true);
    else openNode(e, '', true);
    if (e.closed || e.nodes.has('')) return;
    e.revive = setTimeout(() => {
      e.revive = undefined;
      void rewatch(e).then(() => {
        if (e.nodes.has('')) emitAny(e); // back: whatever happened meanwhile is unknown
      });
    }, reviveMs);
    e.revive.unref();
  };

  /** The acquired dir itself was deleted or moved: watch it afresh and report. */
  const selfGone = (e: Entry) => {
    closeNode(e, '');
    void rewatch(e);
    emitAny(e);
  };

  function onEvent(e: Entry, rel: string, type: string, name: string | null): void {
    if (closed || e.closed) return;
    if (name === null) {
      emitAny(e);
      if (e.kind === 'refs') void walk(e, rel, true); // pick up new subdirectories
      return;
    }
    if (rel === '') {
      if (e.kind === 'meta' && META_ENTRIES.has(name)) emit(e, name);
      else if (e.kind === 'refs' && REF_ROOTS.has(name)) resync(e, name);
      else if (type === 'rename' && name === path.basename(e.dir)) selfGone(e);
      return;
    }
    if (name.endsWith('.lock')) return;
    const child = `${rel}/${name}`;
    if (e.nodes.has(child)) resync(e, child);
    else if (e.files.get(child) === true) {
      e.files.set(child, false);
      emit(e, child);
    } else void classify(e, child);
  }

  const open = (kind: DirWatchKind, dir: string): Entry => {
    const e: Entry = {
      kind,
      dir,
      holders: new Set(),
      nodes: new Map(),
      files: new Map(),
      ready: Promise.resolve(),
      revive: undefined,
      closed: false,
    };
    if (kind === 'meta') {
      openNode(e, '', false);
      return e;
    }
    const walked = walk(e, '', false).catch((err: unknown) => fail(e, err));
    e.ready = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, readyTimeoutMs);
      t.unref();
      void walked.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
    return e;
  };

  const shut = (e: Entry) => {
    clearTimeout(e.revive);
    closeNode(e, '');
    e.closed = true;
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
      for (const [key, entry] of entries) {
        if (entry.holders.delete(holder) && entry.holders.size === 0) {
          entries.delete(key);
          shut(entry);
        }
      }
      await Promise.resolve();
    },
    async close() {
      closed = true;
      for (const e of entries.values()) shut(e);
      entries.clear();
      await Promise.resolve();
    },
    size: () => entries.size,
    handles: () => {
      let n = 0;
      for (const e of entries.values()) n += e.nodes.size;
      return n;
    },
  };
}
