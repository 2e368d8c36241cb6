/**
 * A token bucket, the pacing rule shared by the bridge's read runner (bridge/serial.ts:
 * one token per read) and the store batching (batch.ts: tokens are ms of flush CPU).
 * Tokens refill continuously at `perMs` per ms up to `capacity`; spending may go into
 * debt (negative), which the refill pays back before anything else may start.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  /**
   * @param capacity Most tokens saved (> 0); the bucket starts full.
   * @param perMs Tokens added per ms of time (> 0).
   * @param now Monotonic-enough time source (ms).
   */
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private readonly now: () => number,
  ) {
    this.#tokens = capacity;
    this.#at = now();
  }

  /** ms until at least `need` tokens are available (0 = now); brings the bucket up to date. */
  waitMs(need: number): number {
    const t = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + (t - this.#at) * this.perMs);
    this.#at = t;
    return this.#tokens >= need ? 0 : (need - this.#tokens) / this.perMs;
  }

  /** Spend `n` tokens (may leave the bucket in debt). */
  spend(n: number): void {
    this.waitMs(0);
    this.#tokens -= n;
  }
}
