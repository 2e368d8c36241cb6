/**
 * `laneboard --json --nats URL` and `--json --watch --nats URL`: the fleet snapshot
 * (src/runtime/fleet/fleet-snapshot.ts), answered from the fleet bucket alone — no git,
 * no bridge reads — plus this host's own lanes when a lanes.yaml is given (read like
 * `laneboard --json`). The watch writes a line when anything changed (at most every
 * 250 ms), when a host goes on- or offline, and at least every 5 s; this host's own
 * lanes (with a lanes.yaml) are re-read every 5 s.
 */
import type { BoardConfig } from '../../state/config-types.js';
import { systemClock } from '../../runtime/types.js';
import { connectFleet } from '../../runtime/fleet/connect.js';
import { fleetSnapshot, type LocalPart } from '../../runtime/fleet/fleet-snapshot.js';
import { createFleetReader } from '../../runtime/fleet/reader.js';
import { defaultHostName, type FleetSettings } from '../../runtime/fleet/host.js';

const MIN_INTERVAL_MS = 250;
const HEARTBEAT_MS = 5_000;

async function openReader(fleet: FleetSettings, onChange?: () => void) {
  const conn = await connectFleet({
    url: fleet.url,
    creds: fleet.creds,
    name: `laneboard-board/${fleet.host ?? defaultHostName()}`,
  });
  const reader = createFleetReader({
    kv: conn.fleet,
    nc: conn.nc,
    clock: systemClock,
    ready: conn.ready,
    onChange,
  });
  try {
    await reader.start();
  } catch (err) {
    await conn.close();
    throw err;
  }
  return { conn, reader };
}

async function localPart(
  fleet: FleetSettings,
  config: BoardConfig | null,
): Promise<LocalPart | undefined> {
  if (!config) return undefined;
  const { buildSnapshot } = await import('../json.js');
  return { host: fleet.host ?? defaultHostName(), snapshot: await buildSnapshot(config) };
}

/** Print one fleet snapshot; resolves once stdout took it. */
export async function runFleetJson(
  fleet: FleetSettings,
  config: BoardConfig | null,
  pretty: boolean,
): Promise<void> {
  const [{ conn, reader }, local] = await Promise.all([
    openReader(fleet),
    localPart(fleet, config),
  ]);
  const snap = fleetSnapshot(reader.state(), systemClock.now(), local);
  await reader.dispose();
  void conn.close();
  const text = `${JSON.stringify(snap, null, pretty ? 2 : 0)}\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

/** Stream fleet snapshots until SIGINT/SIGTERM/SIGHUP or stdout closes; resolves with 0. */
export async function runFleetJsonWatch(
  fleet: FleetSettings,
  config: BoardConfig | null,
): Promise<number> {
  let dirty = true;
  let lastWrite = 0;
  let lastOnline = '';
  let local: LocalPart | undefined;
  let localAt = 0;
  // This host's own lanes are re-read at most every heartbeat (they cost git and file reads).
  const refreshLocal = async (): Promise<void> => {
    localAt = systemClock.now();
    local = await localPart(fleet, config);
  };
  const { conn, reader } = await openReader(fleet, () => void (dirty = true));
  await refreshLocal();
  const timer = setInterval(() => {
    const now = systemClock.now();
    const snap = fleetSnapshot(reader.state(), now, local);
    const online = JSON.stringify((snap.hosts as { online: boolean }[]).map((h) => h.online));
    if (online !== lastOnline) dirty = true;
    lastOnline = online;
    if ((dirty && now - lastWrite >= MIN_INTERVAL_MS) || now - lastWrite >= HEARTBEAT_MS) {
      process.stdout.write(`${JSON.stringify(snap)}\n`);
      dirty = false;
      lastWrite = now;
    }
    if (config && now - localAt >= HEARTBEAT_MS) void refreshLocal();
  }, MIN_INTERVAL_MS);
  return new Promise<number>((resolve) => {
    let done = false;
    const stop = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      void reader
        .dispose()
        .then(() => conn.close())
        .then(() => resolve(0));
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
    process.stdout.on('error', stop);
  });
}
