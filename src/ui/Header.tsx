/**
 * The header line: title, lane counts (lanes, need you, red, blocked, stale, crashed) and
 * the selected lane's position. Counts are non-zero-coloured and always spelled out, but
 * for "finished" (lanes whose agent only finished its turn: `2 need you · 1 finished`),
 * shown beside "need you" only while there are any (src/state/attention.ts).
 */
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { selectAttentionCounts } from '../state/attention.js';
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
  /** While a filter is on: lanes shown and lanes in all ("3 of 12 lanes"). */
  readonly shown?: { readonly lanes: number; readonly of: number } | null;
  /** The board order when it is not lanes.yaml order, in words. */
  readonly order?: string | null;
}

/** Render the header line. */
export function Header({ title, index, total, width, shown, order }: HeaderProps) {
  const theme = useTheme();
  const c = useBoardSelector(useShallow(selectCounts));
  const attention = useBoardSelector(useShallow(selectAttentionCounts));
  const finished = attention.finished > 0 ? ` · ${attention.finished} finished` : '';
  const parts: readonly [string, Tone][] = [
    [shown ? `${shown.lanes} of ${shown.of} lanes` : `${c.lanes} lanes`, shown ? 'info' : 'plain'],
    [`${attention.needYou} need you${finished}`, attention.needYou > 0 ? 'warn' : 'muted'],
    [`${c.red} red`, c.red > 0 ? 'bad' : 'muted'],
    [`${c.blocked} blocked`, c.blocked > 0 ? 'warn' : 'muted'],
    [`${c.stale} stale`, c.stale > 0 ? 'warn' : 'muted'],
    [`${c.crashed} crashed`, c.crashed > 0 ? 'bad' : 'muted'],
  ];
  const pos = `${index >= 0 ? `  lane ${index + 1}/${total}` : ''}${order ? `  by ${order}` : ''}`;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('accent')}>
          {sanitizeText(title, 60)}
        </Text>
        {parts.map(([text, tone]) => (
          <Text key={text.replace(/\d+/g, '')} color={theme.color(tone)}>
            {`  ${text}`}
          </Text>
        ))}
        <Text color={theme.color('info')}>{pos}</Text>
      </Text>
    </Box>
  );
}
