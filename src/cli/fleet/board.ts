/**
 * `laneboard --nats URL` (no `--json`): the interactive board of the whole fleet
 * (docs/fleet.md). The same board UI (src/ui) on a store fed by the fleet bucket
 * (src/runtime/fleet/board-feed.ts): lanes grouped by host, then repo; an offline host's
 * lanes greyed and marked; every key acts on remote lanes through the commands bucket.
 *
 * Works from any directory. With a lanes.yaml and no runtime running for it, the board
 * also runs its own lanes (like `laneboard`) and publishes them to the fleet as this host
 * (like `serve --nats`), showing them first; with a runtime already running for it, the
 * local lanes appear from the bucket when that runtime serves with `--nats`, and a
 * notice says so. Quitting stops only this machine's workers. The detail pane shows a
 * remote lane's worker log tail, asked of its host over NATS.
 */
import type { BoardConfig } from '../../state/config-types.js';
import { createBoardStore } from '../../state/store.js';
import { systemClock, type Controls, type Dispatch } from '../../runtime/types.js';
import { connectFleet, type FleetConnection } from '../../runtime/fleet/connect.js';
import { createFleetBoardFeed, fleetControls } from '../../runtime/fleet/board-feed.js';
import { defaultHostName, type FleetSettings } from '../../runtime/fleet/host.js';
import { requestLog } from '../../runtime/fleet/logs.js';
import { LOG_TAIL_BYTES } from '../../runtime/log-tail.js';
import { runBoard, runtimeFeed, type BoardFeed } from '../board.js';
import { importInk } from '../ink-loader.js';

/** Options of {@link runFleetBoard}. */
export interface FleetBoardOptions {
  /** Start local lanes marked `autostart` (with a lanes.yaml). */
  readonly autostart: boolean;
}

/** What the local lanes.yaml contributes: a board feed (no controls without lanes), dispatch. */
type LocalPart = Omit<BoardFeed, 'controls'> & {
  readonly dispatch: Dispatch;
  readonly controls: Controls | null;
  readonly localHost?: string;
};

/** A store with no local lanes, its clock ticking every second (ages of remote lanes). */
function remoteOnly(notice: string | null): LocalPart {
  const store = createBoardStore();
  const tick = setInterval(
    () => store.dispatch({ type: 'clock/tick', at: systemClock.now() }),
    1_000,
  );
  store.dispatch({ type: 'clock/tick', at: systemClock.now() });
  if (notice !== null)
    store.dispatch({ type: 'board/notice', message: notice, at: systemClock.now() });
  return {
    store,
    dispatch: (a) => store.dispatch(a),
    controls: null,
    readLogTail: () => Promise.resolve(''),
    ready: () => Promise.resolve(),
    flush: () => undefined,
    closing: 'leaving the fleet board (remote workers keep running)',
    close: () => {
      clearInterval(tick);
      return Promise.resolve();
    },
  };
}

async function localPart(
  config: BoardConfig | null,
  fleet: FleetSettings,
  opts: FleetBoardOptions,
): Promise<LocalPart> {
  if (config === null) return remoteOnly(null);
  const { findRuntime } = await import('../verbs/connect.js');
  const live = await findRuntime(config);
  if (live !== null) {
    return remoteOnly(
      `a runtime (pid ${live.health.pid}) runs ${config.file}: its lanes show here when it serves with --nats`,
    );
  }
  const { hostRuntime } = await import('../../runtime/control/host.js');
  const hosted = await hostRuntime(config, 'board', { autostart: opts.autostart });
  const runtime = hosted.runtime;
  void runtime.start();
  const host = fleet.host ?? defaultHostName();
  const notice = (message: string): void =>
    runtime.dispatch({ type: 'board/notice', message, at: runtime.clock.now() });
  // This host joins the fleet like `serve --nats`: its lanes are published, its commands run.
  const { joinFleet } = await import('./serve.js');
  const joined = await joinFleet(runtime, { ...fleet, host }, notice).catch(
    async (err: unknown) => {
      await hosted.dispose();
      throw err;
    },
  );
  const close = async (): Promise<void> => {
    await joined.dispose();
    await hosted.dispose();
  };
  const closing = 'stopping this host\u2019s workers (remote workers keep running)…';
  return {
    ...runtimeFeed(runtime, { controls: runtime.controls, closing, close }),
    dispatch: runtime.dispatch,
    localHost: host,
  };
}

/**
 * Run the fleet board until the operator quits; resolves with the exit code. Rejects
 * (exit 1 via the CLI) when the server cannot be used; the URL in messages is redacted.
 */
export async function runFleetBoard(
  fleet: FleetSettings,
  config: BoardConfig | null,
  opts: FleetBoardOptions,
): Promise<number> {
  const ink = importInk();
  const me = fleet.host ?? defaultHostName();
  const by = `laneboard-board/${me}`;
  const conn: FleetConnection = await connectFleet({
    url: fleet.url,
    creds: fleet.creds,
    name: by,
  });
  let local: LocalPart;
  try {
    local = await localPart(config, fleet, opts);
  } catch (err) {
    await conn.close();
    throw err;
  }
  const feed = createFleetBoardFeed({
    conn,
    dispatch: local.dispatch,
    clock: systemClock,
    by,
    ...(local.localHost !== undefined ? { localHost: local.localHost } : {}),
  });
  const started = feed.start();
  const controls = fleetControls({
    conn,
    local: local.controls,
    remoteOf: (id) => {
      const r = local.store.getState().lanes[id]?.remote;
      return r ? { host: r.host, laneId: r.laneId } : null;
    },
    dispatch: local.dispatch,
    clock: systemClock,
    by,
  });
  const boardFeed: BoardFeed = {
    store: local.store,
    controls,
    // A remote lane's worker log comes from its host over NATS (src/runtime/fleet/logs.ts).
    readLogTail: (id) => {
      const r = local.store.getState().lanes[id]?.remote;
      if (!r) return local.readLogTail(id);
      return requestLog(conn.nc, r.host, r.laneId, { tail: LOG_TAIL_BYTES }).then((c) => c.text);
    },
    ready: () => Promise.all([started, local.ready()]).then(() => undefined),
    flush: () => local.flush(),
    closing: local.closing,
    close: async () => {
      await feed.dispose();
      await local.close();
      await conn.close();
    },
  };
  return runBoard(boardFeed, ink, `laneboard — fleet ${conn.displayUrl}`);
}
