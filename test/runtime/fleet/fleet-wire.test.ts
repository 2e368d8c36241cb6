/**
 * The one-shot fleet clients on the core NATS client alone, against a real nats-server
 * and a real host (real supervisor, real worker): the lean verb's wire sender
 * (src/runtime/fleet/verb-wire.ts) — no bucket yet → null (the full path takes over),
 * receipts in order, an unknown lane failed, a silent host expired, receipts its
 * subscription cannot see read from the bucket — and remote worker
 * logs (src/runtime/fleet/logs.ts): tail, follow from an offset, unknown lane, no host;
 * liveness of values already in the bucket when a reader starts, by server time even
 * when the reader's clock is skewed (src/runtime/fleet/server-clock.ts); and the read
 * from the hosts' per-host copies (src/runtime/fleet/fleet-scan.ts): the same snapshot as
 * every lane key, lanes kept as the hosts' text and printed as serialising them would, a
 * later lane write wins, keys it cannot account for make it decline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectFleet } from '../../../src/runtime/fleet/connect.js';
import { fleetSnapshot, fleetSnapshotJson } from '../../../src/runtime/fleet/fleet-snapshot.js';
import {
  applyEntryTo,
  createFleetReader,
  remoteValue,
  type FleetMaps,
} from '../../../src/runtime/fleet/reader.js';
import { connectCore, type CoreConnection } from '../../../src/runtime/fleet/connect-core.js';
import { LogRequestError, NoLogServiceError, requestLog } from '../../../src/runtime/fleet/logs.js';
import { sendCommandWire } from '../../../src/runtime/fleet/verb-wire.js';
import { scanBucket } from '../../../src/runtime/fleet/bucket-scan.js';
import { scanFleetByHost } from '../../../src/runtime/fleet/fleet-scan.js';
import { FLEET_BUCKET } from '../../../src/runtime/fleet/keys.js';
import { fleetHarness } from '../../helpers/fleet-hosts.js';
import { startNats, type TestNats } from '../../helpers/nats-server.js';
import { makeTempDir, removeDir, waitFor } from '../../helpers/supervisor-helpers.js';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { systemClock } from '../../../src/runtime/types.js';

type Snap = { hosts: { online: boolean }[]; lanes: { hostOnline: boolean }[] };

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

describe('fleet over the core NATS client', () => {
  it('lean verb: null without a bucket; receipts in order; unknown lane failed; a silent host expired', async () => {
    nats = await startNats();
    core = await connectCore(nats.url, undefined, 'laneboard-cli/test');
    const c = core;
    const send = (host: string, laneId: string, verb: 'start' | 'restart', ms?: number) => {
      const states: string[] = [];
      const out = sendCommandWire(c.nc, {
        host,
        laneId,
        verb,
        deliverTimeoutMs: ms,
        onState: (s) => states.push(s),
      });
      return out.then((o) => ({ out: o, states }));
    };
    expect((await send('alpha', 'a1', 'start', 500)).out).toBeNull();

    const alpha = await harness.host('alpha', nats.url, ['a1'], { batched: true });
    const started = await send('alpha', 'a1', 'start');
    expect(started.out?.state).toBe('done');
    expect(started.states).toEqual(['pending', 'delivered', 'done']);
    const pid = alpha.store.getState().lanes.a1?.worker.pid;
    const restarted = await send('alpha', 'a1', 'restart');
    expect(restarted.out?.state).toBe('done');
    const newPid = alpha.store.getState().lanes.a1?.worker.pid;
    expect(newPid).not.toBe(pid);
    // `done` is written after the host published the lane: the new pid is in the bucket.
    const { entries } = await scanBucket(c.nc, FLEET_BUCKET, c.inbox(), systemClock);
    const value = entries.find((e) => e.key === 'lane.alpha.a1')?.text ?? '{}';
    expect((JSON.parse(value) as { worker?: { pid?: number } }).worker?.pid).toBe(newPid);
    expect([alpha.calls.get('start:a1'), alpha.calls.get('restart:a1')]).toEqual([1, 1]);
    expect((await send('alpha', 'nope', 'restart')).out).toMatchObject({
      state: 'failed',
      receipt: { error: 'no lane nope' },
    });
    const lost = await send('ghost', 'x', 'restart', 300);
    expect(lost.out?.state).toBe('not_delivered');
    expect(lost.states).toEqual(['pending', 'expired']);
  });

  it('lean verb: receipts the subscription cannot see are read from the bucket', async () => {
    // An identity that may not subscribe to the receipt subject (only to its inboxes): the
    // server refuses the subscription, so the verb learns the outcome only from the stored
    // receipt — the fallback for a receipt write its subscription missed.
    nats = await startNats(`authorization {
      users = [
        { user: operator, password: op, permissions: { publish: ">", subscribe: ">" } }
        { user: narrow, password: nw, permissions: { publish: ">", subscribe: ["_INBOX.>"] } }
      ]
    }`);
    const dir = makeTempDir('lb-fleet-creds-');
    try {
      const opCreds = join(dir, 'operator');
      writeFileSync(opCreds, 'operator:op\n', { mode: 0o600 });
      // The host's own start creates the buckets (the operator identity may).
      await harness.host('alpha', nats.url, ['a1'], { creds: opCreds });
      const url = nats.url.replace('nats://', 'nats://narrow:nw@');
      core = await connectCore(url, undefined, 'laneboard-cli/test');
      const states: string[] = [];
      const t0 = Date.now();
      const out = await sendCommandWire(core.nc, {
        host: 'alpha',
        laneId: 'a1',
        verb: 'start',
        onState: (st) => states.push(st),
      });
      expect(out?.state).toBe('done');
      expect(states[0]).toBe('pending');
      expect(states.at(-1)).toBe('done');
      // Read once nothing arrived for a second, not at the 10 s claim timeout.
      expect(Date.now() - t0).toBeLessThan(8_000);
    } finally {
      removeDir(dir);
    }
  });

  it('remote worker logs: tail, then only new bytes; unknown lane and absent host are told apart', async () => {
    nats = await startNats();
    const alpha = await harness.host('alpha', nats.url, ['a1']);
    await alpha.sup.start('a1');
    core = await connectCore(nats.url, undefined, 'laneboard-cli/test');
    const { nc } = core;
    const tail = await waitFor(async () => {
      const r = await requestLog(nc, 'alpha', 'a1', { tail: 1024 });
      return /sleep worker \d+ started/.test(r.text) ? r : null;
    }, 5_000);
    expect(tail.next).toBe(tail.size);
    expect((await requestLog(nc, 'alpha', 'a1', { from: tail.next })).text).toBe('');
    await alpha.sup.restart('a1');
    const more = await waitFor(async () => {
      const r = await requestLog(nc, 'alpha', 'a1', { from: tail.next });
      return r.text.includes('started') ? r : null;
    }, 5_000);
    expect(more.text).not.toContain(tail.text.trim());
    await expect(requestLog(nc, 'alpha', 'nope', { tail: 10 })).rejects.toThrow(LogRequestError);
    await expect(requestLog(nc, 'ghost', 'a1', { tail: 10 })).rejects.toThrow(NoLogServiceError);
  });

  it('values already in the bucket at reader start are aged by server time, whatever the reader clock says (watch and scan)', async () => {
    nats = await startNats();
    const board = await connectFleet({ url: nats.url, name: 'laneboard/test-board' });
    try {
      const rec = { host: 'alpha', online: true, seq: 1, lanes: 1, version: 'x' };
      await board.fleet.put('host.alpha', JSON.stringify(rec));
      await board.fleet.put('lane.alpha.l1', JSON.stringify({ id: 'l1', host: 'alpha', seq: 1 }));
      // The record was written just now by the server's clock. A reader whose own clock
      // is `skew` ms off from the server's must still see a live host (the old rule, aging
      // it by the reader's clock, called it offline from a skew of +10 s on).
      const judge = async (skew: number) => {
        const clock = { now: () => Date.now() + skew };
        const reader = createFleetReader({ kv: board.fleet, nc: board.nc, clock });
        await reader.start();
        const watched = fleetSnapshot(reader.state(), clock.now()) as Snap;
        await reader.dispose();
        const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
        const scan = await scanBucket(board.nc, FLEET_BUCKET, `_INBOX.t${skew}`, clock);
        expect(Math.abs(scan.serverOffsetMs + skew)).toBeLessThan(1_000);
        for (const e of scan.entries) applyEntryTo(maps, e, clock.now(), true, scan.serverOffsetMs);
        const scanned = fleetSnapshot(maps, clock.now()) as Snap;
        return [watched, scanned].map((x) => [x.hosts[0]?.online, x.lanes[0]?.hostOnline]);
      };
      const live = [
        [true, true],
        [true, true],
      ];
      for (const skew of [0, 16_000, 3_600_000, -16_000, -3_600_000])
        expect(await judge(skew)).toEqual(live);
    } finally {
      await board.close();
    }
  });

  it('a host silent > 10 s by server time is offline at once, 5 s online, for any reader clock', () => {
    // The server's timestamps cannot be back-dated, so the silence is set in the entry's
    // server time; `serverOffsetMs` is what the probe above measures (server − reader).
    const serverNow = Date.parse('2026-12-06T03:00:00Z');
    const judge = (silentMs: number, skew: number): boolean[] => {
      const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
      const created = new Date(serverNow - silentMs);
      const rec = { host: 'old', online: true, seq: 1, lanes: 1, version: 'x' };
      const put = { revision: 1, operation: 'PUT' as const, created };
      const readerNow = serverNow + skew;
      applyEntryTo(
        maps,
        { ...put, key: 'host.old', text: JSON.stringify(rec) },
        readerNow,
        true,
        -skew,
      );
      applyEntryTo(
        maps,
        { ...put, key: 'lane.old.l1', text: '{"id":"l1"}' },
        readerNow,
        true,
        -skew,
      );
      const snap = fleetSnapshot(maps, readerNow) as Snap;
      return [snap.hosts[0]?.online ?? true, snap.lanes[0]?.hostOnline ?? true];
    };
    for (const skew of [0, 60_000, -60_000]) {
      expect(judge(16_000, skew)).toEqual([false, false]);
      expect(judge(5_000, skew)).toEqual([true, true]);
    }
  });

  it('per-host copies (lanes.<host>) give what every lane key gives; a later lane write wins; keys no copy names are read alone', async () => {
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
    // The copies' lanes are kept as the hosts' text, and the printed snapshot is byte for
    // byte the one serialising the parsed lanes gives.
    const copied = await scanFleetByHost(nc, inbox, systemClock);
    expect([...(copied?.lanes.values() ?? [])].map((l) => l.text !== undefined)).toEqual([
      true,
      true,
      true,
    ]);
    const now = Date.now();
    if (copied)
      expect(fleetSnapshotJson(copied, now)).toBe(JSON.stringify(fleetSnapshot(copied, now)));

    const board = await connectFleet({ url: nats.url, name: 'laneboard/test-scan' });
    try {
      // A lane-key write the host's copy does not hold: read from the tail.
      const a1 = await board.fleet.get('lane.alpha.a1');
      const changed = { ...(a1?.json<Record<string, unknown>>() ?? {}), phase: 'from-tail' };
      await board.fleet.put('lane.alpha.a1', JSON.stringify(changed));
      const withTail = await scanFleetByHost(nc, inbox, systemClock);
      const a1Now = withTail?.lanes.get('lane.alpha.a1');
      expect(a1Now && remoteValue(a1Now)?.phase).toBe('from-tail');
      expect(await same()).not.toBeNull();

      // A host that wrote a liveness record and no copy: decline.
      await board.fleet.put('host.old', JSON.stringify({ host: 'old', online: true }));
      expect(await scanFleetByHost(nc, inbox, systemClock)).toBeNull();
      await board.fleet.delete('host.old');
      expect(await same()).not.toBeNull();

      // A lane key no copy names (left by an earlier run, or a host without copies), and a
      // deleted key's marker: read alone, the same fleet as every lane key.
      await board.fleet.put('lane.ghost.x', JSON.stringify({ id: 'x' }));
      await board.fleet.put('lane.ghost.y', JSON.stringify({ id: 'y' }));
      await board.fleet.delete('lane.ghost.y');
      const alone = await scanFleetByHost(nc, inbox, systemClock);
      expect([...(alone?.lanes.keys() ?? [])].filter((k) => k.startsWith('lane.ghost'))).toEqual([
        'lane.ghost.x',
      ]);
      expect(await same()).not.toBeNull();

      // More such keys than it reads alone: decline (every lane key is read instead).
      for (let i = 0; i < 64; i += 1) await board.fleet.delete(`lane.ghost.z${i}`);
      expect(await scanFleetByHost(nc, inbox, systemClock)).toBeNull();
    } finally {
      await board.close();
    }
  });

  it('a lane removed while its host was stopped is deleted when the host starts again; the copy read stays on', async () => {
    nats = await startNats();
    const dir = makeTempDir('lb-fleet-record-');
    try {
      const recordFile = join(dir, 'fleet-lanes.json');
      const first = await harness.host('alpha', nats.url, ['a', 'b'], { recordFile });
      core = await connectCore(nats.url, undefined, 'laneboard-json/test');
      const { nc, inbox } = core;
      const ids = (maps: FleetMaps | null): string[] | null =>
        maps === null ? null : [...maps.lanes.values()].map((l) => l.laneId).sort();
      await waitFor(
        async () => ids(await scanFleetByHost(nc, inbox, systemClock))?.join() === 'a,b',
        10_000,
        'a and b from the copy',
      );
      await first.fleet.dispose();
      await first.sup.dispose();
      // b left lanes.yaml while the runtime was stopped; the host starts again.
      await harness.host('alpha', nats.url, ['a'], { recordFile });
      const read = await waitFor(
        async () => {
          const maps = await scanFleetByHost(nc, inbox, systemClock);
          return ids(maps)?.join() === 'a' ? maps : null;
        },
        5_000,
        'only a, from the copy (not the per-lane read)',
      );
      expect(ids(read)).toEqual(['a']);
      const scan = await scanBucket(nc, FLEET_BUCKET, inbox(), systemClock);
      expect(scan.entries.find((e) => e.key === 'lane.alpha.b')?.operation).toBe('DEL');
      // The record names only what may still have a key: b's delete was acknowledged.
      await waitFor(
        () => readFileSync(recordFile, 'utf8') === '{"version":1,"hosts":{"alpha":["a"]}}\n',
        5_000,
        'the record to drop b',
      );
      const board = await connectFleet({ url: nats.url, name: 'laneboard/test-record' });
      const reader = createFleetReader({ kv: board.fleet, nc: board.nc, clock: systemClock });
      try {
        await reader.start();
        expect([...reader.state().lanes.keys()]).toEqual(['lane.alpha.a']);
      } finally {
        await reader.dispose();
        await board.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
