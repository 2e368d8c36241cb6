import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/runtime/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, refills at its rate up to capacity, and pays debt back first', () => {
    let t = 1_000;
    const b = new TokenBucket(2, 0.01, () => t); // one token per 100 ms, two saved
    expect(b.waitMs(1)).toBe(0);
    b.spend(1);
    b.spend(1);
    expect(b.waitMs(1)).toBeCloseTo(100);
    t += 50;
    expect(b.waitMs(1)).toBeCloseTo(50);
    t += 10_000; // long idle: capped at capacity
    b.spend(2);
    expect(b.waitMs(1)).toBeCloseTo(100);
    b.spend(3); // into debt: 3 tokens below zero
    expect(b.waitMs(0)).toBeCloseTo(300);
  });
});
