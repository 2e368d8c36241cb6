/**
 * A check that runs when poked (a watch event said something changed), at most once per
 * `minGapMs`, and on a slow fallback timer when nothing pokes it (events can be lost or
 * never come). Used per running worker for its `worker.log` (./log-watch.ts): an idle
 * worker then costs one timer every `fallbackMs` instead of fixed 500 ms / 1 s polls
 * (issue #17, docs/performance.md "Idle at 500 lanes").
 */
import type { Clock } from '../types.js';

/** Options of {@link pacedCheck}. Durations in ms. */
export interface PacedCheckOptions {
  /** The check. A rejection is ignored (the next poke or fallback runs it again). */
  readonly check: () => Promise<void>;
  /** Time source of the pacing (epoch ms). */
  readonly clock: Clock;
  /** Shortest time from the start of one check to the start of the next (ms, >= 0). */
  readonly minGapMs: number;
  /** Time after a check ends when the next one runs without a poke (ms, > 0). */
  readonly fallbackMs: () => number;
}

/** A paced check (see the module doc). */
export interface PacedCheck {
  /**
   * Ask for a check: at once when the last one started `minGapMs` ago or more, else when
   * that gap is over; a poke during a check runs one more after it (never two at once).
   * No-op after {@link stop}.
   */
  poke(): void;
  /** No more checks; resolves once a check under way has finished. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the paced check; the first check runs after `fallbackMs` unless poked earlier.
 * Timers are unref'd. Never throws.
 */
export function pacedCheck(opts: PacedCheckOptions): PacedCheck {
  let timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (epoch ms of `opts.clock`). */
  let dueAt = Infinity;
  let lastStart = -Infinity;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const arm = (delay: number): void => {
    if (stopped) return;
    const at = opts.clock.now() + Math.max(0, delay);
    if (timer !== null && dueAt <= at) return;
    if (timer !== null) clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(run, Math.max(0, delay));
    timer.unref();
  };
  const run = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    dueAt = Infinity;
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    again = false;
    lastStart = opts.clock.now();
    running = Promise.resolve()
      .then(opts.check)
      .catch(() => undefined)
      .finally(() => {
        running = null;
        if (again) poke();
        else arm(opts.fallbackMs());
      });
  };
  const poke = (): void => {
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    const wait = lastStart + opts.minGapMs - opts.clock.now();
    if (wait <= 0) run();
    else arm(wait);
  };
  arm(opts.fallbackMs());

  return {
    poke,
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
