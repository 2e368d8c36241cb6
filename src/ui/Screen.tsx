/**
 * The root screen: header, then the board / detail pane / help overlay, then the footer,
 * sized to the terminal so a frame is never taller than `rows - 1`. Owns the UI store,
 * the command runner and the one input router.
 */
import { Box } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { selectRepoGroups } from '../state/selectors.js';
import { Board } from './Board.js';
import { useBoard, useBoardSelectorEq } from './board-context.js';
import { boardLines } from './board-lines.js';
import { MIN_LAYOUT_WIDTH, layoutColumns } from './columns.js';
import { requestOf } from './approval-commands.js';
import { createCommandRunner } from './commands.js';
import type { ExternalRunner, RenderFacts } from './commands.js';
import { Peek } from './Peek.js';
import { orderGroups, sameGroups, SORT_LABELS } from './view-order.js';
import { DetailPane } from './DetailPane.js';
import { Footer, FOOTER_LINES } from './Footer.js';
import { Header } from './Header.js';
import { ConfigLine, useConfigLineCount } from './ConfigLine.js';
import { HelpOverlay, helpLineCount } from './HelpOverlay.js';
import { keyContextOf } from './ui-state.js';
import { createUiStore } from './ui-store.js';
import type { ReadLogTail } from './useLogTail.js';
import { useInputRouter } from './useInputRouter.js';
import { useTerminalSize } from './useTerminalSize.js';

/** Lines above the body. */
const HEADER_LINES = 1;
/** How long a status line stays (ms) unless it follows a steering message. */
const STATUS_TTL_MS = 8_000;

/** Props of {@link Screen}. */
export interface ScreenProps {
  readonly title: string;
  readonly onExit: () => void;
  readonly readLogTail?: ReadLogTail;
  /** Home directory abbreviated as "~" in repo headings, or null. */
  readonly home: string | null;
  /** Runs `d` / `e` / `t` in the foreground (see App). */
  readonly external?: ExternalRunner;
}

/** Lines of the live peek pane (at most; half the body on small terminals). */
const PEEK_LINES = 12;

/** Render the whole board UI. */
export function Screen({ title, onExit, readLogTail, home, external }: ScreenProps) {
  const { controls, store } = useBoard();
  const { columns, rows } = useTerminalSize();
  const [ui] = useState(createUiStore);
  const state = useStore(ui);
  const { sort } = state;
  const filterText = state.filter.text;
  const total = useBoardSelectorEq((s) => s.order.length, Object.is);
  const groups = useBoardSelectorEq(
    (s) =>
      sort === 'config' && filterText.trim() === ''
        ? selectRepoGroups(s)
        : orderGroups(s, selectRepoGroups(s), sort, filterText),
    sameGroups,
  );
  const { lines, ids } = useMemo(() => boardLines(groups), [groups]);
  const context = keyContextOf(state);
  const selectedId =
    state.selectedId !== null && ids.includes(state.selectedId)
      ? state.selectedId
      : (ids[0] ?? null);
  // Header + body + footer ≤ rows - 1 (a frame as tall as the terminal flickers, docs/pitfalls.md).
  const configLines = useConfigLineCount();
  const bodyHeight = Math.max(2, rows - 1 - HEADER_LINES - configLines - FOOTER_LINES);
  const layout = useMemo(() => layoutColumns(columns), [columns]);

  const detailMax = useRef(0);
  const facts = useRef<RenderFacts>({ ids, pageSize: bodyHeight, detailMax: 0, helpMax: 0 });
  useEffect(() => {
    facts.current = {
      ids,
      pageSize: bodyHeight,
      detailMax: detailMax.current,
      helpMax: Math.max(0, helpLineCount(columns) - (bodyHeight - 1)),
    };
  });
  const onScrollMax = useCallback((max: number) => {
    detailMax.current = max;
    facts.current = { ...facts.current, detailMax: max };
  }, []);
  const runner = useMemo(
    () =>
      createCommandRunner({
        ui,
        controls,
        onExit,
        facts: () => facts.current,
        isMuted: (id) => store.getState().lanes[id]?.muted === true,
        requestOf: (id) => requestOf(store.getState(), id),
        external,
      }),
    [ui, controls, onExit, store, external],
  );
  const handlers = useMemo(
    () => ({
      context: () => keyContextOf(ui.getState()),
      onCommand: runner.command,
      onText: runner.text,
    }),
    [ui, runner],
  );
  useInputRouter(handlers);

  const status = state.status;
  useEffect(() => {
    if (status === null || status.steer !== undefined) return;
    const t = setTimeout(() => {
      if (ui.getState().status === status) ui.dispatch({ type: 'status', status: null });
    }, STATUS_TTL_MS);
    return () => clearTimeout(t);
  }, [status, ui]);

  let running = 0;
  if (context === 'confirm') {
    try {
      running = controls.runningCount();
    } catch {
      running = 0;
    }
  }

  let body;
  if (state.overlay === 'help') {
    body = <HelpOverlay height={bodyHeight} width={columns} scroll={state.helpScroll} />;
  } else if (state.detail && selectedId !== null) {
    body = (
      <DetailPane
        laneId={selectedId}
        height={bodyHeight}
        width={columns}
        scroll={state.detailScroll}
        readLogTail={readLogTail}
        onScrollMax={onScrollMax}
      />
    );
  } else {
    const peekHeight =
      state.peek && selectedId !== null ? Math.min(PEEK_LINES, Math.floor(bodyHeight / 2)) : 0;
    body = (
      <>
        <Board
          lines={lines}
          selectedId={selectedId}
          height={bodyHeight - peekHeight}
          width={columns}
          layout={layout}
          home={home}
          empty={
            filterText.trim() === ''
              ? undefined
              : `No lane matches the filter "${filterText}" (Esc clears it).`
          }
        />
        {peekHeight >= 3 && selectedId !== null ? (
          <Peek laneId={selectedId} height={peekHeight} width={columns} readLogTail={readLogTail} />
        ) : null}
      </>
    );
  }
  return (
    <Box flexDirection="column" width={columns}>
      <Header
        title={title}
        index={selectedId === null ? -1 : ids.indexOf(selectedId)}
        total={ids.length}
        width={columns}
        shown={filterText.trim() === '' ? null : { lanes: ids.length, of: total }}
        order={sort === 'config' ? null : SORT_LABELS[sort]}
      />
      <ConfigLine width={columns} />
      {/* Clipped vertically always; horizontally only below the row layout's minimum
          width (./columns.ts), the one case a line can be wider than the screen. Ink
          re-slices every line of a horizontally clipped box (slice-ansi), which made
          about a tenth of the first frame's render time at 50 lanes (docs/performance.md). */}
      <Box
        flexDirection="column"
        height={bodyHeight}
        overflowY="hidden"
        overflowX={columns < MIN_LAYOUT_WIDTH ? 'hidden' : 'visible'}
      >
        {body}
      </Box>
      <Footer
        context={context}
        prompt={state.prompt}
        filter={state.filter}
        status={status}
        running={running}
        question={state.removal?.question ?? null}
        approval={state.approval ?? null}
        width={columns}
      />
    </Box>
  );
}
