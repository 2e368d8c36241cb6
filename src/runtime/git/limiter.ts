/**
 * A small concurrency limiter with priorities, for the git processes of one batch probe:
 * at most `concurrency` jobs run at once; a free slot goes to the oldest waiting job of
 * the highest priority (0 first).
 */

/** Runs `job` when a slot is free; resolves/rejects with the job's own outcome. */
export type Limit = <T>(priority: number, job: () => Promise<T>) => Promise<T>;

/**
 * Create a {@link Limit}.
 *
 * @param concurrency jobs in flight at most (count); values below 1 are treated as 1.
 */
export function createLimiter(concurrency: number): Limit {
  const max = Math.max(1, Math.floor(concurrency));
  const waiting: { priority: number; start: () => void }[] = [];
  let running = 0;

  const pump = () => {
    while (running < max && waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < waiting.length; i++) {
        if ((waiting[i]?.priority ?? 0) < (waiting[best]?.priority ?? 0)) best = i;
      }
      const [next] = waiting.splice(best, 1);
      running++;
      next?.start();
    }
  };

  return <T>(priority: number, job: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({
        priority,
        start: () => {
          Promise.resolve()
            .then(job)
            .then(resolve, reject)
            .finally(() => {
              running--;
              pump();
            });
        },
      });
      pump();
    });
}
