import { afterEach, describe, expect, it } from 'vitest';
import {
  createProbeScheduler,
  type ProbeScheduler,
} from '../../../src/runtime/git/probe-scheduler.js';
import { waitFor } from '../../helpers/git-fixtures.js';

/** A run() that records calls and finishes only when released. */
function gatedRuns() {
  const calls: { laneId: string; startedAt: number; release: () => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const activeByLane = new Map<string, number>();
  let overlap = false;
  const run = (laneId: string) =>
    new Promise<void>((resolve) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const n = (activeByLane.get(laneId) ?? 0) + 1;
      if (n > 1) overlap = true;
      activeByLane.set(laneId, n);
      calls.push({
        laneId,
        startedAt: Date.now(),
        release: () => {
          active--;
          activeByLane.set(laneId, (activeByLane.get(laneId) ?? 1) - 1);
          resolve();
        },
      });
    });
  return { run, calls, stats: () => ({ active, maxActive, overlap }) };
}

let scheduler: ProbeScheduler | undefined;
afterEach(async () => {
  await scheduler?.dispose();
  scheduler = undefined;
});

describe('createProbeScheduler', () => {
  it('turns a burst of requests into one run that starts after the last request', async () => {
    const g = gatedRuns();
    scheduler = createProbeScheduler({ run: g.run, debounceMs: 50 });
    let lastRequest = 0;
    for (let i = 0; i < 10; i++) {
      scheduler.request('a');
      lastRequest = Date.now();
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => g.calls.length === 1, 2_000, 'the debounced run');
    expect(g.calls[0]?.startedAt).toBeGreaterThanOrEqual(lastRequest + 45);
    g.calls[0]?.release();
    await new Promise((r) => setTimeout(r, 120)); // give a wrong extra run time to appear
    expect(g.calls).toHaveLength(1);
  });

  it('never runs one lane twice at once and re-runs once after requests during a run', async () => {
    const g = gatedRuns();
    scheduler = createProbeScheduler({ run: g.run, debounceMs: 0 });
    const first = scheduler.probeNow('a');
    await waitFor(() => g.calls.length === 1);
    const second = scheduler.probeNow('a');
    const third = scheduler.probeNow('a');
    scheduler.request('a');
    await new Promise((r) => setTimeout(r, 30));
    expect(g.calls).toHaveLength(1);
    g.calls[0]?.release();
    await first;
    await waitFor(() => g.calls.length === 2, 2_000, 'the coalesced re-run');
    g.calls[1]?.release();
    await Promise.all([second, third]);
    expect(g.stats().overlap).toBe(false);
    expect(g.calls).toHaveLength(2);
  });

  it('bounds concurrency across lanes', async () => {
    const g = gatedRuns();
    scheduler = createProbeScheduler({ run: g.run, concurrency: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => scheduler!.probeNow(id));
    for (let done = 0; done < 5; done++) {
      await waitFor(() => g.calls.length > done);
      expect(g.stats().active).toBeLessThanOrEqual(2);
      g.calls[done]?.release();
    }
    await Promise.all(all);
    expect(g.stats().maxActive).toBe(2);
    expect(g.calls.map((c) => c.laneId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('still probes a lane under a continuous stream of requests (maxWait)', async () => {
    const g = gatedRuns();
    scheduler = createProbeScheduler({ run: g.run, debounceMs: 50, maxWaitMs: 100 });
    const until = Date.now() + 400;
    while (Date.now() < until && g.calls.length === 0) {
      scheduler.request('a');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(g.calls).toHaveLength(1);
    g.calls[0]?.release();
  });

  it('dispose waits for runs in flight and drops queued work', async () => {
    const g = gatedRuns();
    scheduler = createProbeScheduler({ run: g.run, concurrency: 1 });
    const a = scheduler.probeNow('a');
    const b = scheduler.probeNow('b');
    await waitFor(() => g.calls.length === 1);
    let disposed = false;
    const d = scheduler.dispose().then(() => (disposed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(disposed).toBe(false);
    g.calls[0]?.release();
    await d;
    await Promise.all([a, b]);
    expect(g.calls).toHaveLength(1);
    scheduler.request('a');
    await scheduler.probeNow('c');
    expect(g.calls).toHaveLength(1);
  });
});
