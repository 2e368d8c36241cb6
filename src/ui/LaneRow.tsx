/**
 * One lane row of the board. Memoized and subscribed to its own lane only, so one lane's
 * change re-renders one row (selectLaneView keeps its reference while the lane and the
 * clock are unchanged). Presentational: no input handling.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { selectLaneView } from '../state/selectors.js';
import { useBoardSelector } from './board-context.js';
import { fitCell, laneCells } from './cells.js';
import { GAP, MARKER_WIDTH } from './columns.js';
import type { ColumnLayout } from './columns.js';
import { useTheme } from './theme.js';

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
  const view = useBoardSelector((s) => (s.lanes[id] === undefined ? null : selectLaneView(s, id)));
  const now = useBoardSelector((s) => s.now);
  const cells = useMemo(() => (view === null ? null : laneCells(view, now)), [view, now]);
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
