/**
 * The header line: title, lane counts (lanes, red, blocked, stale, crashed) and the
 * selected lane's position. Counts are non-zero-coloured and always spelled out.
 */
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { selectCounts } from '../state/selectors.js';
import { sanitizeText } from '../state/sanitize.js';
import { useBoardSelector } from './board-context.js';
import { useTheme } from './theme.js';
import type { Tone } from './theme.js';

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly title: string;
  /** 0-based index of the selected lane in display order, or -1. */
  readonly index: number;
  readonly total: number;
  readonly width: number;
}

/** Render the header line. */
export function Header({ title, index, total, width }: HeaderProps) {
  const theme = useTheme();
  const c = useBoardSelector(useShallow(selectCounts));
  const parts: readonly [string, Tone][] = [
    [`${c.lanes} lanes`, 'plain'],
    [`${c.red} red`, c.red > 0 ? 'bad' : 'muted'],
    [`${c.blocked} blocked`, c.blocked > 0 ? 'warn' : 'muted'],
    [`${c.stale} stale`, c.stale > 0 ? 'warn' : 'muted'],
    [`${c.crashed} crashed`, c.crashed > 0 ? 'bad' : 'muted'],
  ];
  const pos = index >= 0 ? `  lane ${index + 1}/${total}` : '';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('accent')}>
          {sanitizeText(title, 60)}
        </Text>
        {parts.map(([text, tone]) => (
          <Text key={text.replace(/^\d+ /, '')} color={theme.color(tone)}>
            {`  ${text}`}
          </Text>
        ))}
        <Text color={theme.color('info')}>{pos}</Text>
      </Text>
    </Box>
  );
}
