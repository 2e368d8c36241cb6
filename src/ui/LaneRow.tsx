/**
 * One lane row of the board. Memoized and subscribed to its own cells' text only, so a
 * row re-renders only when what it shows changes. Presentational: no input handling.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { laneCells } from './cells.js';
import { fitCell } from './cells.js';
import { GAP, MARKER_WIDTH } from './columns.js';
import type { ColumnLayout } from './columns.js';
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

/** Props of {@link Cell}: what one cell draws. */
interface CellProps {
  readonly text: string;
  readonly color: string | undefined;
  readonly bold: boolean;
  readonly width: number;
  readonly marginLeft: number;
}

/**
 * One cell of a row, memoized on what it draws: when one lane's phase changes, only that
 * cell's Box and Text are rendered again, not the row's ~18 elements (each render makes
 * new elements, style objects and Ink node updates; in a 50-lane storm that garbage lived
 * just long enough to reach V8's old generation and set the board's heap size;
 * docs/performance.md, "Soak").
 */
const Cell = memo(function Cell({ text, color, bold, width, marginLeft }: CellProps) {
  return (
    <Box width={width} flexShrink={0} marginLeft={marginLeft}>
      <Text wrap="truncate-end" bold={bold} color={color}>
        {text}
      </Text>
    </Box>
  );
});

/** A lane row: marker, then one cell per laid-out column, each cut to its width. */
export const LaneRow = memo(function LaneRow({ id, selected, layout }: LaneRowProps) {
  const theme = useTheme();
  // Subscribed to the row's rendered text (./useLaneRowKey.ts): a heartbeat or a clock tick that changes
  // nothing visible causes no React commit (and no Ink frame).
  const key = useLaneRowKey(id);
  const cells = useMemo(() => (key === '' ? null : (JSON.parse(key) as LaneCells)), [key]);
  return (
    <Box width={layout.total} height={1}>
      <Box width={MARKER_WIDTH} flexShrink={0}>
        <Text bold>{selected ? '›' : ' '}</Text>
      </Box>
      {layout.columns.map((c, i) => {
        const cell = cells?.[c.key];
        return (
          <Cell
            key={c.key}
            text={cell === undefined ? '' : fitCell(cell, c.width)}
            color={theme.color(cell?.tone ?? 'muted')}
            bold={selected}
            width={c.width}
            marginLeft={i === 0 ? 0 : GAP}
          />
        );
      })}
    </Box>
  );
});
