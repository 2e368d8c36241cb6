/**
 * The screen clock (src/ui/screen-clock.ts) and the row-time helpers it is armed with:
 * the next change of a row age or a countdown is exact (checked against the formatted
 * text millisecond by millisecond around it), one timer serves every request, and on a
 * mounted board a row's age moves on without any store change while nothing is armed
 * for rows that show no age.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { countdownChangeAt, formatCountdown, formatRowAge } from '../../src/state/format.js';
import { rowAgeChangeAt } from '../../src/state/format.js';
import { App } from '../../src/ui/App.js';
import { ROW_AGE_STEP_MS } from '../../src/ui/cells.js';
import { createScreenClock } from '../../src/ui/screen-clock.js';
import { monoTheme } from '../../src/ui/theme.js';
import { boardWith, recordingControls, waitFor, waitForFrame } from '../helpers/ui-fixtures.js';

const STEP = ROW_AGE_STEP_MS;
const floorStep = (t: number): number => t - (((t % STEP) + STEP) % STEP);
const rowText = (at: number, t: number): string => formatRowAge(floorStep(t) - at);
const countText = (target: number, t: number): string => formatCountdown(target - t);

/** Deterministic pseudo-random numbers (no flaky seeds). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** `text` is constant on (now, next) (sampled, plus next − 1) and differs at `next`. */
function expectFirstChangeAt(text: (t: number) => string, now: number, next: number): void {
  const before = text(now);
  const stride = Math.max(1, Math.floor((next - now) / 50));
  for (let t = now + 1; t < next; t += stride) expect(text(t), `at +${t - now}`).toBe(before);
  expect(text(next - 1)).toBe(before);
  expect(text(next)).not.toBe(before);
}

describe('next change of a row age or a countdown', () => {
  it('is the first moment the row age text changes, for ages from the future to days', () => {
    const rnd = lcg(7);
    const base = Date.UTC(2026, 10, 20, 10, 0, 0);
    for (let i = 0; i < 400; i++) {
      const span = [20_000, 120_000, 7_200_000, 3 * 86_400_000][i % 4] as number;
      const now = base + Math.floor(rnd() * 86_400_000);
      const at = now - Math.floor(rnd() * span) + 5_000;
      expectFirstChangeAt((t) => rowText(at, t), now, rowAgeChangeAt(at, now, STEP));
    }
  });

  it('is the first moment a countdown text changes, unit boundaries included ("1m" → "59s")', () => {
    const rnd = lcg(11);
    const now = Date.UTC(2026, 10, 20, 10, 0, 0);
    const fixed = [1, 999, 1_000, 59_999, 60_000, 60_001, 120_000, 3_600_000, 86_400_000];
    const rems = [
      ...fixed,
      ...Array.from({ length: 300 }, () => Math.floor(rnd() * 2 * 86_400_000)),
    ];
    for (const rem of rems) {
      expectFirstChangeAt((t) => countText(now + rem, t), now, countdownChangeAt(now + rem, now));
    }
    expect(countdownChangeAt(now, now)).toBe(Infinity);
  });
});

describe('screen clock', () => {
  const clocks: ReturnType<typeof createScreenClock>[] = [];
  afterEach(() => clocks.splice(0).forEach((c) => c.dispose()));

  it('arms one timer for the earliest request and wakes its listeners at or after it', async () => {
    const t0 = 1_000_000;
    const clock = createScreenClock(t0);
    clocks.push(clock);
    let woken = 0;
    clock.subscribe(() => woken++);
    expect(clock.pending()).toBe(Infinity);
    clock.request('a', t0 + 5_000);
    clock.request('b', t0 + 40);
    expect(clock.pending()).toBe(t0 + 40);
    await waitFor(() => woken === 1);
    expect(clock.now()).toBeGreaterThanOrEqual(t0 + 40);
    expect(clock.pending()).toBe(t0 + 5_000);
    clock.request('a', null);
    expect(clock.pending()).toBe(Infinity);
    clock.observe(t0 + 60_000);
    expect(clock.now()).toBe(t0 + 60_000);
  });
});

describe('ages on a mounted board', () => {
  it('step without a store change, and arm nothing for rows without an age', async () => {
    const B = Date.UTC(2026, 10, 20, 10, 20, 0); // a multiple of 10 s
    const store = boardWith(['alpha', 'beta']);
    store.dispatch({ type: 'clock/tick', at: B - 150 });
    store.dispatch({
      type: 'bridge/events',
      laneId: 'alpha',
      lines: [
        {
          ok: true,
          line: 1,
          file: 'events.jsonl',
          value: { event: 'lane.green', emittedAt: new Date(B - 10_500).toISOString() },
        },
      ],
      at: B - 150,
    });
    const clock = createScreenClock(store.getState().now);
    const r = render(
      <App
        store={store}
        controls={recordingControls()}
        title="laneboard"
        onExit={() => undefined}
        theme={monoTheme}
        home={null}
        screenClock={clock}
      />,
    );
    try {
      await waitForFrame(r.lastFrame, (f) => /alpha.*now green/.test(f));
      const state = store.getState();
      // 150 ms of screen time later the age reads 10s; the store did not change.
      await waitForFrame(r.lastFrame, (f) => /alpha.*10s green/.test(f));
      expect(store.getState()).toBe(state);
      // The next wake-up is the next step of that age, not the next second.
      expect(clock.pending()).toBe(B + STEP);
    } finally {
      r.unmount();
      clock.dispose();
    }
    // Unmounted rows withdraw their requests.
    expect(clock.pending()).toBe(Infinity);
  });
});
