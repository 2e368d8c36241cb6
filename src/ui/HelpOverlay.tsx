/** The help overlay: key bindings generated from the keymap, scrollable. Presentational. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { helpLines } from './help-lines.js';
import { Lines } from './Lines.js';
import { useTheme } from './theme.js';

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  /** Lines available including the title (≥ 2). */
  readonly height: number;
  readonly width: number;
  /** Scroll offset (lines). */
  readonly scroll: number;
}

/** Number of help lines at `width` terminal cells (for the scroll limit). */
export function helpLineCount(width: number): number {
  return helpLines(width).length;
}

/** Render the help overlay. */
export function HelpOverlay({ height, width, scroll }: HelpOverlayProps) {
  const theme = useTheme();
  const lines = useMemo(() => helpLines(width), [width]);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.color('accent')} wrap="truncate-end">
        Help — keys (Esc or ? closes)
      </Text>
      <Lines lines={lines} offset={scroll} height={Math.max(1, height - 1)} width={width} />
    </Box>
  );
}
