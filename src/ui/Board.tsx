/**
 * The lane board: a title row of column names, then a window of repo headings and lane
 * rows that fits `height` lines and keeps the selected lane visible. Presentational.
 */
import { Box, Text } from 'ink';
import { useMemo, useRef } from 'react';
import { scrollOffset } from './board-lines.js';
import type { BoardLine } from './board-lines.js';
import { GAP, MARKER_WIDTH } from './columns.js';
import type { ColumnLayout } from './columns.js';
import { GroupHeading } from './GroupHeading.js';
import { LaneRow } from './LaneRow.js';
import { useTheme } from './theme.js';

/** Props of {@link Board}. */
export interface BoardProps {
  readonly lines: readonly BoardLine[];
  readonly selectedId: string | null;
  /** Lines available including the title row (≥ 2 to show any lane). */
  readonly height: number;
  readonly width: number;
  readonly layout: ColumnLayout;
  /** Home directory to abbreviate in headings, or null. */
  readonly home: string | null;
  /** What to say when there is no line (default: no lane is configured). */
  readonly empty?: string;
}

/** Render the board window. */
export function Board({ lines, selectedId, height, width, layout, home, empty }: BoardProps) {
  const theme = useTheme();
  const prevOffset = useRef(0);
  const windowHeight = Math.max(1, height - 1);
  const selected = useMemo(
    () => lines.findIndex((l) => l.kind === 'lane' && l.id === selectedId),
    [lines, selectedId],
  );
  const offset = scrollOffset(
    lines.length,
    selected,
    windowHeight,
    prevOffset.current,
    selected > 0 && lines[selected - 1]?.kind === 'group',
  );
  prevOffset.current = offset;
  if (lines.length === 0) {
    return (
      <Text color={theme.color('muted')} wrap="truncate-end">
        {empty ?? 'No lanes configured.'}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" width={width}>
      <Box width={layout.total} height={1}>
        <Box width={MARKER_WIDTH} flexShrink={0} />
        {layout.columns.map((c, i) => (
          <Box key={c.key} width={c.width} flexShrink={0} marginLeft={i === 0 ? 0 : GAP}>
            <Text wrap="truncate-end" color={theme.color('muted')}>
              {c.title}
            </Text>
          </Box>
        ))}
      </Box>
      {lines
        .slice(offset, offset + windowHeight)
        .map((l) =>
          l.kind === 'group' ? (
            <GroupHeading
              key={l.key}
              repo={l.repo}
              host={l.host}
              hostOnline={l.hostOnline}
              home={home}
              width={width}
            />
          ) : (
            <LaneRow key={l.key} id={l.id} selected={l.id === selectedId} layout={layout} />
          ),
        )}
    </Box>
  );
}
