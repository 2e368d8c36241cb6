import { describe, expect, it } from 'vitest';
import { isInsidePath, normalizeLevel, parseTimestamp } from '../../../src/state/dialects/index.js';
import { formatSpan } from '../../../src/state/format.js';

describe('parseTimestamp', () => {
  it('reads ISO-8601 / RFC 3339 in its variants, zone-less as UTC', () => {
    const t = Date.UTC(2026, 10, 20, 10, 15, 1);
    expect(parseTimestamp('2026-11-20T10:15:01Z')).toBe(t);
    expect(parseTimestamp('2026-11-20t10:15:01z')).toBe(t);
    expect(parseTimestamp('2026-11-20 10:15:01')).toBe(t);
    expect(parseTimestamp('2026-11-20T12:15:01+02:00')).toBe(t);
    expect(parseTimestamp('2026-11-20T05:15:01-0500')).toBe(t);
    expect(parseTimestamp('2026-11-20T10:15:01.250Z')).toBe(t + 250);
    expect(parseTimestamp('2026-11-20T10:15:01.123456789Z')).toBe(t + 123);
    expect(parseTimestamp('2026-11-20')).toBe(Date.UTC(2026, 10, 20));
    expect(parseTimestamp(' 2026-11-20T10:15Z ')).toBe(Date.UTC(2026, 10, 20, 10, 15));
  });

  it('reads epoch seconds and ms, as numbers or strings', () => {
    expect(parseTimestamp(1775230717)).toBe(1775230717_000);
    expect(parseTimestamp('1775230717')).toBe(1775230717_000);
    expect(parseTimestamp(1775230717464)).toBe(1775230717464);
    expect(parseTimestamp('1775230717464')).toBe(1775230717464);
    expect(parseTimestamp(1775230717.5)).toBe(1775230717500);
  });

  it('survives 1970 and the far future', () => {
    expect(parseTimestamp(0)).toBe(0);
    expect(parseTimestamp('1970-01-01T00:00:00Z')).toBe(0);
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBe(
      Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86_400_000,
    );
    expect(parseTimestamp('9999-12-31T23:59:59Z')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(parseTimestamp(8.64e15)).toBe(8.64e15);
    expect(parseTimestamp(1e300)).toBeNull();
    expect(parseTimestamp('99999999999999999999999')).toBeNull();
  });

  it('garbage → null', () => {
    for (const x of [
      null,
      undefined,
      '',
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2026-13-01',
      '2026-11-20T25:00:00Z',
      '2026-11-20T10:15:01+25:00',
      '2026-11-20T10:15:01Zjunk',
      -5,
      '-5',
      NaN,
      Infinity,
      {},
      [],
      true,
      'x'.repeat(10_000),
    ]) {
      expect(parseTimestamp(x)).toBeNull();
    }
  });
});

describe('formatSpan', () => {
  it('formats coarse units first', () => {
    expect(formatSpan(58_000)).toBe('58s');
    expect(formatSpan(2_758_000)).toBe('45m 58s');
    expect(formatSpan(7_500_000)).toBe('2h 5m');
    expect(formatSpan(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect(formatSpan(-5)).toBe('0s');
    expect(formatSpan(NaN)).toBe('0s');
  });
});

describe('isInsidePath', () => {
  it('handles equality, subdirectories, trailing slashes and dot segments', () => {
    expect(isInsidePath('/wt/a', ['/wt/a'])).toBe(true);
    expect(isInsidePath('/wt/a/', ['/wt/a'])).toBe(true);
    expect(isInsidePath('/wt/a', ['/wt/a/'])).toBe(true);
    expect(isInsidePath('/wt/a/src/x.ts', ['/wt/a'])).toBe(true);
    expect(isInsidePath('/wt//a/./src', ['/wt/a'])).toBe(true);
    expect(isInsidePath('/wt/b/../a/src', ['/wt/a'])).toBe(true);
    expect(isInsidePath('/anything', ['/'])).toBe(true);
  });

  it('rejects siblings, prefixes, escapes, relative and empty input', () => {
    expect(isInsidePath('/wt/ab', ['/wt/a'])).toBe(false);
    expect(isInsidePath('/wt', ['/wt/a'])).toBe(false);
    expect(isInsidePath('/wt/a/../b', ['/wt/a'])).toBe(false);
    expect(isInsidePath('/../../wt/a', ['/wt/a'])).toBe(true);
    expect(isInsidePath('wt/a', ['/wt/a'])).toBe(false);
    expect(isInsidePath('', ['/wt/a'])).toBe(false);
    expect(isInsidePath('/wt/a', [])).toBe(false);
    expect(isInsidePath('/wt/a', ['relative/root'])).toBe(false);
    expect(isInsidePath(42 as unknown as string, ['/'])).toBe(false);
  });

  it('matches any of several roots (configured path and realpath)', () => {
    expect(isInsidePath('/private/tmp/wt/x', ['/tmp/wt', '/private/tmp/wt'])).toBe(true);
  });
});

describe('normalizeLevel', () => {
  it('maps aliases and keeps unknown levels verbatim', () => {
    expect(normalizeLevel('targeted')).toBe('targeted_tests');
    expect(normalizeLevel('Targeted_Tests')).toBe('targeted_tests');
    expect(normalizeLevel('merge-ready')).toBe('merge_ready');
    expect(normalizeLevel('package')).toBe('package');
    expect(normalizeLevel(' workspace ')).toBe('workspace');
    expect(normalizeLevel('galactic')).toBe('galactic');
    expect(normalizeLevel(3)).toBe('3');
    expect(normalizeLevel('')).toBeNull();
    expect(normalizeLevel(null)).toBeNull();
    expect(normalizeLevel({ level: 'package' })).toBeNull();
  });
});
