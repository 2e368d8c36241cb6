/**
 * The board with its own runtime (no runtime was running for the config): composes a
 * supervising runtime (src/runtime/create-runtime.ts), loads Ink meanwhile, and runs the
 * board on it; quitting stops every worker and its descendants.
 */
import type { BoardConfig } from '../state/config-types.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { withAttention } from './board-attention.js';
import { displayPath, runBoard } from './board.js';
import { importInk } from './ink-loader.js';
import { createLaneAdmin } from './lane-admin.js';
import { liveRuntimeConfig } from './live-config.js';

/** Options of the board mode. */
export interface BoardOptions {
  /** Start lanes marked `autostart` (default true; `--no-autostart` turns it off). */
  readonly autostart: boolean;
  /** A discovered board's header line (src/cli/discover.ts), or null for a lanes.yaml board. */
  readonly banner?: string | null;
}

/** Run the interactive board with its own runtime until the operator quits; resolves with the exit code. */
export async function runOwnBoard(config: BoardConfig, opts: BoardOptions): Promise<number> {
  // Startup time is a feature: load Ink while worktrees are prepared, draw the board as
  // soon as it is loaded, and let git, bridge and supervisor results arrive in the store.
  const ink = importInk();
  const runtime = await createRuntime(config, { mode: 'supervise', autostart: opts.autostart });
  if (opts.banner) {
    runtime.dispatch({ type: 'config/status', banner: opts.banner, error: null, at: Date.now() });
  }
  void runtime.start();
  // Notifications and on: commands (issue #14), baselined once the first reads are in.
  const attention = withAttention(runtime);
  // Live lanes.yaml and the n / D keys (not for a discovered board: there is no file yet).
  const live = opts.banner ? null : liveRuntimeConfig(runtime);
  const controls = opts.banner
    ? attention.controls
    : { ...attention.controls, lanes: createLaneAdmin(runtime.config.file) };
  return runBoard(
    {
      store: runtime.store,
      controls,
      readLogTail: (id) => runtime.readLogTail(id),
      ready: () => runtime.observed(),
      flush: () => runtime.flush(),
      closing: 'stopping workers…',
      close: async () => {
        await live?.dispose();
        await attention.dispose();
        await runtime.dispose();
      },
    },
    ink,
    opts.banner ? 'laneboard — discovered' : `laneboard — ${displayPath(runtime.config.file)}`,
  );
}
