/**
 * The board with its own runtime (no runtime was running for the config): composes a
 * supervising runtime (src/runtime/create-runtime.ts), loads Ink meanwhile, and runs the
 * board on it, serving the control endpoint while it runs; quitting stops every worker and
 * its descendants. When another runtime claims the lanes first, the board attaches to it.
 */
import type { BoardConfig } from '../state/config-types.js';
import type { LaneAdmin } from '../runtime/types.js';
import { RuntimeRunningError } from '../runtime/control/endpoint.js';
import { hostRuntime } from '../runtime/control/host.js';
import { withAttention } from './board-attention.js';
import { displayPath, liveTitle, runBoard, runtimeFeed } from './board.js';
import { importInk } from './ink-loader.js';
import { createLaneAdmin } from './lane-admin.js';
import { liveRuntimeConfig } from './live-config.js';
import { connectPath } from '../runtime/control/protocol.js';

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
  // n / D, here and on boards attached to this one (over the endpoint). A discovered board
  // has no file yet: it watches for the one `laneboard init` writes (<cwd>/lanes.yaml).
  let discovered = Boolean(opts.banner);
  const admin = createLaneAdmin(config.file);
  const lanes = (): LaneAdmin | undefined => (discovered ? undefined : admin);
  let hosted;
  try {
    hosted = await hostRuntime(config, 'board', { autostart: opts.autostart }, lanes);
  } catch (err) {
    if (!(err instanceof RuntimeRunningError)) throw err;
    // Another runtime claimed the lanes meanwhile: attach to it instead.
    const { runAttachedBoard } = await import('./board-attach.js');
    return runAttachedBoard(connectPath(config.stateDir, config.file), err.health);
  }
  const runtime = hosted.runtime;
  if (opts.banner) {
    runtime.dispatch({
      type: 'config/status',
      banner: opts.banner,
      error: null,
      at: runtime.clock.now(),
    });
  }
  // Notifications and on: commands (issue #14), baselined once the first reads are in.
  const attention = withAttention(runtime);
  void runtime.start();
  // Live lanes.yaml. A discovered board follows the file `laneboard init` writes — the
  // discovered line goes, n / D work, and the endpoint is served beside the file too, so
  // verbs (`laneboard add`, `status`) find this runtime.
  const title = liveTitle(
    discovered ? 'laneboard — discovered' : `laneboard — ${displayPath(runtime.config.file)}`,
  );
  const live = liveRuntimeConfig(runtime, async (next) => {
    if (!discovered) return;
    discovered = false;
    title.set(`laneboard — ${displayPath(next.file)}`);
    const where = displayPath(next.file);
    try {
      await hosted.serveAlso(next.stateDir, next.file);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return `now following ${where}; n and D add and remove lanes (no control endpoint beside it: ${why})`;
    }
    return `now following ${where} (laneboard init wrote it); n and D add and remove lanes`;
  });
  const controls = {
    ...attention.controls,
    get lanes() {
      return lanes();
    },
  };
  const close = async (): Promise<void> => {
    await live.dispose();
    await attention.dispose();
    await hosted.dispose();
  };
  return runBoard(
    runtimeFeed(runtime, { controls, closing: 'stopping workers…', close }),
    ink,
    title.title,
  );
}
