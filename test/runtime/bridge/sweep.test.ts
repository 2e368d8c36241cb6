/**
 * Issue #17 "nothing polls per lane": the board-wide sweep keeps a fixed budget whatever
 * the number of lanes (one visit at a time, at least `minGapMs` apart).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSweep, type Sweep } from '../../../src/runtime/bridge/sweep.js';
import { waitFor } from '../../helpers/bridge-helpers.js';

describe('startSweep', () => {
  let sweep: Sweep | null = null;
  afterEach(async () => {
    await sweep?.stop();
    sweep = null;
  });

  it('visits one item at a time, round-robin, never closer than minGapMs', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const seen: { item: number; at: number }[] = [];
    let inside = 0;
    let overlapped = false;
    sweep = startSweep({
      items: () => items,
      periodMs: 100, // 0.1 ms per item wanted: the 30 ms budget must win
      minGapMs: 30,
      visit: async (item) => {
        inside += 1;
        if (inside > 1) overlapped = true;
        seen.push({ item, at: performance.now() });
        await new Promise((r) => setImmediate(r));
        inside -= 1;
      },
    });
    await waitFor(() => seen.length >= 6, 5000, 'six visits');
    expect(overlapped).toBe(false);
    expect(seen.slice(0, 6).map((s) => s.item)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let i = 1; i < 6; i += 1) {
      const gap = (seen[i]?.at ?? 0) - (seen[i - 1]?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(29); // timers fire late, never early (1 ms rounding)
    }
  });

  it('wraps around, and visits nothing after stop() resolves', async () => {
    const seen: string[] = [];
    sweep = startSweep({
      items: () => ['a', 'b'],
      periodMs: 20,
      visit: (item) => {
        seen.push(item);
        return Promise.resolve();
      },
    });
    await waitFor(() => seen.length >= 5, 5000, 'five visits');
    expect(seen.slice(0, 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
    await sweep.stop();
    const after = seen.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.length).toBe(after);
  });
});
