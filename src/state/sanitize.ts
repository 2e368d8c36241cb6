/**
 * Sanitizer for untrusted text (everything a worker writes: bridge fields, event details,
 * log tails). The board renders worker text to a real terminal, so any escape sequence
 * that survives could move the cursor, rewrite the screen, set the clipboard (OSC 52),
 * hide a link target (OSC 8) or reorder text (bidi overrides, "Trojan Source",
 * CVE-2021-42574). Pure: no I/O.
 *
 * Rules (ECMA-48 / ISO 6429 for the control functions, Unicode UAX #9 for bidi):
 * - Escape sequences are removed whole: CSI (`ESC [` or 8-bit 0x9B, params, intermediates,
 *   final byte), the string sequences OSC (`ESC ]` / 0x9D, ended by BEL or ST), DCS
 *   (`ESC P` / 0x90), SOS (`ESC X` / 0x98), PM (`ESC ^` / 0x9E) and APC (`ESC _` / 0x9F),
 *   each ended by ST (`ESC \` or 0x9C), SS2/SS3 with their one following character, and
 *   every other `ESC` + intermediates + final byte sequence (nF / Fp / Fe / Fs). An
 *   unterminated string sequence swallows the rest of the input (its payload is unknown).
 * - Every other C1 control (0x80–0x9F) is removed; NEL (0x85) counts as a line break.
 * - C0 controls and DEL are removed, except line breaks (LF, CR, CRLF, U+2028, U+2029)
 *   and TAB, which become a space in one-line text; the multi-line variant keeps `\n`.
 * - Bidi embeddings/overrides/isolates (U+202A–202E, U+2066–2069) and invisible format
 *   characters that can hide or reorder text (U+200B, U+200E, U+200F, U+061C, U+00AD,
 *   U+180E, U+2060–2064, U+206A–206F, U+FEFF, U+FFF9–FFFB, tag characters
 *   U+E0000–E007F, variation selectors supplement U+E0100–E01EF) are removed. ZWJ and
 *   ZWNJ (U+200C, U+200D) are kept: scripts and emoji sequences need them.
 * - Lone (unpaired) UTF-16 surrogates are removed.
 */

/** Default cap of one-line text (code points, including the "…"). */
const DEFAULT_LINE_MAX = 1_000;
/** Default cap of multi-line text (code points, including the "…"). */
const DEFAULT_MULTILINE_MAX = 100_000;

const ESC = 0x1b;
const BEL = 0x07;
const ST_8BIT = 0x9c;

