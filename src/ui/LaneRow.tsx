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
          <Box key={c.key} width={c.width} flexShrink={0} marginLeft={i === 0 ? 0 : GAP}>
            <Text wrap="truncate-end" bold={selected} color={theme.color(cell?.tone ?? 'muted')}>
              {cell === undefined ? '' : fitCell(cell, c.width)}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
});
