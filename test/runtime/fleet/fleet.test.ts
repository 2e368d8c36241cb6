/**
 * The fleet against a real nats-server (JetStream, temp store, free loopback port): two
 * hosts with real supervisors publish into one bucket, a reader builds the fleet
 * snapshot, and commands travel board → host with receipts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectFleet, type FleetConnection } from '../../../src/runtime/fleet/connect.js';
import { fleetSnapshot } from '../../../src/runtime/fleet/fleet-snapshot.js';
import { createFleetReader, type FleetReader } from '../../../src/runtime/fleet/reader.js';
import { sendCommand } from '../../../src/runtime/fleet/sender.js';
import { systemClock } from '../../../src/runtime/types.js';
import { fleetHarness } from '../../helpers/fleet-hosts.js';
import { startNats, type TestNats } from '../../helpers/nats-server.js';
import { loadSnapshotValidator } from '../../helpers/e2e-schema.js';
import { waitFor } from '../../helpers/supervisor-helpers.js';

const harness = fleetHarness();
let nats: TestNats;
let board: FleetConnection;
let reader: FleetReader;

type Lane = {
  id: string;
  host: string;
  hostOnline: boolean;
  worker: { state: string; pid: number | null };
  steering: { text: string }[];
};

const snap = () =>
  fleetSnapshot(reader.state(), Date.now()) as {
    lanes: Lane[];
    hosts: { id: string; online: boolean; lastSeen: string | null }[];
    counts: { lanes: number; running: number };
  };
const lane = (host: string, id: string): Lane | undefined =>
  snap().lanes.find((l) => l.host === host && l.id === id);

beforeEach(async () => {
  nats = await startNats();
  board = await connectFleet({ url: nats.url, name: 'laneboard/test-board' });
  reader = createFleetReader({
    kv: board.fleet,
    nc: board.nc,
    clock: systemClock,
    ready: board.ready,
  });
  await reader.start();
});

afterEach(async () => {
  await harness.cleanup();
  await reader.dispose();
  await board.close();
  await nats.dispose();
});

describe('fleet on NATS JetStream KV', () => {
  it('shows two hosts on one board, grouped by host, every lane carrying its host', async () => {
    await harness.host('alpha', nats.url, ['a1', 'a.2']);
    await harness.host('beta', nats.url, ['b1']);
    await waitFor(() => snap().lanes.length === 3, 5_000, 'three lanes');
    const s = snap();
    expect(s.lanes.map((l) => `${l.host}/${l.id}`)).toEqual(['alpha/a.2', 'alpha/a1', 'beta/b1']);
    expect(s.hosts.map((h) => [h.id, h.online])).toEqual([
      ['alpha', true],
      ['beta', true],
    ]);
    expect(s.lanes.every((l) => l.hostOnline)).toBe(true);
    expect(s.counts.lanes).toBe(3);
    const validate = loadSnapshotValidator(
      new URL('../../../schema/snapshot.schema.json', import.meta.url).pathname,
    );
    expect(validate(s)).toEqual([]);
  });

  it('remote start, restart and steer come back with receipts; the fleet shows the new pid', async () => {
    const alpha = await harness.host('alpha', nats.url, ['a1']);
    await waitFor(() => lane('alpha', 'a1'), 5_000, 'lane a1');
    const states: string[] = [];
    const started = await sendCommand(board, {
      host: 'alpha',
      laneId: 'a1',
      verb: 'start',
      onState: (s) => states.push(s),
    });
    expect(started.state).toBe('done');
    expect(states).toEqual(['pending', 'delivered', 'done']);
    const first = await waitFor(
      () =>
        lane('alpha', 'a1')?.worker.state === 'running' ? lane('alpha', 'a1')?.worker.pid : null,
      5_000,
      'running pid',
    );
    const restarted = await sendCommand(board, { host: 'alpha', laneId: 'a1', verb: 'restart' });
    expect(restarted.state).toBe('done');
    await waitFor(
      () => {
        const w = lane('alpha', 'a1')?.worker;
        return w?.state === 'running' && w.pid !== null && w.pid !== first;
      },
      5_000,
      'a new pid',
    );
    const steered = await sendCommand(board, {
      host: 'alpha',
      laneId: 'a1',
      verb: 'steer',
      text: 'focus on the parser',
    });
    expect(steered).toMatchObject({ state: 'done', receipt: { steer: { state: 'pending' } } });
    await waitFor(
      () => lane('alpha', 'a1')?.steering.some((m) => m.text === 'focus on the parser'),
      5_000,
      'steering message in the fleet snapshot',
    );
    expect(alpha.calls.get('restart:a1')).toBe(1);
    expect(alpha.calls.get('steer:a1')).toBe(1);
  });

  it('an unknown lane gets a failed receipt; a command to a host that never answers is not delivered', async () => {
    await harness.host('alpha', nats.url, ['a1']);
    const unknown = await sendCommand(board, { host: 'alpha', laneId: 'nope', verb: 'stop' });
    expect(unknown).toMatchObject({ state: 'failed', receipt: { error: 'no lane nope' } });
    const lost = await sendCommand(board, {
      host: 'ghost',
      laneId: 'x',
      verb: 'restart',
      deliverTimeoutMs: 300,
    });
    expect(lost.state).toBe('not_delivered');
  });
});
