/**
 * Column layout of a board row for a terminal width. Columns drop by priority when the
 * terminal is narrow (least important first) so a row always fits: the sum of the widths
 * plus gaps and the selection marker never exceeds the width. The blocker column, then the
 * activity column when it fits, take the spare width of wide terminals.
 */

/** The columns of a lane row, in display order. */
export type ColumnKey =
  | 'id'
  | 'branch'
  | 'fresh'
  | 'diff'
  | 'worker'
  | 'agent'
  | 'tests'
  | 'blocker'
  | 'activity'
  | 'event';

interface ColumnSpec {
  readonly key: ColumnKey;
  readonly title: string;
  /** Narrowest useful width (cells). */
  readonly min: number;
  /** Width used to decide which columns fit (cells). */
  readonly comfy: number;
  /** Width it grows to before the flexible column takes the rest (cells). */
  readonly ideal: number;
  /** Drop order: higher drops first; 0 never drops. */
  readonly drop: number;
}

const SPECS: readonly ColumnSpec[] = [
  { key: 'id', title: 'LANE', min: 6, comfy: 10, ideal: 13, drop: 0 },
  { key: 'branch', title: 'BRANCH', min: 8, comfy: 12, ideal: 20, drop: 6 },
  { key: 'fresh', title: 'BASE', min: 8, comfy: 12, ideal: 15, drop: 3 },
  { key: 'diff', title: 'DIFF', min: 7, comfy: 9, ideal: 12, drop: 5 },
  { key: 'worker', title: 'WORKER', min: 9, comfy: 11, ideal: 13, drop: 2 },
  { key: 'agent', title: 'AGENT', min: 7, comfy: 9, ideal: 12, drop: 4 },
  { key: 'tests', title: 'TESTS', min: 7, comfy: 10, ideal: 14, drop: 3 },
  { key: 'blocker', title: 'BLOCKER → NEXT', min: 12, comfy: 20, ideal: 36, drop: 0 },
  // Takes the spare width of wide terminals (fits from ~134 columns on).
  { key: 'activity', title: 'ACTIVITY', min: 10, comfy: 16, ideal: 48, drop: 7 },
  { key: 'event', title: 'LAST EVENT', min: 10, comfy: 14, ideal: 24, drop: 5 },
];

/**
 * Narrowest terminal the row layout fits (cells): {@link layoutColumns} lays out narrower
 * terminals as this wide, so only there can a row be wider than the screen.
 */
export const MIN_LAYOUT_WIDTH = 20;

/** Width of the selection marker in front of every row (cells). */
export const MARKER_WIDTH = 2;
/** Gap between columns (cells). */
export const GAP = 1;

/** One laid-out column. */
export interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  /** Width in terminal cells (≥ 1). */
  readonly width: number;
}

/** A row layout: columns in display order and the total width they take (cells). */
export interface ColumnLayout {
  readonly columns: readonly Column[];
  readonly total: number;
}

const used = (cols: readonly { width: number }[]): number =>
  MARKER_WIDTH + cols.reduce((n, c) => n + c.width, 0) + GAP * Math.max(0, cols.length - 1);

/**
 * Lay out the row for `width` terminal cells.
 * @param width Terminal columns; values below {@link MIN_LAYOUT_WIDTH} are treated as it
 *   (rows are then clipped to the screen by src/ui/Screen.tsx, never wrapped).
 * @returns Columns whose widths plus gaps plus the marker sum to at most `width`.
 */
export function layoutColumns(width: number): ColumnLayout {
  const w = Math.max(MIN_LAYOUT_WIDTH, Math.floor(Number.isFinite(width) ? width : 80));
  let active = SPECS.map((s) => ({ ...s, width: s.comfy }));
  while (used(active) > w) {
    const maxDrop = Math.max(...active.map((c) => c.drop));
    if (maxDrop === 0) break;
    const i = active.findIndex((c) => c.drop === maxDrop);
    active = active.filter((_, j) => j !== i);
  }
  // Still too wide: shrink towards the minimum widths, then cut the must-have columns.
  for (const c of active) {
    const over = used(active) - w;
    if (over > 0) c.width -= Math.min(over, c.width - c.min);
  }
  for (const key of ['blocker', 'id', 'worker'] as const) {
    const over = used(active) - w;
    const c = active.find((x) => x.key === key);
    if (over > 0 && c) c.width = Math.max(1, c.width - over);
  }
  // Grow columns towards their ideal, most important (lowest drop) first; the activity
  // column grows right after the must-have ones (it is what wide terminals are for).
  const growRank = (c: ColumnSpec): number => (c.key === 'activity' ? 0.5 : c.drop);
  const byImportance = [...active].sort((a, b) => growRank(a) - growRank(b));
  for (const c of byImportance) {
    const spare = w - used(active);
    if (spare <= 0) break;
    c.width += Math.min(spare, Math.max(0, c.ideal - c.width));
  }
  const flex = active.find((c) => c.key === 'activity') ?? active.find((c) => c.key === 'blocker');
  const rest = w - used(active);
  if (flex && rest > 0) flex.width += rest;
  const columns = active.map(({ key, title, width: cw }) => ({ key, title, width: cw }));
  return { columns, total: used(columns) };
}
