/**
 * One lane row of the board. Memoized and subscribed to its own cells' text only, so a
 * row re-renders only when what it shows changes. Presentational: no input handling.
 * Drawn as one pre-coloured `Text` per non-empty cell, without a `Box` per cell
 * (./row-text.ts): fewer Ink nodes to lay out, while a cell that many rows share stays
 * one string Ink's output measures once (docs/performance.md, "Attached board").
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { laneCells } from './cells.js';
import { fitCell } from './cells.js';
import type { ColumnLayout } from './columns.js';
import { rowSegments } from './row-text.js';
import { useTheme } from './theme.js';
import { useLaneRowKey } from './useLaneRowKey.js';

type LaneCells = ReturnType<typeof laneCells>;

/** Props of {@link LaneRow}. */
export interface LaneRowProps {
  readonly id: string;
  readonly selected: boolean;
  /** Column layout for the current width (stable per width). */
  readonly layout: ColumnLayout;
}

/**
 * One segment of a row (./row-text.ts), memoized on its text: when one lane's phase
 * changes, only that segment's `Text` is rendered again, not the row's (each render makes
 * new elements, style objects and Ink node updates; in a 50-lane storm that garbage lived
 * just long enough to reach V8's old generation and set the board's heap size;
 * docs/performance.md, "Soak").
 */
const Segment = memo(function Segment({ text }: { readonly text: string }) {
  return <Text wrap="truncate-end">{text}</Text>;
});

/** A lane row: marker, then one cell per laid-out column, each cut to its width. */
export const LaneRow = memo(function LaneRow({ id, selected, layout }: LaneRowProps) {
  const theme = useTheme();
  // Subscribed to the row's rendered text (./useLaneRowKey.ts): a heartbeat or a clock tick that changes
  // nothing visible causes no React commit (and no Ink frame).
  const key = useLaneRowKey(id);
  const segments = useMemo(() => {
    const cells = key === '' ? null : (JSON.parse(key) as LaneCells);
    return rowSegments(
      layout,
      (c) => {
        const cell = cells?.[c.key];
        return cell === undefined ? undefined : { text: fitCell(cell, c.width), tone: cell.tone };
      },
      { marker: { text: selected ? '›' : ' ', bold: true }, bold: selected, theme },
    );
  }, [key, layout, selected, theme]);
  // The box keeps the row exactly as wide as its layout (wider than a terminal narrower
  // than the layout's minimum: the screen clips it, src/ui/Screen.tsx).
  return (
    <Box width={layout.total} height={1}>
      {segments.map((s) => (
        <Segment key={s.key} text={s.text} />
      ))}
    </Box>
  );
});
