/**
 * The paced check behind each worker's log watch (src/runtime/supervisor/paced-check.ts):
 * a storm of pokes runs it at most once per `minGapMs` (the last poke is never dropped),
 * and without pokes it runs every `fallbackMs`. Fake timers (they fake `Date` too, which
 * the system clock reads).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pacedCheck } from '../../../src/runtime/supervisor/paced-check.js';
import { systemClock } from '../../../src/runtime/types.js';

describe('pacedCheck', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most once per minGapMs under pokes, then every fallbackMs', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let inside = 0;
    let overlapped = false;
    const pc = pacedCheck({
      clock: systemClock,
      minGapMs: 100,
      fallbackMs: () => 10_000,
      check: async () => {
        runs += 1;
        inside += 1;
        if (inside > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 30)); // a check takes 30 ms
        inside -= 1;
      },
    });
    pc.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1); // the first poke runs at once
    for (let i = 0; i < 50; i += 1) {
      pc.poke(); // 50 pokes over 250 ms: checks at 100 and 200 ms, one more due at 300
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(runs).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(4); // the last poke was not dropped
    expect(overlapped).toBe(false);
    // Quiet from here: the fallback runs 10 s after the last check ended (330 ms).
    await vi.advanceTimersByTimeAsync(10_330 - 351);
    expect(runs).toBe(4);
    await vi.advanceTimersByTimeAsync(2);
    expect(runs).toBe(5);
    const stopped = pc.stop(); // waits for the check under way (30 ms)
    await vi.advanceTimersByTimeAsync(30);
    await stopped;
    pc.poke();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(5); // stopped: neither pokes nor the fallback run it
  });
});
