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
import { fitHeader } from './header-fit.js';
import type { HeaderCount } from './header-fit.js';

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

/** Render the header line (parts that do not fit are left out: ./header-fit.ts). */
export function Header({ title, index, total, width, shown, order }: HeaderProps) {
  const theme = useTheme();
  const c = useBoardSelector(useShallow(selectCounts));
  const attention = useBoardSelector(useShallow(selectAttentionCounts));
  const count = (n: number, text: string, tone: Tone): HeaderCount => ({
    text: `${n} ${text}`,
    tone: n > 0 ? tone : 'muted',
    zero: n === 0,
  });
  const lanes = shown ? `${shown.lanes} of ${shown.of} lanes` : `${c.lanes} lanes`;
  const fit = fitHeader(
    {
      title: sanitizeText(title, 60),
      counts: [
        { text: lanes, tone: shown ? 'info' : 'plain', zero: false },
        {
          ...count(attention.needYou, 'need you', 'warn'),
          zero: attention.needYou === 0 && attention.finished === 0,
          aside: attention.finished > 0 ? ` · ${attention.finished} finished` : undefined,
        },
        count(c.red, 'red', 'bad'),
        count(c.blocked, 'blocked', 'warn'),
        count(c.stale, 'stale', 'warn'),
        count(c.crashed, 'crashed', 'bad'),
      ],
      position: index >= 0 ? `lane ${index + 1}/${total}` : '',
      order: order ? `by ${order}` : '',
    },
    width,
  );
  const tail = [fit.position, fit.order].filter((t) => t !== '').map((t) => `  ${t}`);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('accent')}>
          {fit.title}
        </Text>
        {fit.counts.map((p) => (
          <Text key={p.text.replace(/\d+/g, '')} color={theme.color(p.tone)}>
            {`  ${p.text}${p.aside ?? ''}`}
          </Text>
        ))}
        <Text color={theme.color('info')}>{tail.join('')}</Text>
      </Text>
    </Box>
  );
}
