import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/state/actions.js';
import { createBatchedDispatch } from '../../src/runtime/batch.js';

const tick = (at: number): Action => ({ type: 'clock/tick', at });
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

async function until(cond: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('createBatchedDispatch', () => {
  it('applies an isolated action on the next event-loop turn, not after the window', async () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch((a) => applied.push(a), 10_000);
    b.dispatch(tick(1));
    expect(applied).toEqual([]);
    await nextTurn();
    expect(applied).toEqual([[tick(1)]]);
    b.dispose();
  });

  it('coalesces actions of one turn into one apply, in order', async () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch((a) => applied.push(a), 50);
    for (let i = 0; i < 100; i += 1) b.dispatch(tick(i));
    await nextTurn();
    expect(applied).toHaveLength(1);
    expect(applied[0]?.map((a) => a.at)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    b.dispose();
  });

  it('spaces flushes at least one window apart during a burst, dropping nothing', async () => {
    const applied: { at: number; n: number }[] = [];
    let t = 0;
    const b = createBatchedDispatch(
      (a) => applied.push({ at: t, n: a.length }),
      40,
      () => t,
    );
    b.dispatch(tick(1));
    await nextTurn();
    expect(applied).toEqual([{ at: 0, n: 1 }]);
    t = 10; // still inside the window: must wait for its end (40 - 10 = 30 ms of real time)
    b.dispatch(tick(2));
    b.dispatch(tick(3));
    await nextTurn();
    expect(applied).toHaveLength(1);
    t = 40;
    await until(() => applied.length === 2);
    expect(applied[1]).toEqual({ at: 40, n: 2 });
    b.dispose();
  });

  it('flushes what is queued on dispose and applies later actions directly', () => {
    const applied: (readonly Action[])[] = [];
    const b = createBatchedDispatch(
      (a) => applied.push(a),
      1_000,
      () => 0,
    );
    b.dispatch(tick(1));
    b.dispose();
    expect(applied).toEqual([[tick(1)]]);
    b.dispatch(tick(2));
    expect(applied).toEqual([[tick(1)], [tick(2)]]);
  });
});
