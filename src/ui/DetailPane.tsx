/**
 * The detail pane of one lane: agent state with source, all blockers, git details,
 * tests, steering with delivery state, recent events, raw bridge data and the tail of
 * worker.log; scrollable. Presentational apart from loading the log tail via the
 * caller-supplied reader.
 */
import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import { sanitizeText } from '../state/sanitize.js';
import { useBoardSelector } from './board-context.js';
import { detailLines } from './detail-lines.js';
import { Lines } from './Lines.js';
import { useTheme } from './theme.js';
import { useLogTail } from './useLogTail.js';
import { useLiveLaneView } from './useLiveLaneView.js';
import type { ReadLogTail } from './useLogTail.js';

/** Props of {@link DetailPane}. */
export interface DetailPaneProps {
  readonly laneId: string;
  /** Lines available including the title (≥ 2). */
  readonly height: number;
  readonly width: number;
  /** Scroll offset (lines). */
  readonly scroll: number;
  readonly readLogTail?: ReadLogTail;
  /** Told the largest useful scroll offset (lines) after each change. */
  readonly onScrollMax: (count: number) => void;
}

/** Render the detail pane. */
export function DetailPane({
  laneId,
  height,
  width,
  scroll,
  readLogTail,
  onScrollMax,
}: DetailPaneProps) {
  const theme = useTheme();
  const { view, now } = useLiveLaneView(laneId, 'detail');
  const w = view?.worker;
  const refreshKey = `${w?.state}:${w?.pid}:${w?.restarts}:${view?.lastEvent?.at ?? ''}`;
  const log = useLogTail(laneId, readLogTail, refreshKey);
  const muted = useBoardSelector((s) => s.lanes[laneId]?.muted === true);
  const lines = useMemo(
    () => (view === null ? [] : detailLines(view, now, log, muted)),
    [view, now, log, muted],
  );
  const body = Math.max(1, height - 1);
  useEffect(() => onScrollMax(Math.max(0, lines.length - body)), [lines.length, body, onScrollMax]);
  if (view === null) {
    return <Text color={theme.color('warn')}>{`Lane ${sanitizeText(laneId)} is gone.`}</Text>;
  }
  const first = Math.min(scroll, Math.max(0, lines.length - body));
  const last = Math.min(lines.length, first + body);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" color={theme.color('muted')}>
        {`Detail — Esc closes · ↑↓ PgUp PgDn scroll · lines ${first + 1}-${last} of ${lines.length}`}
      </Text>
      <Lines lines={lines} offset={first} height={body} width={width} />
    </Box>
  );
}
