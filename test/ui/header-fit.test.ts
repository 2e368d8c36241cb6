/**
 * The header line at the widths users have (the demo's counts): nothing a user needs is
 * cut, and what is left out goes in the documented order.
 */
import { describe, expect, it } from 'vitest';
import { fitHeader, headerWidth } from '../../src/ui/header-fit.js';
import type { HeaderCount, HeaderInput } from '../../src/ui/header-fit.js';

const n = (k: number, text: string, aside?: string): HeaderCount => ({
  text: `${k} ${text}`,
  tone: k > 0 ? 'warn' : 'muted',
  zero: k === 0,
  aside,
});

/** The demo board's header: 5 lanes, 1 needs you, 3 finished, 1 red, 2 blocked, 1 stale. */
const demo = (title: string, order = ''): HeaderInput => ({
  title,
  counts: [
    { text: '5 lanes', tone: 'plain', zero: false },
    n(1, 'need you', ' · 3 finished'),
    n(1, 'red'),
    n(2, 'blocked'),
    n(1, 'stale'),
    n(0, 'crashed'),
  ],
  position: 'lane 5/5',
  order,
});

const line = (h: HeaderInput): string =>
  [h.title, ...h.counts.map((c) => c.text + (c.aside ?? '')), h.position, h.order]
    .filter((t) => t !== '')
    .join('  ');

describe('header fit', () => {
  it('keeps everything when it fits', () => {
    const h = demo('laneboard — lanes.yaml');
    expect(fitHeader(h, 200)).toEqual(h);
    expect(headerWidth(h)).toBe(line(h).length);
  });

  it('at 120 columns an attached, re-ordered board keeps its order label and its counts', () => {
    const h = demo('laneboard — lanes.yaml (attached to pid 1296)', 'by attention first');
    expect(headerWidth(h)).toBeGreaterThan(120);
    const f = fitHeader(h, 120);
    expect(line(f).length).toBeLessThanOrEqual(120);
    expect(line(f)).toContain('by attention first');
    for (const part of ['(attached to pid 1296)', '1 need you', '2 blocked', '1 stale'])
      expect(line(f)).toContain(part);
    expect(line(f)).not.toContain('0 crashed');
  });

  it('at 80 columns keeps every non-zero count and the position', () => {
    const f = fitHeader(demo('laneboard — lanes.yaml'), 80);
    const text = line(f);
    expect(text.length).toBeLessThanOrEqual(80);
    for (const part of ['lanes.yaml', '5 lanes', '1 need you', '1 red', '2 blocked', '1 stale'])
      expect(text).toContain(part);
    expect(text).toContain('lane 5/5');
  });

  it('drops the prefix, the finished aside, then the position; keeps the lane count', () => {
    const f = fitHeader(demo('laneboard — ~/src/some/long/path/lanes.yaml'), 60);
    expect(f.title).toBe('~/src/some/long/path/lanes.yaml');
    expect(f.position).toBe('');
    const none = fitHeader(demo('laneboard — x'), 1);
    expect(none.counts.map((c) => c.text)).toEqual([
      '5 lanes',
      '1 need you',
      '1 red',
      '2 blocked',
      '1 stale',
    ]);
  });
});
