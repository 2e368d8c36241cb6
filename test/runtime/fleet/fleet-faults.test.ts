/**
 * The fleet under faults, against a real nats-server: a host that dies goes offline
 * within 15 s with its lanes kept; a server restart loses no acknowledged command and
 * runs none twice, and lanes flow again within 5 s; per-host permissions (the sample
 * config docs/fleet-server.conf) keep a host out of another host's keys, commands and log
 * requests, and let it answer its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectFleet } from '../../../src/runtime/fleet/connect.js';
import { fleetSnapshot } from '../../../src/runtime/fleet/fleet-snapshot.js';
import { commandFilter, hostLanesKey, laneKey } from '../../../src/runtime/fleet/keys.js';
import { logSubject, requestLog } from '../../../src/runtime/fleet/logs.js';
import { createFleetReader } from '../../../src/runtime/fleet/reader.js';
import { sendCommand } from '../../../src/runtime/fleet/sender.js';
import { systemClock } from '../../../src/runtime/types.js';
import { fleetHarness } from '../../helpers/fleet-hosts.js';
import { startNats } from '../../helpers/nats-server.js';
import { makeTempDir, removeDir, waitFor } from '../../helpers/supervisor-helpers.js';

const harness = fleetHarness();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Lane = {
  id: string;
  host: string;
  hostOnline: boolean;
  worker: { state: string; pid: number | null };
};
type Snap = { lanes: Lane[]; hosts: { id: string; online: boolean; lastSeen: string | null }[] };

async function setup(config?: string, boardCreds?: string) {
  const nats = await startNats(config);
  cleanups.push(() => nats.dispose());
  const board = await connectFleet({
    url: nats.url,
    name: 'laneboard/test-board',
    creds: boardCreds,
  });
  const reader = createFleetReader({
    kv: board.fleet,
    nc: board.nc,
    clock: systemClock,
    ready: board.ready,
  });
  await reader.start();
  cleanups.push(async () => {
    await reader.dispose();
    await board.close();
  });
  const snap = (): Snap => fleetSnapshot(reader.state(), Date.now()) as Snap;
  return { nats, board, reader, snap };
}

describe('fleet faults', () => {
  it('a host whose runtime dies is offline within 15 s; its lanes stay listed, greyed', async () => {
    const { nats, snap } = await setup();
    await harness.host('alpha', nats.url, ['a1']);
    const beta = await harness.host('beta', nats.url, ['b1', 'b2']);
    await waitFor(() => snap().lanes.length === 3, 5_000, 'three lanes');
    // The runtime dies: its connection drops without a goodbye (no offline record).
    const diedAt = Date.now();
    await beta.fleet.connection()?.nc.close();
    await waitFor(
      () => snap().hosts.find((h) => h.id === 'beta')?.online === false,
      15_000,
      'beta offline',
    );
    expect(Date.now() - diedAt).toBeLessThan(15_000);
    const s = snap();
    expect(s.lanes.filter((l) => l.host === 'beta').map((l) => [l.id, l.hostOnline])).toEqual([
      ['b1', false],
      ['b2', false],
    ]);
    expect(s.hosts.find((h) => h.id === 'alpha')?.online).toBe(true);
    expect(s.hosts.find((h) => h.id === 'beta')?.lastSeen).toMatch(/^\d{4}-/);
  }, 30_000);

  it('a clean host stop is offline at once', async () => {
    const { nats, snap } = await setup();
    const alpha = await harness.host('alpha', nats.url, ['a1']);
    await waitFor(() => snap().hosts.find((h) => h.id === 'alpha')?.online, 5_000, 'alpha online');
    await alpha.fleet.dispose();
    await waitFor(
      () => snap().hosts.find((h) => h.id === 'alpha')?.online === false,
      2_000,
      'offline',
    );
    expect(snap().lanes.map((l) => l.id)).toEqual(['a1']);
  });

  it('server restart: runtimes and boards reconnect, lanes flow within 5 s, no acknowledged command lost or run twice', async () => {
    const { nats, board, snap } = await setup();
    const alpha = await harness.host('alpha', nats.url, ['a1', 'a2']);
    await waitFor(() => snap().lanes.length === 2, 5_000, 'two lanes');

    await nats.stop();
    await nats.start();
    const back = Date.now();
    // A command sent right after the server is back (the host may still be reconnecting).
    const started = await sendCommand(board, { host: 'alpha', laneId: 'a1', verb: 'start' });
    expect(started.state).toBe('done');
    await waitFor(
      () => snap().lanes.find((l) => l.id === 'a1')?.worker.state === 'running',
      5_000,
      'a1 running on the board',
    );
    expect(Date.now() - back).toBeLessThan(5_000);

    // An acknowledged command whose host is away: kept, run once when the host is back.
    await alpha.fleet.dispose();
    const pending = sendCommand(board, {
      host: 'alpha',
      laneId: 'a2',
      verb: 'start',
      deliverTimeoutMs: 20_000,
    });
    await nats.stop();
    await nats.start();
    await alpha.fleet.start();
    expect((await pending).state).toBe('done');
    await waitFor(
      () => snap().lanes.find((l) => l.id === 'a2')?.worker.state === 'running',
      5_000,
      'a2 running',
    );
    // The host restarts again and re-reads every command in the bucket: none runs twice.
    await alpha.fleet.dispose();
    await alpha.fleet.start();
    await alpha.fleet.flush();
    expect(alpha.calls.get('start:a1')).toBe(1);
    expect(alpha.calls.get('start:a2')).toBe(1);
  }, 60_000);

  it('permissions (docs/fleet-server.conf): a host writes only its own keys and consumes only its own commands', async () => {
    const conf = readFileSync(join(import.meta.dirname, '../../../docs/fleet-server.conf'), 'utf8');
    const dir = makeTempDir('lb-fleet-creds-');
    cleanups.push(() => removeDir(dir));
    const creds = (name: string, text: string): string => {
      const file = join(dir, name);
      writeFileSync(file, `${text}\n`, { mode: 0o600 });
      return file;
    };
    const { nats, board, snap } = await setup(
      conf,
      creds('operator', 'operator:change-me-operator'),
    );
    const alpha = await harness.host('alpha', nats.url, ['a1'], {
      creds: creds('alpha', 'alpha:change-me-alpha'),
    });
    await waitFor(() => snap().lanes.find((l) => l.host === 'alpha'), 5_000, 'alpha lane');
    // The operator commands alpha; alpha executes.
    expect((await sendCommand(board, { host: 'alpha', laneId: 'a1', verb: 'start' })).state).toBe(
      'done',
    );
    const conn = alpha.fleet.connection();
    if (!conn) throw new Error('alpha not connected');
    await expect(conn.fleet.put(laneKey('beta', 'b1'), '{}', { timeout: 2_000 })).rejects.toThrow();
    // Its one-value copy of its lanes (for one-shot readers) is allowed; beta's is not.
    await waitFor(() => board.fleet.get(hostLanesKey('alpha')), 5_000, 'lanes.alpha');
    expect(alpha.log.join('\n')).not.toMatch(/lanes\.alpha failed/);
    await expect(conn.fleet.put(hostLanesKey('beta'), '{}', { timeout: 2_000 })).rejects.toThrow();
    await expect(
      (async () => {
        const w = await conn.cmds.watch({ key: commandFilter('beta') });
        w.stop();
      })(),
    ).rejects.toThrow();
    // Alpha answers log requests for its lanes (subscribe + allow_responses), and only those.
    await waitFor(
      async () => /started/.test((await requestLog(board.nc, 'alpha', 'a1', { tail: 100 })).text),
      5_000,
      'alpha/a1 log over NATS',
    );
    const sneak = await connectFleet({
      url: nats.url,
      name: 'x',
      creds: creds('beta', 'beta:change-me-beta'),
    });
    cleanups.push(() => sneak.close());
    const denied = new Promise<string>(
      (resolve) =>
        void (async () => {
          for await (const st of sneak.nc.status())
            if (st.type === 'error') resolve(String(st.error));
        })(),
    );
    sneak.nc.subscribe(logSubject('alpha', 'a1'));
    expect(await denied).toMatch(/permissions violation.*laneboard\.log\.alpha/i);
    // A wrong password is refused with a clear message that does not echo it.
    await expect(
      connectFleet({
        url: nats.url,
        name: 'x',
        creds: creds('bad', 'alpha:wrong'),
        connectTimeoutMs: 2_000,
      }),
    ).rejects.toThrow(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: (?!.*wrong)/);
  }, 30_000);
});
