import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/state/actions.js';
import { createBatchedDispatch } from '../../src/runtime/batch.js';

const tick = (at: number): Action => ({ type: 'clock/tick', at });
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

async function until(cond: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Burn `ms` of CPU synchronously (a stand-in for a React commit + Ink frame). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe('createBatchedDispatch', () => {
  it('applies an isolated action on the next event-loop turn', async () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch((a) => applied.push(a));
    b.dispatch(tick(1));
    expect(applied).toEqual([]);
    await nextTurn();
    expect(applied).toEqual([[tick(1)]]);
    b.dispose();
  });

  it('coalesces actions of one turn into one apply, in order', async () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch((a) => applied.push(a));
    for (let i = 0; i < 100; i += 1) b.dispatch(tick(i));
    await nextTurn();
    expect(applied).toHaveLength(1);
    expect(applied[0]?.map((a) => a.at)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    b.dispose();
  });

  it('keeps occasional updates immediate (each an interval or more after the last flush)', async () => {
    const applied: number[] = [];
    const b = createBatchedDispatch(
      (a) => {
        busy(2);
        applied.push(a.length);
      },
      { minIntervalMs: 10 },
    );
    for (let i = 0; i < 5; i += 1) {
      b.dispatch(tick(i));
      await nextTurn();
      expect(applied).toHaveLength(i + 1); // applied on the very next turn each time
      await new Promise((r) => setTimeout(r, 15));
    }
    b.dispose();
  });

  it('under a storm, flushes about once per frame interval and each action waits at most about one', async () => {
    const starts: number[] = [];
    const waits: number[] = [];
    const sent = new Map<number, number>();
    const b = createBatchedDispatch(
      (a) => {
        const t = performance.now();
        starts.push(t);
        busy(1);
        for (const x of a) waits.push(t - (sent.get(x.at) ?? t));
      },
      { minIntervalMs: 25 },
    );
    let i = 0;
    const writer = setInterval(() => {
      i += 1;
      sent.set(i, performance.now());
      b.dispatch(tick(i));
    }, 1);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(writer);
    await until(() => waits.length === i);
    const gaps = starts.slice(1).map((t, k) => t - (starts[k] ?? t));
    // One flush per interval, not one per dispatch turn (~1 ms apart here)…
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(24);
    expect(starts.length).toBeLessThan(400 / 25 + 3);
    // …and an action typically waits less than one interval (half of one on average).
    const sorted = [...waits].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(25);
    b.dispose();
  });

  it('under a storm, limits flush cost to about `duty` of wall time and drops nothing', async () => {
    let flushes = 0;
    let last = -1;
    let flushCpu = 0;
    const b = createBatchedDispatch(
      (a) => {
        const t = performance.now();
        busy(5);
        flushCpu += performance.now() - t;
        flushes += 1;
        last = a.at(-1)?.at ?? last;
      },
      { duty: 0.25, minIntervalMs: 0 },
    );
    const t0 = performance.now();
    let i = 0;
    const writer = setInterval(() => b.dispatch(tick((i += 1))), 1);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(writer);
    await until(() => last === i);
    const wall = performance.now() - t0;
    // A flush costing more than `duty` of the interval stretches it: without that this
    // would be one 5 ms flush per dispatch turn (~80 % busy).
    expect(flushCpu / wall).toBeLessThan(0.45);
    expect(flushes).toBeGreaterThan(3);
    b.dispose();
  });

  it('honours minIntervalMs between flush starts', async () => {
    const starts: number[] = [];
    const b = createBatchedDispatch(() => starts.push(performance.now()), { minIntervalMs: 40 });
    b.dispatch(tick(1));
    await nextTurn();
    b.dispatch(tick(2));
    await until(() => starts.length === 2);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(39);
    b.dispose();
  });

  it('flushes what is queued on dispose and applies later actions directly', () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch((a) => applied.push(a));
    b.dispatch(tick(1));
    b.dispose();
    expect(applied).toEqual([[tick(1)]]);
    b.dispatch(tick(2));
    expect(applied).toEqual([[tick(1)], [tick(2)]]);
  });

  it('applied() resolves after the flush that applies what was queued, and after the work it queued', async () => {
    const events: string[] = [];
    const b = createBatchedDispatch(
      (a) => {
        events.push(`apply ${a.map((x) => x.at).join(',')}`);
        queueMicrotask(() => events.push('commit')); // as React queues its commit
      },
      { minIntervalMs: 30 },
    );
    b.dispatch(tick(1));
    await nextTurn(); // applied at once: the next flush is held for the interval
    b.dispatch(tick(2));
    b.dispatch(tick(3));
    await b.applied().then(() => events.push('applied'));
    expect(events).toEqual(['apply 1', 'commit', 'apply 2,3', 'commit', 'applied']);
    // Nothing queued: the next turn.
    await b.applied();
    b.dispose();
    // After dispose: at once (the next turn), never left waiting.
    await b.applied();
  });
});
