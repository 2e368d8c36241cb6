/**
 * A tiny single-flight runner: at most one run of a task at a time; a request made while
 * it runs schedules exactly one more run afterwards (so the last request is never lost),
 * optionally paced so a file rewritten in a burst is not read on every write.
 */
import { TokenBucket } from '../token-bucket.js';

/** Runs a paced {@link Serial} may start back to back before pacing sets in. */
export const SERIAL_BURST = 2;

/**
 * Runs `task` serially. `task(force)` returns true when more work remains (it is then run
 * again). A task that throws is treated as "done" (callers make tasks total).
 *
 * With `minGapMs` > 0 runs are paced by a token bucket: one token per `minGapMs`, at most
 * {@link SERIAL_BURST} saved, one spent per run. An isolated request runs at once, and so
 * does a second one soon after (a heartbeat followed by a real change keeps its latency);
 * a sustained burst (a writer rewriting a file 10×/s, each write long after the previous
 * read finished) is read once per `minGapMs` on average. A request that must wait is
 * honoured by the deferred run, which reads the latest content: the burst's last write is
 * always read.
 */
export class Serial {
  #current: Promise<void> | null = null;
  #again = false;
  #force = false;
  #closed = false;
  #wake: (() => void) | null = null;
  readonly #bucket: TokenBucket | null;

  constructor(
    private readonly task: (force: boolean) => Promise<boolean>,
    private readonly minGapMs = 0,
  ) {
    this.#bucket = minGapMs > 0 ? new TokenBucket(SERIAL_BURST, 1 / minGapMs, Date.now) : null;
  }

  /**
   * Requests a run; `force` is OR-ed into the next run's flag. Resolves when a run that
   * started after this request has finished (or at once after {@link close}).
   */
  run(force: boolean): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#force ||= force;
    if (this.#current !== null) {
      this.#again = true;
      return this.#current;
    }
    this.#current = this.#loop();
    return this.#current;
  }

  /** The run in progress, if any (for dispose to await). */
  get pending(): Promise<void> | null {
    return this.#current;
  }

  /** No new runs after this; a run in progress finishes its current step. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** ms to wait before the next run may start (0 = now). */
  #waitMs(): number {
    return this.#bucket === null ? 0 : Math.ceil(this.#bucket.waitMs(1));
  }

  /** Wait `ms`, or until closed. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.#wake = done;
    }).then(() => {
      this.#wake = null;
    });
  }

  async #loop(): Promise<void> {
    for (;;) {
      for (let wait = this.#waitMs(); wait > 0 && !this.#closed; wait = this.#waitMs()) {
        await this.#sleep(wait);
      }
      if (this.#closed) {
        this.#current = null;
        return;
      }
      this.#bucket?.spend(1);
      this.#again = false;
      const force = this.#force;
      this.#force = false;
      let more = false;
      try {
        // Always yield first, so `#current` is assigned before the loop can end.
        more = await Promise.resolve().then(() => this.task(force));
      } catch {
        more = false;
      }
      if (!(this.#again || more) || this.#closed) {
        // Cleared in the same tick as the check, so a request arriving later starts a new loop.
        this.#current = null;
        return;
      }
    }
  }
}
