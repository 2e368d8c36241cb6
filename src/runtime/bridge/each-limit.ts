/** Bounded-concurrency iteration used by the bridge watcher's scans (./watcher.ts). */

/**
 * Run `fn` over `items` with at most `limit` calls in flight (limit ≥ 1), in order of
 * start. Resolves when all are done; rejects with the first rejection of `fn`.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
