/**
 * `laneboard` (the TUI): wires config, store, runtime and the Ink view, and owns the one
 * shutdown path (q, SIGINT, SIGTERM, SIGHUP): unmount Ink, stop every worker and its
 * descendants (SIGKILL after the grace period), close watchers, exit. Ink is imported
 * lazily so `--json` never pays for it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BoardConfig } from '../state/config-types.js';
import { ensureWorktree } from '../runtime/git/index.js';
import { createSupervisor } from '../runtime/supervisor/index.js';
import { createHookErrorWatcher } from '../runtime/hook-errors.js';
import { systemClock } from '../runtime/types.js';
import type { Controls } from '../runtime/types.js';
import { createObservers } from './observe.js';
import { withRealpaths } from './prepare.js';
import { importInk } from './ink-loader.js';
import { createLaneAdmin } from './lane-admin.js';
import { watchLanesFile } from './live-config.js';

/** Options of the board mode. */
export interface BoardOptions {
  /** Start lanes marked `autostart` (default true; `--no-autostart` turns it off). */
  readonly autostart: boolean;
  /** A discovered board's header line (src/cli/discover.ts), or null for a lanes.yaml board. */
  readonly banner?: string | null;
}

/** `file` relative to the working directory when that is shorter (header space is scarce). */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && rel.length < file.length ? rel : file;
}

/** Conventional exit codes after a signal: 128 + signal number. */
const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Longest wait (ms), once Ink is loaded, for the first git and bridge reads before drawing. */
const FIRST_FRAME_WAIT_MS = 150;

/** A promise resolved after `ms` (unref'd: never keeps the process alive). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Bytes of worker.log shown in the detail pane. */
const LOG_TAIL_BYTES = 8 * 1024;

async function readLogTail(bridge: string): Promise<string> {
  const file = join(bridge, 'worker.log');
  try {
    const size = (await stat(file)).size;
    const buf = await readFile(file);
    return buf.subarray(Math.max(0, size - LOG_TAIL_BYTES)).toString('utf8');
  } catch {
    return '';
  }
}

async function createWorktrees(config: BoardConfig): Promise<string[]> {
  const notes: string[] = [];
  for (const lane of config.lanes) {
    if (!lane.createWorktree) continue;
    const r = await ensureWorktree(lane, {
      timeoutMs: Math.max(config.settings.gitTimeoutMs, 30_000),
    });
    if (!r.ok)
      notes.push(`lane ${lane.id}: could not create worktree ${lane.worktree}: ${r.error}`);
  }
  return notes;
}

/** `config` with no lane autostarting (`--no-autostart`). */
function withoutAutostart(config: BoardConfig): BoardConfig {
  return { ...config, lanes: config.lanes.map((l) => ({ ...l, autostart: false })) };
}

/** Run the interactive board until the operator quits. Resolves with the exit code. */
export async function runBoard(loaded: BoardConfig, opts: BoardOptions): Promise<number> {
  // Startup time is a feature: load Ink while worktrees are prepared, draw the board as
  // soon as it is loaded, and let git, bridge and supervisor results arrive in the store.
  const inkLoading = importInk();
  const worktreeNotes = await createWorktrees(loaded);
  const config = await withRealpaths(loaded);
  const clock = systemClock;
  const observers = createObservers(config, clock);
  const { store, dispatch } = observers;
  for (const message of worktreeNotes) dispatch({ type: 'board/notice', message, at: clock.now() });
  if (opts.banner) {
    dispatch({ type: 'config/status', banner: opts.banner, error: null, at: clock.now() });
  }
  const runConfig: BoardConfig = opts.autostart ? config : withoutAutostart(config);
  const supervisor = createSupervisor({ config: runConfig, dispatch, clock });
  const hookErrors = createHookErrorWatcher({ stateDir: config.stateDir, dispatch, clock });
  const ticker = setInterval(() => dispatch({ type: 'clock/tick', at: clock.now() }), 1_000);

  const laneBridge = new Map(config.lanes.map((l) => [l.id, l.bridge]));
  // Live lanes.yaml (not for a discovered board: there is no file yet).
  const live = opts.banner
    ? null
    : watchLanesFile({
        file: config.file,
        initial: loaded,
        dispatch,
        clock,
        apply: async (next) => {
          for (const message of await createWorktrees(next))
            dispatch({ type: 'board/notice', message, at: clock.now() });
          const real = await withRealpaths(next);
          await observers.reconfigure(real);
          await supervisor.reconfigure(opts.autostart ? real : withoutAutostart(real));
          laneBridge.clear();
          for (const l of real.lanes) laneBridge.set(l.id, l.bridge);
        },
      });
  const controls: Controls = {
    start: (id) => supervisor.start(id),
    stop: (id) => supervisor.stop(id),
    restart: (id) => supervisor.restart(id),
    steer: (id, text) => supervisor.steer(id, text),
    clearBlockers: (id) => dispatch({ type: 'lane/clearBlockers', laneId: id, at: clock.now() }),
    runningCount: () => supervisor.runningCount(),
    ...(opts.banner ? {} : { lanes: createLaneAdmin(config.file) }),
  };

  const observersStarted = observers.start();
  const runtimeStarted = Promise.all([
    observersStarted,
    hookErrors.start(),
    supervisor.start(),
    live?.start(),
  ]).catch((err: unknown) => {
    const message = `runtime start failed: ${err instanceof Error ? err.message : String(err)}`;
    dispatch({ type: 'board/notice', message, at: clock.now() });
  });

  const { render, React, App } = await inkLoading;
  // Git and the bridge were started before Ink was imported and usually finish while it
  // loads; give them a short, bounded moment more so the first frame is a complete board
  // (every lane's freshness and agent state) rather than a frame of placeholders followed
  // by a full redraw. Past the bound the board draws what it has.
  await Promise.race([observersStarted.catch(() => undefined), delay(FIRST_FRAME_WAIT_MS)]);
  observers.batch.flush();
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
    clearInterval(ticker);
    try {
      instance.unmount();
    } catch {
      // the terminal is gone; the workers must still be stopped
    }
    process.stderr.write('laneboard: stopping workers…\n');
    await runtimeStarted;
    await live?.dispose();
    await supervisor.dispose();
    await Promise.allSettled([observers.dispose(), hookErrors.dispose()]);
    resolveExit(code);
  };

  const instance = render(
    React.createElement(App, {
      store,
      controls,
      title: opts.banner ? 'laneboard — discovered' : `laneboard — ${displayPath(config.file)}`,
      onExit: () => void shutdown(0),
      readLogTail: (laneId: string) => readLogTail(laneBridge.get(laneId) ?? ''),
    }),
    // Store updates are already paced by a CPU budget (src/runtime/batch.ts), which lets
    // an isolated update through at once; Ink's own 30 fps throttle on top of it would
    // hold such an update back until its window ends, so Ink's limit is set higher.
    { exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
  );
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => void shutdown(EXIT_CODES[sig]));
  }
  return exited;
}
