/**
 * Dense board lines (a lane row, the column titles) as ONE pre-coloured string each, so
 * Ink draws a row as one `Text` instead of a `Box` and a `Text` per cell: a 50-lane frame
 * then holds ~150 Ink nodes instead of ~1 150, and the first frame's render cost follows
 * the node count (docs/performance.md, "Attached board").
 *
 * Pure. The string is what Ink drew from the per-cell boxes, cell for cell: each cell's
 * text cut the way Ink cuts a `wrap="truncate-end"` text in a box of the column's width
 * (cli-truncate, Ink's own), coloured with chalk as Ink's `Text` colours it (colour, then
 * bold: the same instance and colour level as Ink), padded with plain spaces to the
 * column (what the empty cells of a box are). Equivalence with the boxes:
 * test/ui/row-text.test.tsx.
 */
import chalk from 'chalk';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { GAP, MARKER_WIDTH } from './columns.js';
import type { Column, ColumnLayout } from './columns.js';
import type { Theme, Tone } from './theme.js';

/** What a cell of a dense line shows: text (already sanitized, one line) and its tone. */
export interface RowCell {
  readonly text: string;
  readonly tone: Tone;
}

/**
 * `text` cut to `width` cells the way Ink cuts a `wrap="truncate-end"` text (cli-truncate,
 * ending in `…`). Like Ink's, the cut can be one cell wider than `width` when a wide
 * character ends on the edge (`日本語` in 4 cells is `日本…`, 5 cells).
 * @param text One line, no escape sequences.
 * @param width Cells (≥ 1).
 * @returns The cut text and its width in cells.
 */
export function truncateCell(text: string, width: number): { text: string; width: number } {
  const w = stringWidth(text);
  if (w <= width) return { text, width: w };
  const cut = cliTruncate(text, width, { position: 'end' });
  return { text: cut, width: stringWidth(cut) };
}

/**
 * `text` styled as Ink's `Text` styles it: colour (a chalk colour name, from the theme),
 * then bold. Unstyled when neither is asked for or chalk's colour level is 0.
 */
export function paint(text: string, color: string | undefined, bold: boolean): string {
  let s = text;
  // Theme colours are chalk's named foreground colours (./theme.ts); anything else is ignored.
  if (color !== undefined && color in chalk) s = chalk[color as 'red'](s);
  if (bold) s = chalk.bold(s);
  return s;
}

const spaces = (n: number): string => (n > 0 ? ' '.repeat(n) : '');

/** Options of {@link rowSegments} and {@link rowText}. */
export interface RowOptions {
  /** The marker's text and whether it is bold; `null`: a blank marker drawing nothing. */
  readonly marker: { readonly text: string; readonly bold: boolean } | null;
  /** The cells bold (the selected row). */
  readonly bold: boolean;
  /** Tone → colour. */
  readonly theme: Theme;
}

/**
 * One dense board line as pre-coloured strings that, joined, draw the line: the selection
 * marker, then each laid-out column's cell cut and padded to the column width, columns
 * `GAP` apart. One segment per non-empty cell (the marker joins the first): a segment is
 * the cell and the blanks up to the next one, so the same cell in the same column is the
 * same string on every row (Ink's output caches then tokenize and measure it once per
 * frame, not once per row). Nothing after the last cell (Ink trims a line's trailing
 * blanks anyway).
 *
 * A cell cut one cell wider than its column (a wide character on the edge,
 * {@link truncateCell}) spills into the gap, as it did from its box; in the last column,
 * where the box spilled past the row (past the terminal's edge on a full-width row), it
 * is cut one cell shorter instead.
 * @param layout Column layout for the terminal width (./columns.ts).
 * @param cell The cell of a column (its text may be wider: it is cut), or undefined for
 *   an empty cell.
 * @param opts See {@link RowOptions}.
 * @returns Segments in order, together at most `layout.total` cells wide, each keyed by
 *   the column of its cell (a React key that stays when another cell empties).
 */
export function rowSegments(
  layout: ColumnLayout,
  cell: (column: Column) => RowCell | undefined,
  opts: RowOptions,
): { readonly key: string; readonly text: string }[] {
  const { marker, bold, theme } = opts;
  const out: { key: string; text: string }[] = [];
  let cur = '';
  let curKey = '';
  let pad = MARKER_WIDTH;
  if (marker !== null) {
    const m = truncateCell(marker.text, MARKER_WIDTH);
    cur = paint(m.text, undefined, marker.bold);
    pad -= m.width;
  }
  const last = layout.columns.length - 1;
  let first = true;
  layout.columns.forEach((c, i) => {
    pad += i === 0 ? 0 : GAP;
    const x = cell(c);
    if (x === undefined || x.text === '') {
      pad += c.width;
      return;
    }
    let t = truncateCell(x.text, c.width);
    if (i === last && t.width > c.width) t = truncateCell(x.text, c.width - 1);
    const painted = paint(t.text, theme.color(x.tone), bold);
    if (first) {
      cur += spaces(pad) + painted;
      first = false;
    } else {
      out.push({ key: curKey, text: cur + spaces(pad) });
      cur = painted;
    }
    curKey = c.key;
    pad = c.width - t.width;
  });
  if (cur !== '') out.push({ key: curKey === '' ? 'marker' : curKey, text: cur });
  return out;
}

/**
 * The line of {@link rowSegments} as one string.
 * @returns A string at most `layout.total` cells wide.
 */
export function rowText(
  layout: ColumnLayout,
  cell: (column: Column) => RowCell | undefined,
  opts: RowOptions,
): string {
  return rowSegments(layout, cell, opts)
    .map((s) => s.text)
    .join('');
}
