import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration, parseSize } from '../../src/config/index.js';
import { didYouMean } from '../../src/config/suggest.js';
import { describeValue, formatPath, quote } from '../../src/config/text.js';

describe('parseDuration', () => {
  it('converts numbers and unit strings to whole ms', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration(' 2 h ')).toBe(7_200_000);
    expect(parseDuration(1.6)).toBe(2);
  });
  it('returns null for anything else, including delays setTimeout cannot hold', () => {
    for (const bad of [
      '',
      '5',
      '5 sec',
      '5M',
      '-1s',
      'ms',
      '1e3s',
      -1,
      Number.NaN,
      Infinity,
      null,
      true,
      [],
      {},
    ]) {
      expect(parseDuration(bad)).toBeNull();
    }
    expect(parseDuration(MAX_DURATION_MS)).toBe(MAX_DURATION_MS);
    expect(parseDuration(MAX_DURATION_MS + 1)).toBeNull();
    expect(parseDuration('25d')).toBeNull();
    expect(parseDuration('597h')).toBeNull();
  });
});

describe('parseSize', () => {
  it('converts bytes and binary unit strings', () => {
    expect(parseSize(1)).toBe(1);
    expect(parseSize('512KB')).toBe(512 * 1024);
    expect(parseSize('5MB')).toBe(5 * 1024 * 1024);
    expect(parseSize('5 mib')).toBe(5 * 1024 * 1024);
    expect(parseSize('1.5KiB')).toBe(1536);
    expect(parseSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('100b')).toBe(100);
  });
  it('returns null for zero, negatives, junk and absurd sizes', () => {
    for (const bad of [0, -5, '0KB', '5XB', '5 M', 'MB', Number.NaN, null, '2TB', 1024 ** 4 + 1]) {
      expect(parseSize(bad)).toBeNull();
    }
  });
});

describe('didYouMean', () => {
  const lane = ['id', 'repo', 'worktree', 'branch', 'base', 'restart', 'required_level'];
  it('suggests close keys, ignoring case and separators', () => {
    expect(didYouMean('restrat', lane)).toBe('restart');
    expect(didYouMean('requiredLevel', lane)).toBe('required_level');
    expect(didYouMean('Branch', lane)).toBe('branch');
    expect(didYouMean('worktre', lane)).toBe('worktree');
  });
  it('stays quiet when nothing is close', () => {
    expect(didYouMean('banana', lane)).toBeNull();
    expect(didYouMean('xy', lane)).toBeNull();
    expect(didYouMean('x', [])).toBeNull();
  });
});

describe('message text helpers', () => {
  it('quotes, truncates and escapes untrusted text', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quote('\u001b[31mred\u009b\u202e')).toBe('"\\u001b[31mred\\u009b\\u202e"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
  });
  it('describes values and paths the way they read in YAML', () => {
    expect([null, [], [1], {}, 3, false, 'x'].map(describeValue)).toEqual([
      'an empty value',
      'an empty list',
      'a list',
      'a map',
      '3',
      'false',
      '"x"',
    ]);
    expect(formatPath(['lanes', 2, 'restart'])).toBe('lanes[2].restart');
    expect(formatPath(['lanes', 0, 'env', 'MY VAR'])).toBe('lanes[0].env["MY VAR"]');
    expect(formatPath([])).toBe('');
  });
});
