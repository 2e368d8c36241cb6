/**
 * `laneboard serve --nats` stopping while the fleet's nats-server is down: SIGTERM still
 * stops the workers and exits promptly (the host cannot say goodbye in the bucket; boards
 * judge it offline by its silent liveness record instead).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetJson, serveHosts } from '../helpers/fleet-serve.js';
import { startNats, type TestNats } from '../helpers/nats-server.js';
import { isAlive } from '../helpers/e2e-cli.js';

const hosts = serveHosts();
let nats: TestNats;

beforeEach(async () => {
  nats = await startNats();
});
afterEach(async () => {
  await hosts.cleanup();
  await nats.dispose();
});

describe('serve --nats stop', () => {
  it('SIGTERM with the nats-server down: workers stopped, exit 0 within 5 s', async () => {
    const host = await hosts.start('delta', nats.url, ['d1', 'd2']);
    const snap = await fleetJson(nats.url, hosts.dir());
    const pids = snap.lanes.map((l) => l.worker.pid).filter((p): p is number => p !== null);
    expect(pids).toHaveLength(2);
    await nats.stop();
    const t0 = performance.now();
    host.cli.child.kill('SIGTERM');
    const { code } = await host.cli.exited;
    const ms = performance.now() - t0;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(host.cli.stderr()).toMatch(/stopped/);
  }, 60_000);
});
