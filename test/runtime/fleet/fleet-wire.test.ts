/**
 * The one-shot fleet clients on the core NATS client alone, against a real nats-server
 * and a real host (real supervisor, real worker): the lean verb's wire sender
 * (src/runtime/fleet/verb-wire.ts) — no bucket yet → null (the full path takes over),
 * receipts in order, an unknown lane failed, a silent host expired — and remote worker
 * logs (src/runtime/fleet/logs.ts): tail, follow from an offset, unknown lane, no host;
 * and liveness of values already in the bucket when a reader starts, by server time
 * even when the reader's clock is skewed (src/runtime/fleet/server-clock.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectFleet } from '../../../src/runtime/fleet/connect.js';
import { fleetSnapshot } from '../../../src/runtime/fleet/fleet-snapshot.js';
import {
  applyEntryTo,
  createFleetReader,
  type FleetMaps,
} from '../../../src/runtime/fleet/reader.js';
import { connectCore, type CoreConnection } from '../../../src/runtime/fleet/connect-core.js';
import { LogRequestError, NoLogServiceError, requestLog } from '../../../src/runtime/fleet/logs.js';
import { sendCommandWire } from '../../../src/runtime/fleet/verb-wire.js';
import { scanBucket } from '../../../src/runtime/fleet/bucket-scan.js';
import { FLEET_BUCKET } from '../../../src/runtime/fleet/keys.js';
import { fleetHarness } from '../../helpers/fleet-hosts.js';
import { startNats, type TestNats } from '../../helpers/nats-server.js';
import { waitFor } from '../../helpers/supervisor-helpers.js';
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

describe('fleet over the core NATS client', () => {
  it('lean verb: null without a bucket; receipts in order; unknown lane failed; a silent host expired', async () => {
    nats = await startNats();
    core = await connectCore(nats.url, undefined, 'laneboard-cli/test');
    const c = core;
    const send = (host: string, laneId: string, verb: 'start' | 'restart', ms?: number) => {
      const states: string[] = [];
      const out = sendCommandWire(c.nc, c.inbox(), {
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
});
