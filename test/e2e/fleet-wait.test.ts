/**
 * `laneboard wait <host>/<lane> --for … --nats URL` (the built CLI) against a real
 * nats-server and a real fleet host: exit 0 once the remote lane meets the condition,
 * 1 on timeout naming the lane, 2 for an unknown lane or condition, 3 when no runtime
 * runs for that host.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetHarness } from '../helpers/fleet-hosts.js';
import { startNats, type TestNats } from '../helpers/nats-server.js';
import { runCli, startCli } from '../helpers/e2e-cli.js';

const harness = fleetHarness();
let nats: TestNats;

beforeEach(async () => {
  nats = await startNats();
});
afterEach(async () => {
  await harness.cleanup();
  await nats.dispose();
});

describe('fleet wait', () => {
  it('waits for a remote lane to run; exit codes 1 (timeout), 2 (unknown lane / condition), 3 (no runtime)', async () => {
    await harness.host('alpha', nats.url, ['a1']);
    const wait = startCli([
      'wait',
      'alpha/a1',
      '--for',
      'running',
      '--nats',
      nats.url,
      '--timeout',
      '20s',
    ]);
    try {
      const start = await runCli(['start', 'alpha/a1', '--nats', nats.url]);
      expect(start.code).toBe(0);
      const done = await wait.exited;
      expect(wait.stderr()).toBe('');
      expect(done.code).toBe(0);
    } finally {
      wait.kill();
    }
    const timeout = await runCli([
      'wait',
      'alpha/a1',
      '--for',
      'green',
      '--nats',
      nats.url,
      '--timeout',
      '500',
    ]);
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toMatch(/timed out waiting for green: alpha\/a1/);
    const unknown = await runCli(['wait', 'alpha/nope', '--for', 'running', '--nats', nats.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown lane alpha\/nope/);
    const cond = await runCli(['wait', 'alpha/a1', '--for', 'sleepy', '--nats', nats.url]);
    expect(cond.code).toBe(2);
    const ghost = await runCli(['wait', 'ghost/x', '--for', 'running', '--nats', nats.url]);
    expect(ghost.code).toBe(3);
    expect(ghost.stderr).toMatch(/no runtime is running for host ghost/);
  }, 60_000);
});
