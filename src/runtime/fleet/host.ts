/**
 * The host side of the fleet as one {@link Service}: connect (src/runtime/fleet/connect.ts),
 * publish the store's lanes, keep the liveness record fresh, and consume this host's
 * commands through the runtime's {@link Controls}. `laneboard serve --nats URL` runs one.
 */
import type { BoardStore } from '../../state/store.js';
import type { Controls, Service } from '../types.js';
import { connectFleet } from './connect.js';
import type { FleetConnection } from './connect.js';
import { createCommandConsumer } from './consumer.js';
import type { FleetCommand, Receipt } from './commands.js';
import { createHeartbeat } from './liveness.js';
import { createLanePublisher } from './publisher.js';
import { createHostLanes } from './host-lanes.js';
import { hostLanesKey } from './keys.js';
import { publishedRecord } from './published-record.js';
import { serveLogs } from './logs.js';
import { errorMessage } from '../../state/error-text.js';
import { defaultHostName } from './host-name.js';

/** Longest wait (ms) of {@link FleetHost.flush}. */
const FLUSH_MAX_MS = 2_000;

/** Where and as whom a host joins the fleet. */
export interface FleetSettings {
  /** NATS server URL (may carry user:password; never printed as is). */
  readonly url: string;
  /** Host name in keys; default: the short hostname. */
  readonly host?: string;
  /** Credentials file (src/runtime/fleet/credentials.ts). */
  readonly creds?: string;
}

/** Options of {@link createFleetHost}. */
export interface FleetHostOptions {
  readonly fleet: FleetSettings;
  readonly store: BoardStore;
  readonly controls: Controls;
  /** laneboard version (in the liveness record). */
  readonly version: string;
  /**
   * Path of a lane's worker.log, for remote log readers (./logs.ts); undefined for a lane
   * that is not this host's. Without it the host answers no log requests.
   */
  readonly logFile?: (laneId: string) => string | undefined;
  /**
   * Apply the store's queued actions now (the runtime batches them): called before a
   * command's final receipt so the lane published then carries its result.
   */
  readonly flushStore?: () => void;
  /**
   * File keeping the lanes this host published across restarts (./published-record.ts);
   * without it, the keys of lanes removed while the runtime was stopped stay in the bucket.
   */
  readonly recordFile?: string;
  /** Told of connection problems and executed commands (one line, no credentials). */
  readonly log?: (line: string) => void;
  /** Test hooks: heartbeat period (ms). */
  readonly heartbeatMs?: number;
  /** Told once per executed command with its final receipt. */
  readonly onCommand?: (cmd: FleetCommand, receipt: Receipt) => void;
}

/** A fleet host service; `connection()` is set once started. */
export interface FleetHost extends Service {
  readonly host: string;
  connection(): FleetConnection | null;
  /**
   * Publish pending lane changes now (tests, shutdown). Resolves within 2 s, and at once
   * while the server is away (the changes are then not published).
   */
  flush(): Promise<void>;
}

export { defaultHostName } from './host-name.js';

/** Create the host service. `start()` rejects with a clear Error when the server cannot be used. */
export function createFleetHost(opts: FleetHostOptions): FleetHost {
  const host = opts.fleet.host ?? defaultHostName();
  const log = opts.log ?? (() => undefined);
  const errLine =
    (what: string) =>
    (err: unknown): void =>
      log(`fleet: ${what}: ${errorMessage(err)}`);
  let conn: FleetConnection | null = null;
  let parts: { dispose(): Promise<void> }[] = [];
  let publisherFlush: () => Promise<void> = () => Promise.resolve();
  /** Run `publish`, for at most {@link FLUSH_MAX_MS}; not at all while the server is away. */
  const bounded = (publish: () => Promise<void>): Promise<void> => {
    if (!conn?.connected()) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, FLUSH_MAX_MS)));
    return Promise.race([publish(), late]).finally(() => clearTimeout(timer));
  };
  return {
    host,
    connection: () => conn,
    flush: () => publisherFlush(),
    start: async () => {
      conn = await connectFleet({
        url: opts.fleet.url,
        creds: opts.fleet.creds,
        name: `laneboard/${host}`,
      });
      const { fleet, cmds, nc } = conn;
      const hostLanes = createHostLanes({
        kv: fleet,
        host,
        onError: errLine(`writing ${hostLanesKey(host)} failed (readers use the lane keys)`),
      });
      const publisher = createLanePublisher({
        kv: fleet,
        host,
        store: opts.store,
        ready: conn.ready,
        onError: errLine('lane write failed (will retry)'),
        hostLanes,
        record:
          opts.recordFile === undefined
            ? undefined
            : publishedRecord(
                opts.recordFile,
                host,
                errLine(`cannot keep the published lanes in ${opts.recordFile}`),
              ),
      });
      const heartbeat = createHeartbeat({
        kv: fleet,
        host,
        version: opts.version,
        laneCount: () => {
          const st = opts.store.getState();
          return st.order.filter((id) => !st.lanes[id]?.remote).length;
        },
        intervalMs: opts.heartbeatMs,
        onError: errLine('heartbeat failed'),
      });
      const consumer = createCommandConsumer({
        kv: cmds,
        nc,
        host,
        controls: opts.controls,
        ready: conn.ready,
        // A fleet board's store also holds other hosts' lanes: never execute those here.
        hasLane: (id) => {
          const lane = opts.store.getState().lanes[id];
          return lane !== undefined && !lane.remote;
        },
        onError: errLine('commands'),
        busy: () => hostLanes.hold(),
        beforeReceipt: (cmd) => {
          opts.flushStore?.();
          return bounded(() => publisher.flushLane(cmd.laneId));
        },
        onCommand: (cmd, receipt) => {
          log(`fleet: ${cmd.verb} ${cmd.laneId} (${cmd.id}): ${receipt.state}`);
          opts.onCommand?.(cmd, receipt);
        },
      });
      // Bounded, and skipped while the server is away: a host stopping then (serve's
      // SIGTERM) must stop its workers and exit, not wait for the server to return.
      publisherFlush = () => bounded(() => publisher.flush());
      await publisher.start();
      await heartbeat.start();
      await consumer.start();
      parts = [consumer, publisher, heartbeat];
      const logFile = opts.logFile;
      if (logFile) {
        // Never another host's lanes that a fleet board's store also holds.
        const sub = serveLogs({
          nc,
          host,
          logFile: (id) => (opts.store.getState().lanes[id]?.remote ? undefined : logFile(id)),
        });
        parts.unshift({ dispose: () => Promise.resolve(sub.unsubscribe()) });
      }
    },
    dispose: async () => {
      for (const p of parts) await p.dispose().catch(() => undefined);
      parts = [];
      await conn?.close();
      conn = null;
    },
  };
}
