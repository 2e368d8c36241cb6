/**
 * The one wait of the tests: `vi.waitFor` polling a condition until it holds. The named
 * helpers in the other test/helpers modules (`waitFor`, `until`, `waitForFrame`) keep
 * their signatures and messages and all wait through {@link eventually}. An error thrown
 * by the condition ends the wait at once (it is not retried), as a failed check should.
 */
import { vi } from 'vitest';

/** Options of {@link eventually}. */
export interface EventuallyOptions<T> {
  /** Give up after this long (ms). @default 5000 */
  readonly timeoutMs?: number;
  /** Check every this many ms. @default 10 */
  readonly intervalMs?: number;
  /** What counts as done. @default truthy */
  readonly done?: (v: T) => boolean;
  /** The error message on timeout (default `timed out after <ms> ms waiting for condition`). */
  readonly message?: (timeoutMs: number) => string;
}

const NOT_YET = 'eventually: not yet';

/**
 * Resolve with the first value of `cond` that is done (truthy by default), checked every
 * `intervalMs` by `vi.waitFor`. Rejects with `message(timeoutMs)` after `timeoutMs`, or
 * with the error `cond` throws.
 */
export async function eventually<T>(
  cond: () => T | Promise<T>,
  opts: EventuallyOptions<T> = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const done = opts.done ?? ((v: T) => Boolean(v));
  // Outside a vitest worker (a helper module loaded by a child process a test spawns, e.g.
  // the faults pipeline) `vi.waitFor` cannot run: poll with plain timers instead.
  if (!('__vitest_worker__' in globalThis)) return pollPlain(cond, done, timeoutMs, opts);
  let failed: { error: unknown } | null = null;
  try {
    const value = await vi.waitFor(
      async () => {
        let v: T;
        try {
          v = await cond();
        } catch (error) {
          failed = { error };
          return undefined;
        }
        if (!done(v)) throw new Error(NOT_YET);
        return v;
      },
      { timeout: timeoutMs, interval: opts.intervalMs ?? 10 },
    );
    if (failed !== null) throw (failed as { error: unknown }).error;
    return value as T;
  } catch (error) {
    if (error instanceof Error && error.message === NOT_YET) {
      throw new Error(
        opts.message?.(timeoutMs) ?? `timed out after ${timeoutMs} ms waiting for condition`,
      );
    }
    throw error;
  }
}

/**
 * The same wait as {@link eventually} for code running outside vitest: checks `cond`
 * every `intervalMs` (default 10) until `done`, rejects with the timeout message after
 * `timeoutMs` or with the error `cond` throws.
 */
async function pollPlain<T>(
  cond: () => T | Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  opts: EventuallyOptions<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (done(v)) return v;
    if (Date.now() >= deadline) {
      throw new Error(
        opts.message?.(timeoutMs) ?? `timed out after ${timeoutMs} ms waiting for condition`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 10));
  }
}
