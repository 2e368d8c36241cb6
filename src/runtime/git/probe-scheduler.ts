/**
 * Scheduling of git probes: a per-lane trailing debounce in front of a bounded-concurrency
 * queue. A burst of change events for a lane ends in one probe that starts after the last
 * event; one lane never has two probes in flight; repeated requests coalesce (a request
 * that arrives while the lane's probe runs schedules exactly one more run afterwards,
 * because the running probe may already have read the old state).
 */

/** Options of {@link createProbeScheduler}. */
export interface ProbeSchedulerOptions {
  /** Runs one probe of a lane (and dispatches its result). Should not reject; rejections are swallowed. */
  readonly run: (laneId: string) => Promise<void>;
  /** Probes in flight at most (count, ≥ 1). @default 4 */
  readonly concurrency?: number;
  /** Quiet time after the latest request before the probe is queued (ms). @default 100 */
  readonly debounceMs?: number;
  /** A lane with requests arriving continuously is still probed at least this often (ms). @default 1000 */
  readonly maxWaitMs?: number;
}

/** The scheduler. All methods are safe to call after dispose (they do nothing). */
export interface ProbeScheduler {
  /** Debounced request: the lane is queued `debounceMs` after its latest request. */
  request(laneId: string): void;
  /**
   * Queue a probe now (no debounce). Resolves (never rejects) when a probe of the lane that
   * started after this call has finished, or when the scheduler is disposed.
   */
  probeNow(laneId: string): Promise<void>;
  /** Stop timers, drop queued work, wait for probes in flight. */
  dispose(): Promise<void>;
}

/** Create a {@link ProbeScheduler}. */
export function createProbeScheduler(opts: ProbeSchedulerOptions): ProbeScheduler {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
  const debounceMs = opts.debounceMs ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 1_000;

  const timers = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();
  const queue: string[] = [];
  const queued = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  /** Waiters for the next run of a lane that has not started yet. */
  const waiters = new Map<string, (() => void)[]>();
  let disposed = false;

  const addWaiter = (laneId: string, resolve: () => void) => {
    const list = waiters.get(laneId);
    if (list) list.push(resolve);
    else waiters.set(laneId, [resolve]);
  };

  const enqueue = (laneId: string) => {
    if (disposed) return;
    if (running.has(laneId)) again.add(laneId);
    else if (!queued.has(laneId)) {
      queued.add(laneId);
      queue.push(laneId);
    }
    pump();
  };

  const pump = () => {
    while (!disposed && running.size < concurrency && queue.length > 0) {
      const laneId = queue.shift() as string;
      queued.delete(laneId);
      const mine = waiters.get(laneId) ?? [];
      waiters.delete(laneId);
      const p = (async () => {
        try {
          await opts.run(laneId);
        } catch {
          /* run() reports its own failures */
        }
      })().then(() => {
        running.delete(laneId);
        for (const w of mine) w();
        if (again.delete(laneId)) enqueue(laneId);
        pump();
      });
      running.set(laneId, p);
    }
  };

  return {
    request(laneId) {
      if (disposed) return;
      const now = Date.now();
      const prev = timers.get(laneId);
      if (prev) clearTimeout(prev.timer);
      const firstAt = prev?.firstAt ?? now;
      const delay = Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - now));
      const timer = setTimeout(() => {
        timers.delete(laneId);
        enqueue(laneId);
      }, delay);
      timers.set(laneId, { timer, firstAt });
    },
    probeNow(laneId) {
      if (disposed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        addWaiter(laneId, resolve);
        enqueue(laneId);
      });
    },
    async dispose() {
      disposed = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
      queued.clear();
      again.clear();
      await Promise.all([...running.values()]);
      for (const list of waiters.values()) for (const w of list) w();
      waiters.clear();
    },
  };
}
