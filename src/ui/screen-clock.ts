/**
 * The board's screen clock: the one timer that moves ages and countdowns on screen (issue
 * #17). The runtime's clock only ticks when a time fact flips (src/state/board-view.ts);
 * between its ticks, what is visible asks this clock to wake it when its text next
 * changes (`request(owner, at)`: a row whose event age steps from "20s" to "30s", the
 * detail pane every second). One `setTimeout` serves the whole screen, armed for the
 * earliest request, and nothing runs while no age is on screen.
 *
 * Screen time follows the board time: it is the board state's `now` moved on by the wall
 * time elapsed since that `now` was last seen (`observe`), so tests with a fixed board
 * time see fixed ages, and a live board sees the wall clock.
 */

/** A screen clock (one per board). */
export interface ScreenClock {
  /** Screen time (epoch ms) as of the last wake-up or observed board time. */
  now(): number;
  /** Tell the clock the board time (the store's `now`); a later value resets the base. */
  observe(boardNow: number): void;
  /** Called after each wake-up; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Wake up at screen time `at` (epoch ms) on behalf of `owner` (replaces that owner's
   * previous request); `null` or a non-finite `at` withdraws it.
   */
  request(owner: string, at: number | null): void;
  /** Screen time the one timer is armed for (epoch ms), `Infinity` when none is (diagnostics, tests). */
  pending(): number;
  /** Stop the timer and forget every request and listener. */
  dispose(): void;
}

/** Options of {@link createScreenClock} (tests pass a fake wall clock). */
export interface ScreenClockOptions {
  /** Monotonic wall time in ms. @default performance.now */
  readonly wall?: () => number;
}

/** Create a screen clock starting at board time `boardNow` (epoch ms). */
export function createScreenClock(boardNow: number, opts: ScreenClockOptions = {}): ScreenClock {
  const wall = opts.wall ?? (() => performance.now());
  let base = boardNow;
  let baseWall = wall();
  let value = boardNow;
  const requests = new Map<string, number>();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let armedAt = Infinity;
  let disposed = false;

  const current = (): number => base + (wall() - baseWall);
  const arm = (): void => {
    let next = Infinity;
    for (const at of requests.values()) if (at > value && at < next) next = at;
    if (next === armedAt) return;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    armedAt = next;
    if (next === Infinity || disposed) return;
    timer = setTimeout(fire, Math.max(1, Math.ceil(next - current())));
  };
  function fire(): void {
    timer = null;
    const target = armedAt;
    armedAt = Infinity;
    // Never before the requested time: timers may fire a little early.
    value = Math.max(current(), target);
    for (const l of [...listeners]) l();
    arm();
  }

  return {
    now: () => value,
    observe(boardNow) {
      if (boardNow <= base) return;
      base = boardNow;
      baseWall = wall();
      if (boardNow > value) value = boardNow;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    request(owner, at) {
      if (at === null || !Number.isFinite(at)) {
        if (requests.delete(owner)) arm();
        return;
      }
      if (requests.get(owner) === at) return;
      requests.set(owner, at);
      arm();
    },
    pending: () => armedAt,
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      requests.clear();
      listeners.clear();
    },
  };
}
