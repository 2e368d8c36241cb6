/**
 * `laneboard serve`: the runtime without the TUI (supervisor, bridge and git watchers,
 * steering, restart policy) for systemd, a tmux-less server, CI and the fleet. Logs one
 * line per lane event to stderr (`<ISO time> lane <id>: <change>`, src/state/lane-events.ts)
 * and runs the lanes' `on:` commands and the `settings.notify` command once per transition
 * (./board-attention.ts; no terminal notifications: each board attached to it writes
 * those on its own terminal).
 * SIGTERM, SIGINT and SIGHUP stop every worker and all of its descendants (SIGKILL after
 * the lane's grace period), then it exits 0.
 */
import type { BoardConfig } from '../state/config-types.js';
import { boardChanges } from '../state/lane-events.js';
import { selectLaneViews } from '../state/selectors.js';
import type { BoardState } from '../state/types.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { RuntimeRunningError } from '../runtime/control/endpoint.js';
import { hostRuntime } from '../runtime/control/host.js';
import { serveAttention } from './board-attention.js';
import { lazyLaneAdmin } from './lane-admin-lazy.js';
import { liveRuntimeConfig } from './live-config.js';
import { EXIT } from './commands/context.js';
import type { FleetHost, FleetSettings } from '../runtime/fleet/host.js';
import { errorMessage } from '../state/error-text.js';
import { boundHeapGrowth } from './heap.js';

/** Options of {@link runServe}. */
export interface ServeOptions {
  /** Start lanes marked `autostart`. @default true */
  readonly autostart: boolean;
  /** Join the fleet (docs/fleet.md) with these settings. */
  readonly fleet?: FleetSettings;
  /** Follow edits of lanes.yaml (src/cli/live-config.ts). @default true; false for discovered lanes */
  readonly live?: boolean;
}

/** Write `line` to stderr with an ISO-8601 time prefix (errors on a closed stderr are ignored). */
function log(line: string): void {
  try {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  } catch {
    // stderr gone: the runtime keeps running
  }
}

/** Log every lane change of `runtime`'s store; returns the unsubscribe function. */
function logChanges(runtime: Runtime): () => void {
  let prevState: BoardState = runtime.store.getState();
  let prevViews = selectLaneViews(prevState);
  return runtime.store.subscribe((state) => {
    // Clock ticks only move ages; a full view diff per tick is not worth it.
    if (state.lanes === prevState.lanes && state.notices === prevState.notices) {
      prevState = state;
      return;
    }
    const views = selectLaneViews(state);
    for (const line of boardChanges(prevViews, views, prevState.notices, state.notices)) log(line);
    prevState = state;
    prevViews = views;
  });
}

/** Run the runtime until SIGTERM/SIGINT/SIGHUP; resolves with the exit code (0). */
export async function runServe(config: BoardConfig, opts: ServeOptions): Promise<number> {
  process.stderr.on('error', () => undefined);
  let hosted;
  try {
    // The lane management routes (an attached board's n / D) edit this lanes.yaml;
    // discovered lanes have none.
    const admin = opts.live === false ? undefined : lazyLaneAdmin(config.file);
    hosted = await hostRuntime(config, 'serve', { autostart: opts.autostart }, () => admin);
  } catch (err) {
    if (!(err instanceof RuntimeRunningError)) throw err;
    process.stderr.write(
      `laneboard: ${err.message}; not starting a second one (stop it first, or use the verbs: laneboard status)\n`,
    );
    return EXIT.runtime;
  }
  const runtime = hosted.runtime;
  // Once the runtime serves: start-up keeps V8's own sizing (see ./heap.ts).
  boundHeapGrowth();
  const unsubscribe = logChanges(runtime);
  const releaseAttention = serveAttention(runtime);
  // Live lanes.yaml (not for discovered lanes: there is no file yet).
  const live = opts.live === false ? null : liveRuntimeConfig(runtime);
  let fleetHost: FleetHost | null = null;
  if (opts.fleet) {
    try {
      const { joinFleet } = await import('./fleet/serve.js');
      fleetHost = await joinFleet(runtime, opts.fleet, log);
    } catch (err) {
      log(`fleet: ${errorMessage(err)}`);
      unsubscribe();
      await live?.dispose();
      await releaseAttention();
      await hosted.dispose();
      return EXIT.runtime;
    }
  }
  log(
    `serving ${runtime.config.file} (pid ${process.pid}, ${config.lanes.length} lanes) on ${hosted.endpoint.path}`,
  );
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping workers…`);
    void Promise.resolve(live?.dispose())
      .then(() => releaseAttention())
      .then(() => hosted.dispose())
      // The fleet sees the workers stop, then the host leave (online: false).
      .then(() => fleetHost?.flush())
      .then(() => fleetHost?.dispose())
      .then(() => {
        unsubscribe();
        log('stopped');
        resolveExit(EXIT.ok);
      })
      .catch((err: unknown) => {
        log(`stop failed: ${errorMessage(err)}`);
        resolveExit(EXIT.runtime);
      });
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop(sig));
  await runtime.start();
  return exited;
}
