/**
 * The lean `laneboard --json --nats URL` (issue #13 target: at 500 lanes within 2 ×
 * `node -e 0`), bundled alone as dist/fleet-json.cjs (scripts/build.mjs) and run by the
 * launcher's front door (src/cli/fast-entry.ts) for the command lines of ./lean-args.ts.
 * It loads the core NATS client and nothing else of the CLI (no commander, YAML, zod,
 * Ink, `@nats-io/jetstream` or `@nats-io/kv`), connects without reconnecting, checks the
 * server (src/runtime/fleet/server-check.ts), reads the fleet bucket from the hosts'
 * one-value copies of their lanes (src/runtime/fleet/fleet-scan.ts) or, when those do not
 * account for every lane key, in one consumer pass over every key
 * (src/runtime/fleet/bucket-scan.ts), and prints the same fleet snapshot as the full path
 * (src/runtime/fleet/fleet-snapshot.ts), writing the lane values into it as the hosts'
 * own JSON text where it can (src/runtime/fleet/lane-text.ts).
 *
 * Declines (resolves null, and the full command line runs) when the fleet bucket does not
 * exist yet: the full path creates it. On success the connection is left open for the
 * caller's `process.exit` to drop (src/cli/fast-entry.ts exits with the code).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectCore } from '../../runtime/fleet/connect-core.js';
import { FLEET_BUCKET } from '../../runtime/fleet/keys.js';
import { scanBucket, ScanRefusedError, STREAM_NOT_FOUND } from '../../runtime/fleet/bucket-scan.js';
import { applyEntryTo, type FleetMaps } from '../../runtime/fleet/reader.js';
import { fleetSnapshot, fleetSnapshotJson } from '../../runtime/fleet/fleet-snapshot.js';
import { scanFleetByHost } from '../../runtime/fleet/fleet-scan.js';
import { defaultHostName } from '../../runtime/fleet/host-name.js';
import { systemClock } from '../../runtime/types.js';
import { errorMessage } from '../../state/error-text.js';
import type { LeanFleetJson } from './lean-args.js';

/**
 * Print one fleet snapshot for `args`. Resolves with the exit code (0; 1 with one line on
 * stderr when the server is unreachable, unusable or refuses the read), or null to let the
 * full command line handle it (no fleet bucket yet). Never rejects.
 */
export async function runLeanFleetJson(args: LeanFleetJson): Promise<number | null> {
  const { url, creds, host } = args.fleet;
  let nc: NatsConnection | null = null;
  try {
    const core = await connectCore(url, creds, `laneboard-json/${host ?? defaultHostName()}`);
    nc = core.nc;
    const { displayUrl } = core;
    let maps: FleetMaps | null;
    try {
      maps = await scanFleetByHost(nc, core.inbox, systemClock);
      if (maps === null) {
        const scan = await scanBucket(nc, FLEET_BUCKET, core.inbox(), systemClock);
        const at = Date.now();
        maps = { lanes: new Map(), hosts: new Map() };
        for (const e of scan.entries) applyEntryTo(maps, e, at, true, scan.serverOffsetMs, true);
      }
    } catch (err) {
      if (err instanceof ScanRefusedError && err.errCode === STREAM_NOT_FOUND) return null;
      throw new Error(`NATS at ${displayUrl}: ${errorMessage(err)}`);
    }
    const now = Date.now();
    const json = args.pretty
      ? JSON.stringify(fleetSnapshot(maps, now), null, 2)
      : fleetSnapshotJson(maps, now);
    const text = `${json}\n`;
    // No close: the caller exits once stdout is flushed, and the kernel closes the socket
    // (a read-only client has nothing to flush; the scan consumers expire on the server).
    nc = null;
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  } catch (err) {
    process.stderr.write(`laneboard: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}
