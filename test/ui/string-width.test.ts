/**
 * The bundle's `string-width` drop-in (src/ui/ink-patch/string-width.ts) answers what the
 * package answers: its table of simple characters is derived again here from the package and
 * `Intl.Segmenter` on this Node (every code point of its blocks), and random strings of
 * ASCII, table characters, emoji, marks, joiners, controls, escapes and astral characters
 * are measured by both.
 */
import { describe, expect, it } from 'vitest';
import packageStringWidth from 'string-width';
import stringWidth from '../../src/ui/ink-patch/string-width.js';
import { rng } from '../helpers/rng.js';
import {
  SIMPLE_BLOCKS,
  SIMPLE_RANGES,
  simpleCharWidth,
} from '../../src/ui/ink-patch/simple-chars.js';

const segmenter = new Intl.Segmenter();
const segments = (s: string): number => [...segmenter.segment(s)].length;
const NOT_SIMPLE =
  /[\p{Extended_Pictographic}\p{M}\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Regional_Indicator}]/u;
const jamo = (cp: number): boolean =>
  (cp >= 0x1100 && cp <= 0x11ff) ||
  (cp >= 0xa960 && cp <= 0xa97f) ||
  (cp >= 0xd7b0 && cp <= 0xd7ff);

/** The table's rule for one code point: its width in cells, or 0 when not simple. */
function derivedWidth(cp: number): number {
  const ch = String.fromCharCode(cp);
  if (NOT_SIMPLE.test(ch) || jamo(cp)) return 0;
  if (segments(`a${ch}a`) !== 3 || segments(ch + ch) !== 2) return 0;
  const w = packageStringWidth(ch);
  return (w === 1 || w === 2) && packageStringWidth(`a${ch}${ch}`) === 1 + 2 * w ? w : 0;
}

const PIECES = [
  'lane-042',
  ' ',
  '—',
  '…',
  '↑0 ↓0 fresh',
  '›',
  '↻2',
  '✗',
  '▸ ~/src',
  '漢字',
  'ｶﾞ', // halfwidth katakana and its voiced mark (a mark: not simple)
  'é',
  'e\u0301', // e + combining acute
  '👍',
  '👨‍👩‍👧',
  '⌚',
  '⏸',
  '©',
  '\u00ad', // soft hyphen
  '\u200b',
  '\u001b[32m',
  '\u001b[39m',
  '\t',
  '\u0007',
  '🇩🇪',
  '각',
  '\u1100\u1161', // Hangul jamo L + V
  '\ud83d', // lone surrogate
  'ก\u0e33', // Thai with a spacing mark
];

describe('string-width drop-in', () => {
  it('its table is what string-width and Intl.Segmenter give on this Node', () => {
    const ranges: number[] = [];
    const wrong: string[] = [];
    for (const [from, to] of SIMPLE_BLOCKS) {
      for (let cp = from; cp <= to; cp++) {
        const w = derivedWidth(cp);
        if (simpleCharWidth(cp) !== w) wrong.push(`U+${cp.toString(16)}: ${w}`);
        if (w === 0) continue;
        const n = ranges.length;
        if (n > 0 && ranges[n - 2] === cp - 1 && ranges[n - 1] === w) ranges[n - 2] = cp;
        else ranges.push(cp, cp, w);
      }
    }
    expect(wrong).toEqual([]);
    expect(ranges).toEqual(SIMPLE_RANGES);
  });

  it('printable ASCII is 1 cell, controls and surrogates are not simple', () => {
    for (let c = 0x20; c < 0x7f; c++) expect(simpleCharWidth(c)).toBe(1);
    for (const c of [0, 0x09, 0x1b, 0x7f, 0x9b, 0xd83d, 0xdc4d, 0xfe0f, 0x200d]) {
      expect(simpleCharWidth(c)).toBe(0);
    }
  });

  it('measures random strings exactly as the package does', () => {
    const r = rng(10);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(r() * 6);
      for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)]!;
      expect([s, stringWidth(s)]).toEqual([s, packageStringWidth(s)]);
    }
  });

  it('hands options and non-strings to the package', () => {
    expect(stringWidth('—…', { ambiguousIsNarrow: false })).toBe(
      packageStringWidth('—…', { ambiguousIsNarrow: false }),
    );
    expect(stringWidth('\u001b[31mx\u001b[39m', { countAnsiEscapeCodes: true })).toBe(
      packageStringWidth('\u001b[31mx\u001b[39m', { countAnsiEscapeCodes: true }),
    );
    expect(stringWidth('')).toBe(0);
    expect(stringWidth(42 as unknown as string)).toBe(0);
  });
});
