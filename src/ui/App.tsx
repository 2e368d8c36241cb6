/**
 * The root of the Ink board. Provides the store and controls (context) and the theme,
 * then renders {@link Screen}. The CLI renders it with `exitOnCtrlC: false` (the board
 * handles Ctrl-C itself and calls `onExit`).
 */
import { homedir } from 'node:os';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Controls } from '../runtime/types.js';
import type { BoardStore } from '../state/store.js';
import { BoardContext } from './board-context.js';
import { Screen } from './Screen.js';
import { createScreenClock, type ScreenClock } from './screen-clock.js';
import { ThemeContext, themeFromEnv } from './theme.js';
import type { Theme } from './theme.js';
import type { ExternalRunner } from './commands.js';
import type { ReadLogTail } from './useLogTail.js';

/** Props of {@link App}. */
export interface AppProps {
  /** The board store (one per board; tests build a fresh one). */
  readonly store: BoardStore;
  /** The runtime's operator handle. */
  readonly controls: Controls;
  /**
   * Shown at the left of the header (sanitized): a fixed string, or a {@link LiveTitle}
   * for a title that changes while the board runs (an attached board's runtime pid).
   */
  readonly title: string | LiveTitle;
  /** Called once when the operator quits (after confirming while workers run). */
  readonly onExit: () => void;
  /** Reads the tail of `<bridge>/worker.log` for the detail pane. @default none (not shown) */
  readonly readLogTail?: ReadLogTail;
  /** Colour theme. @default themeFromEnv(process.env) — monochrome when NO_COLOR is set */
  readonly theme?: Theme;
  /** Home directory abbreviated as "~" in repo headings. @default os.homedir() */
  readonly home?: string | null;
  /** Runs `d` (diff in $PAGER), `e` ($EDITOR), `t` ($SHELL) in the foreground. @default none */
  readonly external?: ExternalRunner;
  /** The clock of ages on screen (./screen-clock.ts; tests pass one to watch it). @default a new one, disposed on unmount */
  readonly screenClock?: ScreenClock;
}

/** A header title that changes: `get()` the current text, `subscribe` to be told when it does. */
export interface LiveTitle {
  readonly get: () => string;
  /** Call `onChange` after every change; returns the unsubscribe function. */
  readonly subscribe: (onChange: () => void) => () => void;
}

const NO_SUBSCRIPTION = (): (() => void) => () => undefined;

/** The board application. */
export function App({
  store,
  controls,
  title,
  onExit,
  readLogTail,
  theme,
  home,
  external,
  screenClock,
}: AppProps) {
  const clock = useMemo(
    () => screenClock ?? createScreenClock(store.getState().now),
    [store, screenClock],
  );
  useEffect(() => () => (screenClock ? undefined : clock.dispose()), [clock, screenClock]);
  const ctx = useMemo(() => ({ store, controls, clock }), [store, controls, clock]);
  const titleText = useSyncExternalStore(
    typeof title === 'string' ? NO_SUBSCRIPTION : title.subscribe,
    typeof title === 'string' ? () => title : title.get,
  );
  const resolvedTheme = useMemo(() => theme ?? themeFromEnv(process.env), [theme]);
  const resolvedHome = useMemo(() => (home === undefined ? safeHome() : home), [home]);
  return (
    <BoardContext.Provider value={ctx}>
      <ThemeContext.Provider value={resolvedTheme}>
        <Screen
          title={titleText}
          onExit={onExit}
          readLogTail={readLogTail}
          home={resolvedHome}
          external={external}
        />
      </ThemeContext.Provider>
    </BoardContext.Provider>
  );
}

function safeHome(): string | null {
  try {
    return homedir();
  } catch {
    return null;
  }
}
