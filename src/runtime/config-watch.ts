/**
 * Live lanes.yaml: watches the config file with chokidar and hands every settled edit to
 * `reload`. chokidar (not the `fs.watch` used for the hot bridge files) because editors
 * save in many ways — write in place, write a temp file and rename it over, rename the
 * original to a backup and write a new file (vim, JetBrains "safe write") — and
 * chokidar's `atomic` handling folds the unlink + add of the last two into one `change`
 * and keeps watching the path, not the replaced inode. lanes.yaml changes a few times a
 * day, so its per-event cost does not matter here (docs/lanes.md, "Live lanes.yaml").
 */
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Service } from './types.js';

/** Options of {@link createConfigWatcher}. */
export interface ConfigWatcherOptions {
  /** Absolute path of lanes.yaml. */
  readonly file: string;
  /**
   * Called after each settled edit (and when the file reappears). Must not reject; it
   * loads, validates and applies the file, or shows why not.
   */
  readonly reload: () => Promise<void>;
  /** Called when the file is gone (deleted, or renamed away and not replaced). */
  readonly onMissing: () => void;
  /** Quiet time after the last event before `reload` runs (ms). @default 150 */
  readonly settleMs?: number;
}

/** The watcher: `start()` resolves once chokidar is watching; `dispose()` closes it. */
export type ConfigWatcher = Service;

/**
 * Watch `opts.file`. Events within `settleMs` of each other become one `reload` (an
 * editor's truncate + write, or unlink + add, is one edit); reloads never overlap (an
 * edit during a reload schedules one more). Never throws into chokidar.
 */
export function createConfigWatcher(opts: ConfigWatcherOptions): ConfigWatcher {
  const settleMs = opts.settleMs ?? 150;
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let disposed = false;

  const run = (): void => {
    if (disposed) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = opts
      .reload()
      .catch(() => undefined)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = (): void => {
    if (disposed) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run();
    }, settleMs);
  };

  return {
    async start() {
      if (watcher !== null || disposed) return;
      const w = watch(opts.file, { ignoreInitial: true, atomic: true, persistent: true });
      watcher = w;
      w.on('add', schedule);
      w.on('change', schedule);
      w.on('unlink', () => {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          if (!disposed) opts.onMissing();
        }, settleMs);
      });
      w.on('error', () => undefined);
      await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    },
    async dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const w = watcher;
      watcher = null;
      if (w !== null) await w.close();
      if (running !== null) await running;
    },
  };
}
