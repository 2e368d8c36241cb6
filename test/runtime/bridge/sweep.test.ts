/**
 * Issue #17 "nothing polls per lane": the board-wide sweep visits the lanes in batches,
 * one tick per `tickMs` (not one wake-up per lane), and a full pass takes about `periodMs`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSweep, sweepBatch, type Sweep } from '../../../src/runtime/bridge/sweep.js';
import { systemClock } from '../../../src/runtime/types.js';
import { waitFor } from '../../helpers/bridge-helpers.js';

describe('sweepBatch', () => {
  it('spreads n items over periodMs at one tick per tickMs', () => {
    expect(sweepBatch(500, 250_000, 5_000)).toBe(10); // the 500-lane default: 2 lanes/s
    expect(sweepBatch(20, 10_000, 5_000)).toBe(10);
    expect(sweepBatch(3, 10_000, 5_000)).toBe(2);
    expect(sweepBatch(1, 250_000, 5_000)).toBe(1); // never 0 while there are items
    expect(sweepBatch(7, 100, 100)).toBe(7); // never more than n
    expect(sweepBatch(0, 100, 100)).toBe(0);
  });
});

describe('startSweep', () => {
  let sweep: Sweep | null = null;
  afterEach(async () => {
    await sweep?.stop();
    sweep = null;
  });

  it('visits a batch per tick, round-robin, ticks tickMs apart', async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const ticks: { items: number[]; at: number }[] = [];
    let inside = 0;
    let most = 0;
    sweep = startSweep({
      items: () => items,
      periodMs: 200, // 10 items in 200 ms at one tick per 80 ms: 4 per tick
      tickMs: 80,
      concurrency: 3,
      clock: systemClock,
      visit: async (item) => {
        inside += 1;
        most = Math.max(most, inside);
        const at = performance.now();
        const last = ticks.at(-1);
        if (last !== undefined && at - last.at < 40) last.items.push(item);
        else ticks.push({ items: [item], at });
        await new Promise((r) => setImmediate(r));
        inside -= 1;
      },
    });
    await waitFor(() => ticks.length >= 4, 5000, 'four ticks');
    expect(ticks.slice(0, 3).map((t) => t.items)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 0, 1],
    ]);
    expect(most).toBe(3); // the batch runs `concurrency` visits at once
    for (let i = 1; i < 4; i += 1) {
      const gap = (ticks[i]?.at ?? 0) - (ticks[i - 1]?.at ?? 0);
      // Timers fire late, never early; the pacing reads the Clock's whole ms, the visits
      // are stamped with performance.now: up to ~2 ms of rounding between the two.
      expect(gap).toBeGreaterThanOrEqual(77);
    }
  });

  it('counts a slow batch in the gap (paced from the Clock), so the pass is not stretched', async () => {
    // The injected clock says each visit took 2 s of a 1 s tick: the next tick is due at
    // once (5 ms floor) instead of 1 s after the batch.
    let now = 1_000_000;
    const starts: number[] = [];
    sweep = startSweep({
      items: () => ['a'],
      periodMs: 1_000,
      tickMs: 1_000,
      clock: { now: () => now },
      visit: () => {
        starts.push(performance.now());
        now += 2_000;
        return Promise.resolve();
      },
    });
    await waitFor(() => starts.length >= 4, 10_000, 'four ticks');
    const gaps = starts.slice(1, 4).map((s, i) => s - (starts[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThan(500);
  });

  it('ignores a failed visit, and visits nothing after stop() resolves', async () => {
    const seen: string[] = [];
    sweep = startSweep({
      items: () => ['a', 'b'],
      periodMs: 20,
      clock: systemClock,
      visit: (item) => {
        seen.push(item);
        return item === 'a' ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
    });
    await waitFor(() => seen.length >= 5, 5000, 'five visits');
    expect(seen.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
    await sweep.stop();
    const after = seen.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.length).toBe(after);
  });
});
