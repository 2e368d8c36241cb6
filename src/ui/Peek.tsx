/**
 * The live peek (`p`): the selected lane's last events and the tail of its worker log in
 * a pane below the board, following as they arrive (events from the store; the log is
 * re-read every {@link PEEK_LOG_POLL_MS} and on every new event), without leaving the
 * board. Everything shown is untrusted and sanitized.
 */
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { formatRowAge } from '../state/format.js';
import { sanitizeText } from '../state/sanitize.js';
import { Lines } from './Lines.js';
import type { DetailLine } from './detail-lines.js';
import { useTheme } from './theme.js';
import { useLogTail, type ReadLogTail } from './useLogTail.js';
import { useLiveLaneView } from './useLiveLaneView.js';

/** How often the peek re-reads the worker log (ms). */
const PEEK_LOG_POLL_MS = 1_000;

/** Props of {@link Peek}. */
export interface PeekProps {
  readonly laneId: string;
  /** Lines available including the title (≥ 3). */
  readonly height: number;
  readonly width: number;
  readonly readLogTail?: ReadLogTail;
}

/** The peek lines: up to `events` last events, then the log tail (newest last). */
function peekLines(
  events: readonly { name: string; detail: string | null; ageMs: number | null }[],
  log: ReturnType<typeof useLogTail>,
  height: number,
): DetailLine[] {
  const ev: DetailLine[] = events.map((e) => ({
    text: sanitizeText(
      `${formatRowAge(e.ageMs)} ${e.name}${e.detail ? ` — ${e.detail}` : ''}`,
      400,
    ),
    tone: 'plain',
  }));
  const logLines =
    log.state === 'ok'
      ? log.text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l): DetailLine => ({ text: sanitizeText(l, 400), tone: 'muted' }))
      : [
          {
            text: log.state === 'error' ? `log: ${sanitizeText(log.message, 200)}` : 'log: —',
            tone: 'muted' as const,
          },
        ];
  // Events take at most half; the log the rest (its newest lines).
  const evCount = Math.min(ev.length, Math.max(1, Math.floor(height / 2)));
  const logCount = Math.max(0, height - evCount);
  return [...ev.slice(-evCount), ...logLines.slice(-logCount)];
}

/** Render the peek pane. */
export function Peek({ laneId, height, width, readLogTail }: PeekProps) {
  const theme = useTheme();
  const { view } = useLiveLaneView(laneId, 'peek');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), PEEK_LOG_POLL_MS);
    return () => clearInterval(t);
  }, []);
  const log = useLogTail(
    laneId,
    readLogTail,
    `${tick}:${view?.recentEvents.length ?? 0}:${view?.lastEvent?.at ?? ''}`,
  );
  const body = Math.max(1, height - 1);
  const lines = useMemo(
    () => (view === null ? [] : peekLines(view.recentEvents, log, body)),
    [view, log, body],
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" color={theme.color('accent')}>
        {`peek ${sanitizeText(laneId, 64)} — last events and worker.log, live · p closes`}
      </Text>
      <Lines lines={lines} offset={Math.max(0, lines.length - body)} height={body} width={width} />
    </Box>
  );
}
