/**
 * The bridge watcher's one safety-net timer for the whole board (issue #17: "nothing polls
 * per lane"). Watch events do the real work (./watch-set.ts); the sweep only catches what
 * no event reported, e.g. events lost to an inotify queue overflow (libuv drops
 * `IN_Q_OVERFLOW` without telling Node). It visits the items round-robin in BATCHES: one
 * tick every `tickMs` visits `ceil(items × tickMs / periodMs)` items at once, so a full
 * pass takes about `periodMs` and the board wakes up once per tick, not once per item
 * (one lane per 500 ms tick was ~20 thread-pool wake-ups a second at idle; a batch's
 * system calls complete together: docs/performance.md "Idle at 500 lanes: batched sweep").
 * Ticks are paced from the injected {@link Clock}: the time a batch takes is counted in
 * the gap, so a slow batch does not stretch the pass.
 * Figures and the design: docs/architecture.md "Polling, at scale".
 */
import type { Clock } from '../types.js';

/** Options of {@link startSweep}. Durations in ms. */
export interface SweepOptions<T> {
  /** What to visit, in order; read once per tick (the list may change between ticks). */
  readonly items: () => readonly T[];
  /** Wanted duration of one full pass over the items (ms, > 0). */
  readonly periodMs: number;
  /**
   * Time from the start of one tick to the start of the next (ms); `periodMs` when larger.
   * @default 5000
   */
  readonly tickMs?: number;
  /** Visits of one batch running at once (>= 1). @default 16 */
  readonly concurrency?: number;
  /** Time source of the pacing (epoch ms). */
  readonly clock: Clock;
  /** Visits one item. A rejection is ignored (the other visits go on). */
  readonly visit: (item: T) => Promise<void>;
}

/** A running sweep. */
export interface Sweep {
  /** Stops the timer; resolves once a batch under way has finished. Idempotent. */
  stop(): Promise<void>;
}

/** Shortest gap between two ticks (ms), so a batch slower than `tickMs` never spins. */
const FLOOR_MS = 5;

/**
 * Items visited per tick so that `n` items take about `periodMs` at one tick per `tickMs`:
 * `ceil(n × tickMs / periodMs)`, at least 1 and at most `n` (0 for no items).
 */
export function sweepBatch(n: number, periodMs: number, tickMs: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil((n * tickMs) / Math.max(1, periodMs))));
}

/**
 * Starts the sweep: every tick visits the next {@link sweepBatch} items (at most
 * `concurrency` at once; never two ticks at once), and the next tick is armed `tickMs`
 * after this one started, at least 5 ms after the batch ended. With no items a tick visits
 * nothing. Timers are unref'd (a sweep never keeps the process alive). Never throws.
 */
export function startSweep<T>(opts: SweepOptions<T>): Sweep {
  const tickMs = Math.max(FLOOR_MS, Math.min(opts.tickMs ?? 5_000, opts.periodMs));
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 16));
  let next = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = (startedAt: number): void => {
    if (stopped) return;
    const wait = Math.max(FLOOR_MS, startedAt + tickMs - opts.clock.now());
    timer = setTimeout(tick, wait);
    timer.unref();
  };
  const runBatch = async (batch: readonly T[]): Promise<void> => {
    let i = 0;
    const lane = async (): Promise<void> => {
      while (i < batch.length && !stopped) {
        const item = batch[i] as T;
        i += 1;
        await Promise.resolve()
          .then(() => opts.visit(item))
          .catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, lane));
  };
  const tick = (): void => {
    timer = null;
    const startedAt = opts.clock.now();
    const items = opts.items();
    const count = sweepBatch(items.length, opts.periodMs, tickMs);
    const batch: T[] = [];
    for (let k = 0; k < count; k += 1) {
      if (next >= items.length) next = 0;
      batch.push(items[next] as T);
      next += 1;
    }
    running = runBatch(batch).finally(() => arm(startedAt));
  };
  arm(opts.clock.now());

  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
