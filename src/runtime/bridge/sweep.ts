/**
 * The bridge watcher's one safety-net timer for the whole board (issue #17: "nothing polls
 * per lane"). Watch events do the real work (./watch-set.ts); the sweep only catches what
 * no event reported, e.g. events lost to an inotify queue overflow (libuv drops
 * `IN_Q_OVERFLOW` without telling Node). It visits ONE item per tick, round-robin, so the
 * board's cost is one visit per tick whatever the number of lanes: a full pass takes
 * `periodMs`, and each tick is at least `minGapMs` apart (the budget), so past
 * `periodMs / minGapMs` items a pass simply takes longer (`items × minGapMs`).
 * Figures and the design: docs/architecture.md "Bridge watcher", docs/performance.md
 * "Idle at 500 lanes: one sweep".
 */

/** Options of {@link startSweep}. Durations in ms. */
export interface SweepOptions<T> {
  /** What to visit, in order; read once per tick (the list may change between ticks). */
  readonly items: () => readonly T[];
  /** Wanted duration of one full pass over the items (ms, > 0). */
  readonly periodMs: number;
  /** Shortest gap between two visits (ms): the budget. @default 0 */
  readonly minGapMs?: number;
  /** Visits one item. A rejection is ignored (the next tick visits the next item). */
  readonly visit: (item: T) => Promise<void>;
}

/** A running sweep. */
export interface Sweep {
  /** Stops the timer; resolves once a visit under way has finished. Idempotent. */
  stop(): Promise<void>;
}

/** Shortest tick (ms), so a tiny `periodMs` over many items never spins. */
const FLOOR_MS = 5;

/**
 * Starts the sweep: after each visit the next one is armed `max(periodMs / items,
 * minGapMs, 5)` ms later (never two visits at once; a slow visit delays the next). With no
 * items a tick visits nothing and re-arms after `periodMs`. Never throws.
 */
export function startSweep<T>(opts: SweepOptions<T>): Sweep {
  let next = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const gap = (n: number): number =>
    n === 0 ? opts.periodMs : Math.max(opts.periodMs / n, opts.minGapMs ?? 0, FLOOR_MS);
  const arm = (n: number): void => {
    if (!stopped) timer = setTimeout(tick, gap(n));
  };
  const tick = (): void => {
    timer = null;
    const items = opts.items();
    if (items.length === 0) {
      arm(0);
      return;
    }
    if (next >= items.length) next = 0;
    const item = items[next] as T;
    next += 1;
    running = Promise.resolve()
      .then(() => opts.visit(item))
      .catch(() => undefined)
      .finally(() => arm(items.length));
  };
  arm(opts.items().length);

  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
