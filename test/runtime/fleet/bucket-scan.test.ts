/**
 * The one-pass bucket read of the lean `--json --nats` (src/runtime/fleet/bucket-scan.ts)
 * against a real nats-server: newest value per key with its revision, deletes as DEL,
 * an empty bucket, a bucket that does not exist, and the same fleet state as the KV
 * watch reader gives; the stall check that ends a scan whose pending count stays up.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, createInbox, type NatsConnection } from '@nats-io/transport-node';
import { connectFleet, type FleetConnection } from '../../../src/runtime/fleet/connect.js';
import {
  createPushConsumer,
  parseAckSubject,
  scanBucket,
  stallChecks,
  STALL_CHECK_MS,
  ScanRefusedError,
  STREAM_NOT_FOUND,
} from '../../../src/runtime/fleet/bucket-scan.js';
import { fleetSnapshot } from '../../../src/runtime/fleet/fleet-snapshot.js';
import {
  applyEntryTo,
  createFleetReader,
  type FleetEntry,
  type FleetMaps,
} from '../../../src/runtime/fleet/reader.js';
import { FLEET_BUCKET, laneKey, hostKey } from '../../../src/runtime/fleet/keys.js';
import { systemClock } from '../../../src/runtime/types.js';
import { startNats, type TestNats } from '../../helpers/nats-server.js';
import { waitFor } from '../../helpers/supervisor-helpers.js';

let nats: TestNats;
let conn: FleetConnection;
let nc: NatsConnection;

beforeEach(async () => {
  nats = await startNats();
  conn = await connectFleet({ url: nats.url, name: 'laneboard/test-scan' });
  nc = await connect({ servers: nats.url });
});
afterEach(async () => {
  await nc.close();
  await conn.close();
  await nats.dispose();
});

describe('bucket scan', () => {
  it('reads the newest value of every key once, with revisions; deletes come as DEL', async () => {
    const kv = conn.fleet;
    await kv.put(laneKey('alpha', 'a1'), JSON.stringify({ v: 1 }));
    await kv.put(laneKey('alpha', 'a1'), JSON.stringify({ v: 2 }));
    const r3 = await kv.put(laneKey('alpha', 'lane.with.dots'), JSON.stringify({ v: 3 }));
    await kv.put(laneKey('beta', 'gone'), '{}');
    await kv.delete(laneKey('beta', 'gone'));
    await kv.put(hostKey('alpha'), JSON.stringify({ host: 'alpha', online: true, seq: 1 }));

    const { entries } = await scanBucket(nc, FLEET_BUCKET, createInbox(), systemClock);
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect(entries).toHaveLength(4);
    expect(JSON.parse(byKey.get('lane.alpha.a1')?.text ?? '')).toEqual({ v: 2 });
    expect(byKey.get(laneKey('alpha', 'lane.with.dots'))?.revision).toBe(r3);
    expect(byKey.get('lane.beta.gone')?.operation).toBe('DEL');
    expect(byKey.get('host.alpha')?.operation).toBe('PUT');
    const created = byKey.get('host.alpha')?.created.getTime() ?? 0;
    expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
  });

  it('gives the same fleet snapshot as the watching reader', async () => {
    for (let i = 0; i < 30; i++)
      await conn.fleet.put(laneKey(i % 2 ? 'alpha' : 'beta', `l${i}`), JSON.stringify({ i }));
    await conn.fleet.put(hostKey('alpha'), JSON.stringify({ host: 'alpha', online: true }));
    const reader = createFleetReader({ kv: conn.fleet, nc: conn.nc, clock: systemClock });
    await reader.start();
    const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
    const now = Date.now();
    const scan = await scanBucket(nc, FLEET_BUCKET, createInbox(), systemClock);
    for (const e of scan.entries) applyEntryTo(maps, e, now, true, scan.serverOffsetMs);
    const strip = (s: Record<string, unknown>) => ({ ...s, generatedAt: null });
    expect(strip(fleetSnapshot(maps, now))).toEqual(strip(fleetSnapshot(reader.state(), now)));
    expect((fleetSnapshot(maps, now).lanes as unknown[]).length).toBe(30);
    await reader.dispose();
  });

  it('an empty bucket ends at once; a missing bucket is refused with stream-not-found', async () => {
    const empty = await scanBucket(nc, FLEET_BUCKET, createInbox(), systemClock, 2_000);
    expect(empty.entries).toEqual([]);
    const missing = await scanBucket(nc, 'no-such-bucket', createInbox(), systemClock, 2_000).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(ScanRefusedError);
    expect((missing as ScanRefusedError).errCode).toBe(STREAM_NOT_FOUND);
  });

  it('parses both reply-subject layouts and rejects others', () => {
    expect(parseAckSubject('$JS.ACK.KV_b.c1.1.42.7.1733400000123456789.3')).toEqual({
      revision: 42,
      createdMs: 1733400000123,
      pending: 3,
    });
    expect(parseAckSubject('$JS.ACK.dom.hash.KV_b.c1.1.42.7.1733400000123456789.0.xyz')).toEqual({
      revision: 42,
      createdMs: 1733400000123,
      pending: 0,
    });
    expect(parseAckSubject('_INBOX.abc')).toBeNull();
    expect(parseAckSubject(undefined)).toBeNull();
    expect(parseAckSubject('$JS.ACK.KV_b.c1.1.x.7.1.3')).toBeNull();
  });

  it('the stall check ends a scan once the server says nothing is pending and every delivered message is in', async () => {
    for (let i = 0; i < 3; i++) await conn.fleet.put(laneKey('alpha', `s${i}`), '{}');
    const inbox = createInbox();
    const got: FleetEntry[] = [];
    const sub = nc.subscribe(inbox, {
      callback: (_err, m) => {
        const info = parseAckSubject(m.reply);
        if (info === null) return;
        got.push({
          key: m.subject,
          revision: info.revision,
          operation: 'PUT',
          created: new Date(),
          text: '',
        });
      },
    });
    const body = await createPushConsumer(
      nc,
      FLEET_BUCKET,
      { inbox, filter: `$KV.${FLEET_BUCKET}.>`, deliverPolicy: 'last_per_subject' },
      2_000,
    );
    await waitFor(() => got.length === 3, 5_000, 'three deliveries');
    // Two checkers on the same consumer: one holding every delivered message, one missing one.
    let full = 0;
    let partial = 0;
    const a = stallChecks(
      nc,
      FLEET_BUCKET,
      body.name,
      () => full > 0,
      got,
      () => (full += 1),
    );
    const b = stallChecks(
      nc,
      FLEET_BUCKET,
      body.name,
      () => false,
      got.slice(0, 2),
      () => (partial += 1),
    );
    await waitFor(() => full > 0, 5_000, 'the complete scan ended by the stall check');
    // Two more check periods: the incomplete one never ends (the server delivered 3).
    await new Promise((r) => setTimeout(r, 2 * STALL_CHECK_MS + 200));
    expect(full).toBe(1);
    expect(partial).toBe(0);
    clearInterval(a);
    clearInterval(b);
    expect(
      stallChecks(
        nc,
        FLEET_BUCKET,
        undefined,
        () => false,
        got,
        () => undefined,
      ),
    ).toBeUndefined();
    sub.unsubscribe();
  });
});
