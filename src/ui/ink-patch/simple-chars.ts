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

/** Simple characters 1 cell wide: hexadecimal code points and inclusive ranges. */
const NARROW = `
  a0-a8 aa-ac af-24f 370-377 37a-37f 384-38a 38c 38e-3a1 3a3-482 48a-4ff 2010-2027
  202f-203b 203d-2048 204a-205e 2070-2071 2074-208e 2090-209c 20a0-20bf 2100-2121
  2123-2138 213a-218b 2190-2193 219a-21a8 21ab-2319 231c-2327 232b-23ce 23d0-23e8
  23f4-23f7 23fb-23ff 2460-24c1 24c3-25a9 25ac-25b5 25b7-25bf 25c1-25fa 25ff 2700-2701
  2703-2704 2706-2707 270e 2710-2711 2713 2715 2717-271c 271e-2720 2722-2727 2729-2732
  2735-2743 2745-2746 2748-274b 274d 274f-2752 2756 2758-2762 2765-2794 2798-27a0
  27a2-27af 27b1-27be 303f ff61-ff9d ffa1-ffbe ffc2-ffc7 ffca-ffcf ffd2-ffd7 ffda-ffdc
  ffe8-ffee`;

/** Simple characters 2 cells wide (East Asian Wide and Fullwidth), same notation. */
const WIDE = `
  2329-232a 2e80-2e99 2e9b-2ef3 2f00-2fd5 3000-3029 3031-303c 303e 3041-3096 309b-30ff
  3400-4dbf 4e00-9fff ac00-d7a3 f900-fa6d fa70-fad9 ff01-ff60 ffe0-ffe6`;

/** `[first, last, width]` triples of one width's ranges. */
const triples = (list: string, width: number): number[][] =>
  list
    .trim()
    .split(/\s+/)
    .map((r) => {
      const [first = '', last = first] = r.split('-');
      return [parseInt(first, 16), parseInt(last, 16), width];
    });

/** The simple characters as flat `first, last, width` triples in code point order. */
export const SIMPLE_RANGES: readonly number[] = [...triples(NARROW, 1), ...triples(WIDE, 2)]
  .sort((a, b) => a[0]! - b[0]!)
  .flat();

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
