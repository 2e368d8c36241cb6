/**
 * `laneboard` (the TUI): draws the board for a {@link BoardFeed} — a runtime in this
 * process (src/runtime/create-runtime.ts) or one attached over the control endpoint — and
 * owns the one shutdown path (q, SIGINT, SIGTERM, SIGHUP): unmount Ink, then close the
 * feed (an own runtime stops every worker and its descendants; an attached board leaves
 * them running), exit. Ink is imported lazily so `--json` never pays for it.
 */
import { relative } from 'node:path';
import type { Runtime } from '../runtime/create-runtime.js';
import type { Controls } from '../runtime/types.js';
import type { BoardStore } from '../state/store.js';
import { createExternalRunner } from './external.js';
import { foregroundActive } from './foreground.js';
import { boundHeapGrowth } from './heap.js';
import type { InkModules } from './ink-loader.js';
import type { LiveTitle } from '../ui/App.js';
import { onTerminalLost, releaseTerminal, terminalGone } from './terminal-gone.js';

/** What the board draws from and acts on. */
export interface BoardFeed {
  readonly store: BoardStore;
  readonly controls: Controls;
  /** Tail of a lane's worker log for the detail pane. */
  readLogTail(laneId: string): Promise<string>;
  /** Resolves once the first git and bridge reads are in the store (the board waits ≤ 150 ms). */
  ready(): Promise<void>;
  /** Apply queued store updates now (before the first frame). */
  flush(): void;
  /** Line written to stderr when the board quits (e.g. "stopping workers…"). */
  readonly closing: string;
  /** Release the feed on quit (stop an own runtime, or detach); resolves when done. */
  close(): Promise<void>;
}

/**
 * The {@link BoardFeed} of a runtime in this process: its store, log tails, first reads and
 * flush, with the `controls`, quit line and `close` the caller composes around it (an own
 * board's attention and lane admin, the fleet board's fleet membership).
 */
export function runtimeFeed(
  runtime: Pick<Runtime, 'store' | 'readLogTail' | 'observed' | 'flush'>,
  rest: Pick<BoardFeed, 'controls' | 'closing' | 'close'>,
): BoardFeed {
  return {
    store: runtime.store,
    readLogTail: (id) => runtime.readLogTail(id),
    ready: () => runtime.observed(),
    flush: () => runtime.flush(),
    ...rest,
  };
}

/** `file` relative to the working directory when that is shorter (header space is scarce). */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && rel.length < file.length ? rel : file;
}

/** A {@link LiveTitle} and its setter (the header of an attached or a discovered board changes). */
export function liveTitle(initial: string): { readonly title: LiveTitle; set(text: string): void } {
  let text = initial;
  const listeners = new Set<() => void>();
  return {
    title: {
      get: () => text,
      subscribe(onChange) {
        listeners.add(onChange);
        return () => void listeners.delete(onChange);
      },
    },
    set(next) {
      if (next === text) return;
      text = next;
      for (const l of listeners) l();
    },
  };
}

/** Conventional exit codes after a signal: 128 + signal number. */
const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Longest wait (ms), once Ink is loaded, for the first git and bridge reads before drawing. */
const FIRST_FRAME_WAIT_MS = 150;

/** A promise resolved after `ms` (unref'd: never keeps the process alive). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Run the interactive board on `feed` until the operator quits. `ink` is the pending
 * import of Ink (started early by the caller so it loads while the feed starts).
 * `title`: the header's left text, fixed or live (an attached board names the runtime's
 * pid, which changes when it attaches to a new runtime).
 * Resolves with the exit code (0 on quit, 128 + signal number on a signal).
 */
export async function runBoard(
  feed: BoardFeed,
  ink: Promise<InkModules>,
  title: string | LiveTitle,
): Promise<number> {
  const { render, React, App } = await ink;
  // Git and the bridge were started before Ink was imported and usually finish while it
  // loads; give them a short, bounded moment more so the first frame is a complete board
  // (every lane's freshness and agent state) rather than a frame of placeholders followed
  // by a full redraw. Past the bound the board draws what it has.
  await Promise.race([feed.ready().catch(() => undefined), delay(FIRST_FRAME_WAIT_MS)]);
  feed.flush();
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  let shuttingDown = false;

  // When the terminal goes away (SIGHUP: window closed, tmux killed) every write to it
  // fails with EIO; an unhandled stream 'error' would crash the board before it stops the
  // workers and leave them orphaned. Ignore terminal write errors; shutdown still runs.
  const ignoreTerminalError = (): void => undefined;
  for (const stream of [process.stdout, process.stderr, process.stdin]) {
    stream.on('error', ignoreTerminalError);
  }

  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    try {
      instance.unmount();
    } catch {
      // the terminal is gone; the workers must still be stopped
    }
    process.stderr.write(`laneboard: ${feed.closing}\n`);
    await feed.close();
    // A hung-up terminal would make Node abort at exit (./terminal-gone.ts): release it.
    if (code === EXIT_CODES.SIGHUP || terminalGone()) releaseTerminal();
    resolveExit(code);
  };

  const instance = render(
    React.createElement(App, {
      store: feed.store,
      controls: feed.controls,
      title,
      onExit: () => void shutdown(0),
      readLogTail: (laneId: string) => feed.readLogTail(laneId),
      // d / e / t: pager, editor, shell in the lane's worktree (src/cli/external.ts).
      external: createExternalRunner({
        laneOf: (id) => feed.store.getState().lanes[id]?.config,
        term: { stdin: process.stdin, stdout: process.stdout, clearFrame: () => instance.clear() },
      }),
    }),
    // Store updates are already paced per frame (src/runtime/batch.ts), which lets an
    // isolated update through at once; Ink's own 30 fps throttle on top of it would hold
    // such an update back until its window ends, so Ink's limit is set higher.
    // Incremental rendering rewrites only the lines that changed (one lane's update: one
    // row, ~0.4 KB instead of ~12 KB at 200×60), with the bundle's working frame writer
    // (src/ui/ink-patch/log-update.ts); Ink 6.8's own one misplaces lines, so without the
    // patch (an unbundled run, another Ink) whole frames are drawn.
    {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      incrementalRendering: process.env.LANEBOARD_INK_PATCHED === '1',
    },
  );
  // After the first frame: start-up keeps V8's own sizing (a fixed factor while the heap
  // is still being built would collect it more often on the way to the first frame).
  boundHeapGrowth();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      // Ctrl-C in a foreground pager or shell (d / t) is that program's, not the board's.
      if (sig === 'SIGINT' && foregroundActive()) return;
      void shutdown(EXIT_CODES[sig]);
    });
  }
  // The terminal went away but no SIGHUP came (a wrapper shell ignored it): stdin ends or
  // fails with EIO. Leave as after a hangup (./terminal-gone.ts).
  onTerminalLost(process.stdin, () => void shutdown(EXIT_CODES.SIGHUP));
  return exited;
}
