/**
 * A row cell's text ({@link Cell}) and how it is fitted into its column's width: the
 * shorter form when the text does not fit, a tag (`(muted)`) kept whole at the end while
 * the text before it is cut, and cuts measured in terminal cells (string-width), ending in
 * `…`. Pure.
 */
import stringWidth from 'string-width';
import type { Tone } from './theme.js';

/**
 * A marker kept at the end of a cell (e.g. the id cell's `(muted)`): when the cell is too
 * narrow for the text and `text`, it shows `short`, and the cell's text is cut before it,
 * so the marker is never cut away. `short` is the form the help overlay explains.
 */
export interface CellTag {
  readonly text: string;
  readonly short: string;
}

/** One cell: text (already sanitized) and its tone. */
export interface Cell {
  readonly text: string;
  readonly tone: Tone;
  /** A shorter form used when `text` does not fit the column (same meaning, fewer cells). */
  readonly short?: string;
  /** A marker after the text, kept whole while the text is cut ({@link CellTag}). */
  readonly tag?: CellTag;
}

/**
 * The text of `cell` for a column `width` terminal cells wide: `short` when `text` is too
 * long, then cut by {@link cutToWidth} so it never takes more than `width` cells. With a
 * tag: `text tag.text` when it fits, else `text tag.short`, cutting `text` (never the tag)
 * while at least one character of it and its `…` fit; narrower still, the whole is cut.
 */
export function fitCell(cell: Cell, width: number): string {
  if (cell.tag !== undefined) return fitTagged(cell.text, cell.tag, width);
  const text =
    cell.short !== undefined && Array.from(cell.text).length > width ? cell.short : cell.text;
  return cutToWidth(text, width);
}

function fitTagged(text: string, tag: CellTag, width: number): string {
  const full = `${text} ${tag.text}`;
  if (stringWidth(full) <= width) return full;
  const room = width - 1 - stringWidth(tag.short);
  // Room for the text, or for one cell of it and the `…` of the cut.
  if (room >= Math.min(2, stringWidth(text))) return `${cutToWidth(text, room)} ${tag.short}`;
  return cutToWidth(`${text} ${tag.short}`, width);
}

const graphemes = new Intl.Segmenter();

/**
 * `text` cut to at most `width` terminal cells (string-width), ending in `…` when cut; a
 * `width` below 1 gives ''. Needed because Ink's `truncate-end` (cli-truncate 5) counts a
 * wide character as one cell: `日本語x` cut to 4 came out 5 cells wide, and in a row's last
 * column that spilled past the terminal's edge. Plain text only (cells carry no escapes).
 */
export function cutToWidth(text: string, width: number): string {
  // Fast paths (rows re-render on every lane change): no cell is wider than 2 per UTF-16 unit.
  if (text.length * 2 <= width) return text;
  if (text.length <= width && !/[^\x20-\x7e]/.test(text)) return text;
  if (stringWidth(text) <= width) return text;
  if (width < 1) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
