/**
 * A drop-in for Ink 6.8's internal `build/output.js` (the class that turns a frame's text
 * writes into the screen string), substituted into the bundle by scripts/build.mjs. Same
 * input (writes, clips), same output string; the difference is what a frame costs.
 *
 * Ink's own class builds a grid of one object per terminal cell (12 000 at 200×60) and
 * serialises every line on every frame, whatever changed: ~13 ms plus ~9 ms of garbage
 * collection per frame at 200×60 (docs/performance.md, "Scale"). This one collects each
 * line's writes, keys the line by them (x, text after transformers, in write order) and
 * reuses the line's string from an earlier frame when the key is the same; only lines
 * whose writes changed are built, the way Ink builds them. Tokenized text, widths and the
 * cuts of clipped text are cached across frames too. Equivalence with Ink's class: test/ui/ink-output.test.ts.
 */
import {
  ansiCodesToString,
  diffAnsiCodes,
  styledCharsFromTokens,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import type { AnsiCode, StyledChar } from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { bounded } from './bounded.js';

/** Rewrites one output line (Ink's `<Transform>`): `(line, index) => line`. */
export type OutputTransformer = (s: string, index: number) => string;

/** A clip rectangle (cells; a missing pair means no clipping on that axis). */
export interface Clip {
  readonly x1: number | undefined;
  readonly x2: number | undefined;
  readonly y1: number | undefined;
  readonly y2: number | undefined;
}

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: OutputTransformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

// A screen is ~60 lines and ~700 writes (a 60-row board of ~11 texts a row).
const lineCache = bounded<string>(256);
const charsCache = bounded<StyledChar[]>(1024);
const widthCache = bounded<number>(2048);
const sliceCache = bounded<string>(1024);

/** `sliceAnsi(line, from, to)`, cached: a clipped box cuts the same lines every frame. */
function slice(line: string, from: number, to: number): string {
  const key = `${from}:${to}:${line}`;
  let s = sliceCache.get(key);
  if (s === undefined) {
    s = sliceAnsi(line, from, to);
    sliceCache.set(key, s);
  }
  return s;
}

function width(text: string): number {
  let w = widthCache.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    widthCache.set(text, w);
  }
  return w;
}

function widest(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, width(line));
  return w;
}

/** Width of one cell's character: printable ASCII is 1 without asking `string-width`. */
function charWidth(value: string): number {
  if (value.length === 1) {
    const c = value.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
  }
  return width(value);
}

/** Whether two reduced style lists are the same codes in the same order. */
function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  }
  return true;
}

const NO_STYLES: AnsiCode[] = [];

/**
 * `styledCharsToString` of `@alcalzone/ansi-tokenize`, same string: it diffs the styles of
 * every pair of neighbouring cells (three Sets and four arrays per cell, ~60 % of a storm
 * board's allocation); here a cell styled like the one before (almost every cell) costs a
 * comparison, and only a change of style asks the library for the codes.
 */
function charsToString(chars: readonly StyledChar[]): string {
  let ret = '';
  let prev = NO_STYLES;
  for (const ch of chars) {
    if (!sameStyles(prev, ch.styles)) ret += ansiCodesToString(diffAnsiCodes(prev, ch.styles));
    ret += ch.value;
    prev = ch.styles;
  }
  if (prev.length > 0) ret += ansiCodesToString(diffAnsiCodes(prev, NO_STYLES));
  return ret;
}

/** An empty cell (shared: cells are never mutated). */
const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES };

function styledChars(line: string): StyledChar[] {
  let c = charsCache.get(line);
  if (c === undefined) {
    c = styledCharsFromTokens(tokenize(line));
    charsCache.set(line, c);
  }
  return c;
}

/** The frame's output, same contract as Ink's `Output` (constructed per frame by Ink). */
export default class Output {
  readonly width: number;
  readonly height: number;
  private readonly operations: Operation[] = [];

