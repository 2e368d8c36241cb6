/**
 * A window of pre-built display lines (detail pane, help overlay): renders `height` lines
 * from `offset`, each cut to one terminal line. Presentational.
 */
import { Box, Text } from 'ink';
import type { DetailLine } from './detail-lines.js';
import { useTheme } from './theme.js';

/** Props of {@link Lines}. */
export interface LinesProps {
  /** All lines (already sanitized). */
  readonly lines: readonly DetailLine[];
  /** First visible line (clamped to the content). */
  readonly offset: number;
  /** Visible lines (≥ 1). */
  readonly height: number;
  /** Width in cells. */
  readonly width: number;
}

/** Render a window of lines. */
export function Lines({ lines, offset, height, width }: LinesProps) {
  const theme = useTheme();
  const h = Math.max(1, height);
  const start = Math.min(Math.max(0, offset), Math.max(0, lines.length - h));
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(start, start + h).map((l, i) => (
        <Text
          key={start + i}
          wrap="truncate-end"
          color={theme.color(l.tone)}
          bold={l.heading === true}
        >
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}
