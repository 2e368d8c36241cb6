/**
 * The one-shot fleet clients on the core NATS client alone, against a real nats-server
 * and a real host (real supervisor, real worker): the lean verb's wire sender
 * (src/runtime/fleet/verb-wire.ts) — no bucket yet → null (the full path takes over),
 * receipts in order, an unknown lane failed, a silent host expired — and remote worker
 * logs (src/runtime/fleet/logs.ts): tail, follow from an offset, unknown lane, no host;
 * and liveness of values already in the bucket when a reader starts.
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
    const entries = await scanBucket(c.nc, FLEET_BUCKET, c.inbox());
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

  it('values already in the bucket at reader start: a host silent > 15 s is offline at once (watch and scan)', async () => {
    nats = await startNats();
    const board = await connectFleet({ url: nats.url, name: 'laneboard/test-board' });
    try {
      const rec = { host: 'old', online: true, seq: 1, lanes: 1, version: 'x' };
      await board.fleet.put('host.old', JSON.stringify(rec));
      await board.fleet.put('lane.old.l1', JSON.stringify({ id: 'l1', host: 'old', seq: 1 }));
      // A reader whose clock reads `later` ms after the record was written (no sleeping:
      // the reader's clock is the only clock in the rule, the record's age the server's).
      const judge = async (later: number) => {
        const clock = { now: () => Date.now() + later };
        const reader = createFleetReader({ kv: board.fleet, nc: board.nc, clock });
        await reader.start();
        const watched = fleetSnapshot(reader.state(), clock.now()) as Snap;
        await reader.dispose();
        const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
        for (const e of await scanBucket(board.nc, FLEET_BUCKET, `_INBOX.t${later}`))
          applyEntryTo(maps, e, clock.now(), true);
        const scanned = fleetSnapshot(maps, clock.now()) as Snap;
        return [watched, scanned].map((x) => [x.hosts[0]?.online, x.lanes[0]?.hostOnline]);
      };
      expect(await judge(16_000)).toEqual([
        [false, false],
        [false, false],
      ]);
      expect(await judge(5_000)).toEqual([
        [true, true],
        [true, true],
      ]);
    } finally {
      await board.close();
    }
  });
});
