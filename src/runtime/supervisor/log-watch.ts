/**
 * What the supervisor does with a running worker's `<bridge>/worker.log`: read its output
 * live (./live-output.ts), then keep it under the size cap (./log-rotation.ts, through
 * `rotate`). Both follow the bridge dir's watch events (the log lives in the bridge dir:
 * an append is a `change` event of `worker.log`) instead of fixed polls (500 ms rotation,
 * 1 s output before; issue #17, docs/performance.md "Idle at 500 lanes"): a check runs at
 * most every `minGapMs` while the log changes, and every `fallbackMs` otherwise, which
 * catches lost events, a truncation or replacement the watch did not report, and output
 * beyond one read's limit. When the directory cannot be watched (the inotify limit, a
 * watch error) the fallback is `blindMs`.
 * The directory watch is its own `fs.watch`, not the bridge watcher's: inotify gives both
 * the same watch descriptor (libuv shares it per path), so it costs no system call per
 * event, and the supervisor stays independent of the bridge watcher (which runs in other
 * processes too).
 */
import { nodeWatch, type DirWatcherHandle, type WatchFn } from '../fs-watch.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';
import type { Clock } from '../types.js';
import { readWorkerOutput } from './live-output.js';
import { pacedCheck } from './paced-check.js';

/** Options of {@link watchWorkerLog}. Durations in ms. */
export interface WorkerLogWatchOptions {
  readonly clock: Clock;
  /** Rotates the log when it is over the cap; runs after each output read. Never rejects. */
  readonly rotate: () => Promise<void>;
  /** Shortest time between two checks while the log changes. @default 500 */
  readonly minGapMs?: number;
  /** Check period without events, the watch live. @default 5000 */
  readonly fallbackMs?: number;
  /** Check period without a live watch. @default 1000 */
  readonly blindMs?: number;
  /** Creates the directory watch (tests inject failures). @default fs.watch */
  readonly watch?: WatchFn;
}

/** A running watch of one worker's log. */
export interface WorkerLogWatch {
  /** Stops the watch and the checks; resolves once a check under way has finished. */
  stop(): Promise<void>;
}

/**
 * Starts following the run that began at byte `logStart` of `<bridge>/worker.log` (see
 * the module doc); the first check runs at once. Never throws: a directory that cannot be watched falls back to
 * `blindMs` checks.
 */
export function watchWorkerLog(
  bridge: string,
  logStart: number,
  opts: WorkerLogWatchOptions,
): WorkerLogWatch {
  const output = readWorkerOutput(bridge, logStart, { now: () => opts.clock.now() });
  let handle: DirWatcherHandle | null = null;
  const blind = (): void => {
    try {
      handle?.close();
    } catch {
      // a watch whose directory is gone may throw on close
    }
    handle = null;
  };
  const checks = pacedCheck({
    clock: opts.clock,
    minGapMs: opts.minGapMs ?? 500,
    fallbackMs: () => (handle !== null ? (opts.fallbackMs ?? 5_000) : (opts.blindMs ?? 1_000)),
    check: async () => {
      const more = await output.check();
      await opts.rotate();
      if (more) checks.poke();
    },
  });
  try {
    handle = (opts.watch ?? nodeWatch)(bridge, (_event, name) => {
      if (name === null || name === BRIDGE_FILE.workerLog) checks.poke();
    });
    handle.on('error', blind);
  } catch {
    handle = null;
  }
  checks.poke(); // output written before the watch existed
  return {
    async stop(): Promise<void> {
      output.close();
      blind();
      await checks.stop();
    },
  };
}