/** Code points removed anywhere (invisible/format characters that can hide or reorder text). */
function isHarmfulFormat(cp: number): boolean {
  return (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200b ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c ||
    cp === 0x00ad ||
    cp === 0x180e ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

/** Turn any value into text to sanitize: strings as is, scalars via String, objects as JSON. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'symbol' || typeof value === 'function') return '';
  try {
    const json = JSON.stringify(value);
    return typeof json === 'string' ? json : '';
  } catch {
    return '[unserializable]';
  }
}

/**
 * Index just past a string sequence's terminator (BEL for OSC only, `ESC \`, or 0x9C),
 * starting the search at `from`; the input length when unterminated.
 */
function skipStringSequence(cps: readonly number[], from: number, belEnds: boolean): number {
  for (let i = from; i < cps.length; i++) {
    const cp = cps[i];
    if (cp === ST_8BIT || (belEnds && cp === BEL)) return i + 1;
    if (cp === ESC && cps[i + 1] === 0x5c) return i + 2;
  }
  return cps.length;
}

/**
 * Index just past a CSI sequence whose parameters start at `from`. A code point that is
 * not a parameter, intermediate or final byte aborts the sequence (it is processed anew).
 */
function skipCsi(cps: readonly number[], from: number): number {
  for (let i = from; i < cps.length; i++) {
    const cp = cps[i] ?? 0;
    if (cp >= 0x20 && cp <= 0x3f) continue;
    if (cp >= 0x40 && cp <= 0x7e) return i + 1;
    return i;
  }
  return cps.length;
}

/** Index just past an escape sequence that starts with ESC at `at`. */
function skipEscape(cps: readonly number[], at: number): number {
  const next = cps[at + 1];
  if (next === undefined) return at + 1;
  switch (next) {
    case 0x5b: // [ CSI
      return skipCsi(cps, at + 2);
    case 0x5d: // ] OSC
      return skipStringSequence(cps, at + 2, true);
    case 0x50: // P DCS
    case 0x58: // X SOS
    case 0x5e: // ^ PM
    case 0x5f: // _ APC
      return skipStringSequence(cps, at + 2, false);
    case 0x4e: // N SS2
    case 0x4f: // O SS3
      return Math.min(cps.length, at + 3);
    default:
      break;
  }
  // nF: intermediates 0x20–0x2F then one final 0x30–0x7E; Fp/Fe/Fs: one byte 0x30–0x7E.
  let i = at + 1;
  while (i < cps.length && (cps[i] ?? 0) >= 0x20 && (cps[i] ?? 0) <= 0x2f) i++;
  const fin = cps[i];
  if (fin !== undefined && fin >= 0x30 && fin <= 0x7e) return i + 1;
  return i; // lone ESC (or ESC before a non-ASCII char): drop the ESC and intermediates only
}

/** Index just past an 8-bit C1 control at `at` (and its sequence, for CSI/OSC/DCS/SOS/PM/APC). */
function skipC1(cps: readonly number[], at: number, cp: number): number {
  if (cp === 0x9b) return skipCsi(cps, at + 1);
  if (cp === 0x9d) return skipStringSequence(cps, at + 1, true);
  if (cp === 0x90 || cp === 0x98 || cp === 0x9e || cp === 0x9f) {
    return skipStringSequence(cps, at + 1, false);
  }
  return at + 1;
}

/** Strip every control and harmful code point; line breaks become `lineBreak`, TAB a space. */
function strip(text: string, lineBreak: string): string {
  const cps: number[] = [];
  for (const ch of text) cps.push(ch.codePointAt(0) ?? 0);
  let out = '';
  let i = 0;
  while (i < cps.length) {
    const cp = cps[i] ?? 0;
    if (cp === ESC) {
      i = skipEscape(cps, i);
    } else if (cp === 0x0d) {
      out += lineBreak;
      i += cps[i + 1] === 0x0a ? 2 : 1;
    } else if (cp === 0x0a || cp === 0x85 || cp === 0x2028 || cp === 0x2029) {
      out += lineBreak;
      i++;
    } else if (cp === 0x09) {
      out += ' ';
      i++;
    } else if (cp >= 0x80 && cp <= 0x9f) {
      i = skipC1(cps, i, cp);
    } else if (cp < 0x20 || cp === 0x7f || isHarmfulFormat(cp)) {
      i++;
    } else {
      out += String.fromCodePoint(cp);
      i++;
    }
  }
  return out;
}

/**
 * Cut `text` to at most `maxLen` code points, ending in "…" when anything was cut.
 * `maxLen` ≤ 0 or NaN gives ''. Never splits a surrogate pair.
 */
export function truncateText(text: string, maxLen: number): string {
  if (!(maxLen > 0)) return '';
  const cps = Array.from(text);
  if (cps.length <= maxLen) return text;
  return cps.slice(0, Math.max(0, Math.floor(maxLen) - 1)).join('') + '…';
}

/**
 * Make untrusted text safe to render on one line.
 * @param s Any value: strings as is; null/undefined → ''; numbers/booleans via String;
 *   objects as JSON ('[unserializable]' when JSON fails, e.g. cycles). Never throws.
 * @param maxLen Maximum length in code points including the trailing "…".
 *   @default DEFAULT_LINE_MAX (1000)
 * @returns Text with no escape sequences, no control characters (line breaks and tabs
 *   become one space each), no bidi controls, no harmful invisible characters and no lone
 *   surrogates, truncated with "…".
 */
export function sanitizeText(s: unknown, maxLen: number = DEFAULT_LINE_MAX): string {
  return truncateText(strip(toText(s), ' '), maxLen);
}

/**
 * Like {@link sanitizeText} but keeps line structure: every line break (LF, CR, CRLF, NEL,
 * U+2028, U+2029) becomes `\n`; TAB becomes one space.
 * @param maxLen Maximum length in code points including the trailing "…".
 *   @default DEFAULT_MULTILINE_MAX (100000)
 */
export function sanitizeMultiline(s: unknown, maxLen: number = DEFAULT_MULTILINE_MAX): string {
  return truncateText(strip(toText(s), '\n'), maxLen);
}

// C0 controls, DEL, C1 controls (incl. 8-bit CSI U+009B), and bidi overrides/isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replace every terminal control / bidi character with a visible escape (`\n`, `\t`,
 * `\u001b`, …). Input: any string. Output: a string safe to print on one terminal line.
 * The "escape" mode, for error messages that must show what a bad value holds (config
 * errors); worker text uses the removing {@link sanitizeText}.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_RE, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