  /** @param options Frame size in cells. */
  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  /** Queue `text` (may hold ANSI styles and newlines) at cell (`x`, `y`). Empty text is ignored. */
  write(x: number, y: number, text: string, options: { transformers: OutputTransformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  /** Clip later writes to `clip` until the matching {@link unclip}. */
  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  /** End the innermost clip. */
  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  /** The frame as one string (lines joined by '\n', trailing spaces trimmed) and its height. */
  get(): { output: string; height: number } {
    // Per line: [x0, text0, x1, text1, …] in write order (later writes draw over earlier).
    const rows: (number | string)[][] = [];
    for (let y = 0; y < this.height; y++) rows.push([]);
    const clips: Clip[] = [];
    for (const op of this.operations) {
      if (op.type === 'clip') {
        clips.push(op.clip);
        continue;
      }
      if (op.type === 'unclip') {
        clips.pop();
        continue;
      }
      const { text, transformers } = op;
      let { x, y } = op;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipH = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipV = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipH) {
          const w = widest(text);
          if (x + w < clip.x1 || x > clip.x2) continue;
        }
        if (clipV && (y + lines.length < clip.y1 || y > clip.y2)) continue;
        if (clipH) {
          const x1 = clip.x1;
          const x2 = clip.x2;
          lines = lines.map((line) => {
            const from = x < x1 ? x1 - x : 0;
            const w = width(line);
            const to = x + w > x2 ? x2 - x : w;
            return slice(line, from, to);
          });
          if (x < x1) x = x1;
        }
        if (clipV) {
          const y1 = clip.y1;
          const from = y < y1 ? y1 - y : 0;
          const to = y + lines.length > clip.y2 ? clip.y2 - y : lines.length;
          lines = lines.slice(from, to);
          if (y < y1) y = y1;
        }
      }
      let offsetY = 0;
      for (const [index, raw] of lines.entries()) {
        const row = rows[y + offsetY];
        // As in Ink: a line outside the frame is dropped (and so are the ones after it).
        if (!row) continue;
        let line = raw;
        for (const t of transformers) line = t(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const out: string[] = [];
    for (const segs of rows) {
      const key = `${this.width}\u0001${segs.join('\u0000')}`;
      let s = lineCache.get(key);
      if (s === undefined) {
        s = this.line(segs);
        lineCache.set(key, s);
      }
      out.push(s);
    }
    return { output: out.join('\n'), height: this.height };
  }

  /** One line from its writes: {@link spaced} when it can, else cell by cell as Ink does it. */
  private line(segs: readonly (number | string)[]): string {
    const fast = this.spaced(segs);
    if (fast !== null) return fast;
    const cells: StyledChar[] = new Array<StyledChar>(this.width).fill(BLANK);
    for (let i = 0; i < segs.length; i += 2) place(cells, segs[i] as number, segs[i + 1] as string);
    return charsToString(cells.filter((c) => c !== undefined)).trimEnd();
  }

  /**
   * The same line as {@link line} when its writes lie left to right inside the frame
   * without overlapping (a board row: one write per cell): each write's own string
   * (cached) joined by blanks, no cell array. Two writes that touch only when the first
   * ends or the second starts unstyled, since only then is the style change between them
   * the same as through a blank. null when the writes do not allow it.
   */
  private spaced(segs: readonly (number | string)[]): string | null {
    let out = '';
    let col = 0;
    let plainEnd = true;
    for (let i = 0; i < segs.length; i += 2) {
      const x = segs[i] as number;
      const seg = segment(segs[i + 1] as string);
      if (x < col || (x === col && !plainEnd && !seg.plainStart)) return null;
      out += ' '.repeat(x - col) + seg.text;
      col = x + seg.width;
      // An empty write leaves the style at its column as it was.
      if (seg.width > 0) plainEnd = seg.plainEnd;
    }
    return col > this.width ? null : out.trimEnd();
  }
}

/**
 * Put the cells of `text` at column `x` of `cells`, as Ink does. Returns the column after it.
 * A wide character covers the next cells (Ink clears them the same way).
 */
function place(cells: StyledChar[], x: number, text: string): number {
  let offsetX = x;
  for (const ch of styledChars(text)) {
    cells[offsetX] = ch;
    const w = Math.max(1, charWidth(ch.value));
    for (let k = 1; k < w; k++) {
      cells[offsetX + k] = { type: 'char', value: '', fullWidth: false, styles: ch.styles };
    }
    offsetX += w;
  }
  return offsetX;
}

/** One write on its own: its string from and back to no style, its width in cells. */
interface Segment {
  readonly text: string;
  readonly width: number;
  readonly plainStart: boolean;
  readonly plainEnd: boolean;
}

const segmentCache = bounded<Segment>(1024);

function segment(text: string): Segment {
  let s = segmentCache.get(text);
  if (s === undefined) {
    const cells: StyledChar[] = [];
    const width = place(cells, 0, text);
    s = {
      text: charsToString(cells),
      width,
      plainStart: (cells[0]?.styles.length ?? 0) === 0,
      plainEnd: (cells.at(-1)?.styles.length ?? 0) === 0,
    };
    segmentCache.set(text, s);
  }
  return s;
}
