/**
 * Characters whose terminal width needs no grapheme segmentation: each one is a grapheme
 * cluster of its own next to any other (no mark, joiner, prepend or Hangul jamo), is no
 * emoji (no Extended_Pictographic) and is not a control or format character. For a string
 * made of these and printable ASCII, `string-width` 8 answers the sum of the characters'
 * widths, which this table gives without its first non-ASCII call compiling
 * `/^\p{RGI_Emoji}$/v` (~50 ms of CPU, once per process; docs/performance.md,
 * "Attached board").
 *
 * The table is derived from `string-width` and `Intl.Segmenter` themselves: for every
 * code point of {@link SIMPLE_BLOCKS}, the character is kept when it has none of the
 * properties above, segments on its own after and before `a` and next to itself, and
 * `string-width` gives it 1 or 2 cells. test/ui/string-width.test.ts derives it again on the
 * running Node and compares, so a Unicode update that changes any entry fails there.
 */

/** Unicode blocks the table was derived from (inclusive code point ranges, BMP only). */
export const SIMPLE_BLOCKS: readonly (readonly [number, number])[] = [
  [0xa0, 0x24f], // Latin-1 Supplement, Latin Extended-A and -B
  [0x370, 0x4ff], // Greek, Cyrillic
  [0x2010, 0x205e], // General Punctuation (— … ‹ ›)
  [0x2070, 0x20bf], // Superscripts and Subscripts, Currency Symbols
  [0x2100, 0x218b], // Letterlike Symbols, Number Forms
  [0x2190, 0x23ff], // Arrows (↑ ↓ ↻), Mathematical Operators, Miscellaneous Technical
  [0x2460, 0x24ff], // Enclosed Alphanumerics
  [0x2500, 0x25ff], // Box Drawing, Block Elements (▏), Geometric Shapes (▸)
  [0x2700, 0x27bf], // Dingbats (✓ ✗)
  [0x2e80, 0x2fdf], // CJK Radicals, Kangxi Radicals
  [0x3000, 0x30ff], // CJK Symbols and Punctuation, Hiragana, Katakana
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xac00, 0xd7a3], // Hangul Syllables
  [0xf900, 0xfaff], // CJK Compatibility Ideographs
  [0xff01, 0xffee], // Halfwidth and Fullwidth Forms
];

/** The simple characters as `[first, last, width]` triples (inclusive, width in cells). */
export const SIMPLE_RANGES: readonly number[] = [
  0xa0, 0xa8, 1, 0xaa, 0xac, 1, 0xaf, 0x24f, 1, 0x370, 0x377, 1, 0x37a, 0x37f, 1, 0x384, 0x38a, 1,
  0x38c, 0x38c, 1, 0x38e, 0x3a1, 1, 0x3a3, 0x482, 1, 0x48a, 0x4ff, 1, 0x2010, 0x2027, 1, 0x202f,
  0x203b, 1, 0x203d, 0x2048, 1, 0x204a, 0x205e, 1, 0x2070, 0x2071, 1, 0x2074, 0x208e, 1, 0x2090,
  0x209c, 1, 0x20a0, 0x20bf, 1, 0x2100, 0x2121, 1, 0x2123, 0x2138, 1, 0x213a, 0x218b, 1, 0x2190,
  0x2193, 1, 0x219a, 0x21a8, 1, 0x21ab, 0x2319, 1, 0x231c, 0x2327, 1, 0x2329, 0x232a, 2, 0x232b,
  0x23ce, 1, 0x23d0, 0x23e8, 1, 0x23f4, 0x23f7, 1, 0x23fb, 0x23ff, 1, 0x2460, 0x24c1, 1, 0x24c3,
  0x25a9, 1, 0x25ac, 0x25b5, 1, 0x25b7, 0x25bf, 1, 0x25c1, 0x25fa, 1, 0x25ff, 0x25ff, 1, 0x2700,
  0x2701, 1, 0x2703, 0x2704, 1, 0x2706, 0x2707, 1, 0x270e, 0x270e, 1, 0x2710, 0x2711, 1, 0x2713,
  0x2713, 1, 0x2715, 0x2715, 1, 0x2717, 0x271c, 1, 0x271e, 0x2720, 1, 0x2722, 0x2727, 1, 0x2729,
  0x2732, 1, 0x2735, 0x2743, 1, 0x2745, 0x2746, 1, 0x2748, 0x274b, 1, 0x274d, 0x274d, 1, 0x274f,
  0x2752, 1, 0x2756, 0x2756, 1, 0x2758, 0x2762, 1, 0x2765, 0x2794, 1, 0x2798, 0x27a0, 1, 0x27a2,
  0x27af, 1, 0x27b1, 0x27be, 1, 0x2e80, 0x2e99, 2, 0x2e9b, 0x2ef3, 2, 0x2f00, 0x2fd5, 2, 0x3000,
  0x3029, 2, 0x3031, 0x303c, 2, 0x303e, 0x303e, 2, 0x303f, 0x303f, 1, 0x3041, 0x3096, 2, 0x309b,
  0x30ff, 2, 0x3400, 0x4dbf, 2, 0x4e00, 0x9fff, 2, 0xac00, 0xd7a3, 2, 0xf900, 0xfa6d, 2, 0xfa70,
  0xfad9, 2, 0xff01, 0xff60, 2, 0xff61, 0xff9d, 1, 0xffa1, 0xffbe, 1, 0xffc2, 0xffc7, 1, 0xffca,
  0xffcf, 1, 0xffd2, 0xffd7, 1, 0xffda, 0xffdc, 1, 0xffe0, 0xffe6, 2, 0xffe8, 0xffee, 1,
];

/** Width per UTF-16 code unit: 1 or 2 cells, 0 when not simple (printable ASCII is 1). */
const widths = new Uint8Array(0x10000);
widths.fill(1, 0x20, 0x7f);
for (let i = 0; i < SIMPLE_RANGES.length; i += 3) {
  const [first = 0, last = -1, width = 0] = SIMPLE_RANGES.slice(i, i + 3);
  widths.fill(width, first, last + 1);
}

/**
 * Width in terminal cells of UTF-16 code unit `code` when it is printable ASCII or a
 * simple character of the table; 0 for anything else (controls, marks, surrogates, emoji,
 * characters outside the table), which then needs the full `string-width`.
 */
export function simpleCharWidth(code: number): number {
  return widths[code] ?? 0;
}
