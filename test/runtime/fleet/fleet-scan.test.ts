/**
 * The one-shot fleet read from the hosts' one-value copies of their lanes
 * (src/runtime/fleet/fleet-scan.ts, written by src/runtime/fleet/host-lanes.ts) against a
 * real nats-server and real hosts: the same fleet snapshot as reading every lane key; a
 * lane key written after a host's copy wins (the tail); a host with a liveness record and
 * no copy, and a lane key no copy names, make it decline (null: the caller reads every
 * key).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectCore, type CoreConnection } from '../../../src/runtime/fleet/connect-core.js';
import { connectFleet } from '../../../src/runtime/fleet/connect.js';
import { scanBucket } from '../../../src/runtime/fleet/bucket-scan.js';
import { scanFleetByHost } from '../../../src/runtime/fleet/fleet-scan.js';
import { fleetSnapshot } from '../../../src/runtime/fleet/fleet-snapshot.js';
import { FLEET_BUCKET } from '../../../src/runtime/fleet/keys.js';
import { applyEntryTo, type FleetMaps } from '../../../src/runtime/fleet/reader.js';
import { systemClock } from '../../../src/runtime/types.js';
import { fleetHarness } from '../../helpers/fleet-hosts.js';
import { startNats, type TestNats } from '../../helpers/nats-server.js';
import { waitFor } from '../../helpers/supervisor-helpers.js';

const harness = fleetHarness();
let nats: TestNats | null = null;
let core: CoreConnection | null = null;
afterEach(async () => {
  await harness.cleanup();
  await core?.nc.close();
  await nats?.dispose();
});

/** The snapshot of `maps` as text, without the fields that move with the clock. */
const text = (maps: FleetMaps, now: number): string =>
  JSON.stringify({ ...fleetSnapshot(maps, now), generatedAt: null }, (k, v: unknown) =>
    k === 'ageMs' ? null : v,
  );

describe('fleet read from per-host copies', () => {
  it('gives what every lane key gives; a later lane write wins; declines on keys it cannot account for', async () => {
    nats = await startNats();
    await harness.host('alpha', nats.url, ['a1', 'a.2']);
    await harness.host('beta', nats.url, ['b1']);
    core = await connectCore(nats.url, undefined, 'laneboard-json/test');
    const { nc, inbox } = core;
    const byKeys = async (): Promise<FleetMaps> => {
      const scan = await scanBucket(nc, FLEET_BUCKET, inbox(), systemClock);
      const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
      for (const e of scan.entries) applyEntryTo(maps, e, Date.now(), true, scan.serverOffsetMs);
      return maps;
    };
    const same = async (): Promise<string | null> => {
      const maps = await scanFleetByHost(nc, inbox, systemClock);
      if (maps === null) return null;
      const now = Date.now();
      const want = text(await byKeys(), now);
      return text(maps, now) === want ? want : null;
    };
    const first = await waitFor(same, 10_000, 'copies that match the lane keys');
    expect((JSON.parse(first) as { lanes: unknown[] }).lanes).toHaveLength(3);

    const board = await connectFleet({ url: nats.url, name: 'laneboard/test-scan' });
    try {
      // A lane-key write the host's copy does not hold: read from the tail.
      const a1 = await board.fleet.get('lane.alpha.a1');
      const changed = { ...(a1?.json<Record<string, unknown>>() ?? {}), phase: 'from-tail' };
      await board.fleet.put('lane.alpha.a1', JSON.stringify(changed));
      const withTail = await scanFleetByHost(nc, inbox, systemClock);
      expect(withTail?.lanes.get('lane.alpha.a1')?.value?.phase).toBe('from-tail');
      expect(await same()).not.toBeNull();

      // A host that wrote a liveness record and no copy: decline.
      await board.fleet.put('host.old', JSON.stringify({ host: 'old', online: true }));
      expect(await scanFleetByHost(nc, inbox, systemClock)).toBeNull();
      await board.fleet.delete('host.old');
      expect(await same()).not.toBeNull();

      // A lane key no copy names (left by an earlier run, or a host without copies): decline.
      await board.fleet.put('lane.ghost.x', JSON.stringify({ id: 'x' }));
      expect(await scanFleetByHost(nc, inbox, systemClock)).toBeNull();
    } finally {
      await board.close();
    }
  });
});
