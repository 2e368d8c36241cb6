/**
 * The one-shot fleet clients on the core NATS client alone, against a real nats-server
 * and a real host (real supervisor, real worker): the lean verb's wire sender
 * (src/runtime/fleet/verb-wire.ts) — no bucket yet → null (the full path takes over),
 * receipts in order, an unknown lane failed, a silent host expired — and remote worker
 * logs (src/runtime/fleet/logs.ts): tail, follow from an offset, unknown lane, no host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectCore, type CoreConnection } from '../../../src/runtime/fleet/connect-core.js';
import { LogRequestError, NoLogServiceError, requestLog } from '../../../src/runtime/fleet/logs.js';
import { sendCommandWire } from '../../../src/runtime/fleet/verb-wire.js';
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

    const alpha = await harness.host('alpha', nats.url, ['a1']);
    const started = await send('alpha', 'a1', 'start');
    expect(started.out?.state).toBe('done');
    expect(started.states).toEqual(['pending', 'delivered', 'done']);
    const pid = alpha.store.getState().lanes.a1?.worker.pid;
    const restarted = await send('alpha', 'a1', 'restart');
    expect(restarted.out?.state).toBe('done');
    await waitFor(
      () => {
        const w = alpha.store.getState().lanes.a1?.worker;
        return w?.phase === 'running' && w.pid !== pid;
      },
      5_000,
      'a new pid',
    );
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
});
