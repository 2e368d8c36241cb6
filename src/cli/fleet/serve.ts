/**
 * `laneboard serve --nats URL`: joins a serving runtime to the fleet (src/runtime/fleet/host.ts).
 * Publishing starts once the runtime is up; on shutdown the host leaves the fleet
 * (liveness record `online: false`) before the workers are stopped, so boards never show
 * a stopping host as live. Connection problems are logged as one line each, URL redacted.
 */
import type { BoardStore } from '../../state/store.js';
import type { Controls } from '../../runtime/types.js';
import { createFleetHost, type FleetHost, type FleetSettings } from '../../runtime/fleet/host.js';
import { redactUrl } from '../../runtime/fleet/credentials.js';
import { workerLogPath } from '../../runtime/log-tail.js';
import { VERSION } from '../version.js';
import { keyedName } from '../../runtime/config-key.js';
import { KEYED_STATE_FILE } from '../../state/state-files.js';
import { join } from 'node:path';

/**
 * Connect and start publishing `runtime`'s lanes. Rejects with a clear Error (credentials
 * redacted) when the server is unreachable, too old, lacks JetStream or refuses the
 * identity; the caller stops the runtime and exits 1.
 */
export async function joinFleet(
  runtime: {
    readonly store: BoardStore;
    readonly controls: Controls;
    readonly flush: () => void;
    readonly config: {
      readonly file: string;
      readonly stateDir: string;
      readonly lanes: readonly { readonly id: string; readonly bridge: string }[];
    };
  },
  fleet: FleetSettings,
  log: (line: string) => void,
): Promise<FleetHost> {
  const host = createFleetHost({
    fleet,
    store: runtime.store,
    controls: runtime.controls,
    flushStore: () => runtime.flush(),
    // Lanes removed from lanes.yaml while the runtime was stopped are deleted at start.
    recordFile: join(
      runtime.config.stateDir,
      keyedName(KEYED_STATE_FILE.fleetLanes, runtime.config.file),
    ),
    // The lanes of the config in use (it follows live lanes.yaml reloads).
    logFile: (id) => {
      const bridge = runtime.config.lanes.find((l) => l.id === id)?.bridge;
      return bridge === undefined ? undefined : workerLogPath(bridge);
    },
    version: VERSION,
    log,
  });
  await host.start();
  const conn = host.connection();
  log(
    `fleet: host ${host.host} joined ${redactUrl(fleet.url)} (nats-server ${conn?.features.version ?? '?'})`,
  );
  return host;
}
