/**
 * A fixed-interval poll as a {@link Service}: `tick` runs every `intervalMs` ms, never two
 * at once (a tick still running when the next is due makes that one a no-op), and a tick
 * that rejects is ignored (the next one tries again). Used by the record poll, the hook
 * error watcher and the rollout watch.
 */
import type { BoardConfig } from '../state/config-types.js';
import type { Clock, Service } from './types.js';

/** What a poll over the configured lanes is given (the record poll, the rollout watch). */
export interface LanePollOptions {
  readonly config: BoardConfig;
  readonly clock: Clock;
  /** Period of the polls (ms); each poll has its own default. */
  readonly intervalMs?: number;
}

/**
 * A filter that lets a `(key, value)` pair through only when `value` differs from the last
 * value let through for `key` (the first one always passes): what a poll uses to act on
 * changes only.
 */
export function changeFilter(): (key: string, value: string) => boolean {
  const last = new Map<string, string>();
  return (key, value) => {
    if (last.get(key) === value) return false;
    last.set(key, value);
    return true;
  };
}

/** Options of {@link pollService}. */
export interface PollServiceOptions {
  /** Period of the ticks (ms, > 0). */
  readonly intervalMs: number;
  /** One poll. Rejections are swallowed. */
  readonly tick: () => Promise<void>;
  /**
   * Awaited by `start()` before the timer is set (e.g. a first read, a baseline size).
   * Rejections are swallowed. @default none
   */
  readonly prepare?: () => Promise<void>;
}

/**
 * Create the poll. `start()` awaits `prepare`, then starts the (unref'd) timer; a second
 * `start()` does nothing. `dispose()` clears the timer (a tick in flight finishes on its
 * own). Neither method rejects.
 */
export function pollService(opts: PollServiceOptions): Service {
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  let disposed = false;
  const run = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      await opts.tick();
    } catch {
      // the next tick tries again
    } finally {
      busy = false;
    }
  };
  return {
    async start() {
      if (timer !== null || disposed) return;
      await opts.prepare?.().catch(() => undefined);
      if (timer !== null || disposed) return;
      timer = setInterval(() => void run(), opts.intervalMs);
      timer.unref();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearInterval(timer);
      timer = null;
      return Promise.resolve();
    },
  };
}
