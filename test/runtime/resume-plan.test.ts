/** When a rate-limited lane resumes (src/runtime/resume/plan.ts): pure rules. */
import { describe, expect, it } from 'vitest';
import { probeDelay, resumeDue } from '../../src/runtime/resume/plan.js';

const config = { probeMs: 300_000, probeMaxMs: 1_800_000, jitterMs: 60_000 };
const zero = (): number => 0;

describe('resumeDue', () => {
  it('waits for a known reset time, plus jitter', () => {
    const p = resumeDue({
      now: 1_000,
      resetAt: 50_000,
      attempt: 0,
      config,
      random: () => 0.5,
      taken: [],
    });
    expect(p).toEqual({ due: 80_000, basis: 'reset' });
  });

  it('fires at once (plus jitter) for a reset time already past on the first try', () => {
    const p = resumeDue({
      now: 9_000,
      resetAt: 5_000,
      attempt: 0,
      config,
      random: zero,
      taken: [],
    });
    expect(p).toEqual({ due: 9_000, basis: 'reset' });
  });

  it('probes without a reset time: 5 min, doubling per retry, capped at 30 min', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => probeDelay(config, n))).toEqual([
      300_000, 300_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000,
    ]);
    // A reset time that passed and a retry that hit the limit again: the probe step.
    const p = resumeDue({
      now: 10_000,
      resetAt: 5_000,
      attempt: 2,
      config,
      random: zero,
      taken: [],
    });
    expect(p).toEqual({ due: 610_000, basis: 'probe' });
    const q = resumeDue({ now: 0, resetAt: null, attempt: 0, config, random: zero, taken: [] });
    expect(q).toEqual({ due: 300_000, basis: 'probe' });
  });

  it('keeps lanes on one account at least 1 s apart', () => {
    const taken: number[] = [];
    for (let i = 0; i < 5; i++)
      taken.push(
        resumeDue({
          now: 0,
          resetAt: 10_000,
          attempt: 0,
          config: { ...config, jitterMs: 0 },
          random: zero,
          taken,
        }).due,
      );
    expect(taken).toEqual([10_000, 11_000, 12_000, 13_000, 14_000]);
    const near = resumeDue({
      now: 0,
      resetAt: 10_500,
      attempt: 0,
      config: { ...config, jitterMs: 0 },
      random: zero,
      taken,
    });
    expect(taken.every((t) => Math.abs(t - near.due) >= 1_000)).toBe(true);
  });

  it('treats a broken random source as no jitter', () => {
    const p = resumeDue({
      now: 0,
      resetAt: 10_000,
      attempt: 0,
      config,
      random: () => NaN,
      taken: [],
    });
    expect(p.due).toBe(10_000);
  });
});
