/**
 * Scheduling of git probes: a per-lane trailing debounce in front of a bounded-concurrency
 * queue. A burst of change events for a lane ends in one probe that starts after the last
 * event; one lane never has two probes in flight; repeated requests coalesce (a request
 * that arrives while the lane's probe runs schedules exactly one more run afterwards,
 * because the running probe may already have read the old state). With `runMany`, lanes
 * that are due together are probed by one batch run (a few git processes for all of them,
 * see batch-probe.ts) instead of one probe each: after a burst of lane activity at 200
 * lanes the per-lane probes were the board's largest CPU cost.
 */

/** Options of {@link createProbeScheduler}. */
export interface ProbeSchedulerOptions {
  /** Runs one probe of a lane (and dispatches its result). Should not reject; rejections are swallowed. */
  readonly run: (laneId: string) => Promise<void>;
  /**
   * Runs one probe of several lanes at once (and dispatches the results); used whenever
   * two or more lanes are queued. Should not reject. @default none: always `run` per lane
   */
  readonly runMany?: (laneIds: readonly string[]) => Promise<void>;
  /** Most lanes in one `runMany` call (count). @default 50 */
  readonly batchMax?: number;
  /** Runs (single or batched) in flight at most (count, ≥ 1). @default 4 */
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
  const batchMax = Math.max(2, Math.floor(opts.batchMax ?? 50));
  let slots = 0;

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
    schedulePump();
  };

  // Lanes that become due in the same event-loop turn (debounce timers of a burst fire
  // together) are pumped together, so they can share one batch run.
  let pumpScheduled: NodeJS.Immediate | null = null;
  const schedulePump = () => {
    pumpScheduled ??= setImmediate(() => {
      pumpScheduled = null;
      pump();
    });
  };

  const pump = () => {
    while (!disposed && slots < concurrency && queue.length > 0) {
      const many = opts.runMany;
      const take = many && queue.length >= 2 ? queue.splice(0, batchMax) : queue.splice(0, 1);
      const mine: (() => void)[] = [];
      for (const laneId of take) {
        queued.delete(laneId);
        mine.push(...(waiters.get(laneId) ?? []));
        waiters.delete(laneId);
      }
      slots += 1;
      const p = (async () => {
        try {
          if (take.length === 1 || !many) await opts.run(take[0] as string);
          else await many(take);
        } catch {
          /* run() / runMany() report their own failures */
        }
      })().then(() => {
        slots -= 1;
        for (const laneId of take) running.delete(laneId);
        for (const w of mine) w();
        for (const laneId of take) if (again.delete(laneId)) enqueue(laneId);
        pump();
      });
      for (const laneId of take) running.set(laneId, p);
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
      if (pumpScheduled) clearImmediate(pumpScheduled);
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
