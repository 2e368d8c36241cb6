/**
 * A tiny single-flight runner: at most one run of a task at a time; a request made while
 * it runs schedules exactly one more run afterwards (so the last request is never lost).
 */

/**
 * Runs `task` serially. `task(force)` returns true when more work remains (it is then run
 * again at once). A task that throws is treated as "done" (callers make tasks total).
 * With `minGapMs` > 0, a run requested while one was in progress starts no sooner than
 * `minGapMs` after the previous run started: an isolated request still runs at once, but
 * a burst (a writer rewriting a file 20×/s) is read at most every `minGapMs`, and the
 * last request is still honoured.
 */
export class Serial {
  #current: Promise<void> | null = null;
  #again = false;
  #force = false;
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(
    private readonly task: (force: boolean) => Promise<boolean>,
    private readonly minGapMs = 0,
  ) {}

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

  /** Wait until `ms` have passed since `since` (epoch ms), or until closed. */
  #gap(since: number): Promise<void> {
    const wait = since + this.minGapMs - Date.now();
    if (wait <= 0 || this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, wait);
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
    let started = 0;
    for (;;) {
      if (started !== 0 && this.minGapMs > 0) await this.#gap(started);
      started = Date.now();
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
