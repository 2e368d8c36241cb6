/**
 * The parts the fleet benchmarks share (bench/fleet.mjs, bench/micro/fleet-restart.mjs,
 * bench/micro/fleet-rig.mjs): the child processes they start and stop, a free loopback
 * port, a nats-server with JetStream on it, one host's fixture (real worktrees and its
 * lanes.yaml, bench/lib/fixture.mjs) and the teardown.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createFixture, growWorktrees, laneIds, writeConfig } from './fixture.mjs';

/**
 * A set of child processes started by {@link Procs.start}: `stopAll` sends SIGTERM to
 * those still running, `killAll` SIGKILL.
 * @typedef {{
 *   start: (cmd: string, argv: string[], opts?: import('node:child_process').SpawnOptions) =>
 *     { child: import('node:child_process').ChildProcess, stderr: () => string },
 *   stopAll: () => void,
 *   killAll: () => void,
 * }} Procs
 */

/**
 * Track the children a bench starts (stderr kept for error messages, stdout ignored).
 * @returns {Procs}
 */
export function createProcs() {
  const children = new Set();
  return {
    start(cmd, argv, opts = {}) {
      const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
      children.add(child);
      child.on('exit', () => children.delete(child));
      let err = '';
      child.stderr?.on('data', (d) => (err += d));
      return { child, stderr: () => err };
    },
    stopAll: () => {
      for (const c of children) c.kill('SIGTERM');
    },
    killAll: () => {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}

/**
 * A free TCP port on 127.0.0.1 (listen on port 0, read it, close).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start `nats-server` with JetStream, its store in `<root>/store`, on a free loopback port
 * (never 4222). Does not wait for it to accept clients (the callers' first connect does).
 * @param {Procs} procs Where the process is tracked.
 * @param {string} root Directory for the store.
 * @param {import('node:child_process').SpawnOptions} [opts] Extra spawn options.
 * @returns {Promise<{url: string, proc: ReturnType<Procs['start']>}>}
 */
export async function startNatsServer(procs, root, opts = {}) {
  const port = await freePort();
  const argv = ['-js', '-sd', join(root, 'store'), '-a', '127.0.0.1', '-p', String(port)];
  return { url: `nats://127.0.0.1:${port}`, proc: procs.start('nats-server', argv, opts) };
}

/**
 * One host's fixture in the new directory `dir`: `n` real worktrees, a lanes.yaml with 2
 * supervised lanes running `workerScript`, and every lane's bridge dir (agents create them;
 * the bench writes there).
 * @param {string} dir Directory to create.
 * @param {number} n Lanes.
 * @param {string} workerScript Absolute path of the supervised lanes' worker.
 * @returns {Promise<string>} The lanes.yaml path.
 */
export async function hostFixture(dir, n, workerScript) {
  await mkdir(dir);
  const fx = await createFixture(dir);
  await growWorktrees(fx, n);
  const config = await writeConfig(fx, n, { supervised: 2, workerScript });
  for (const id of laneIds(n))
    await mkdir(join(dir, '.laneboard', 'lanes', id), { recursive: true });
  return config;
}

/**
 * Close the bench's NATS client, stop every child (SIGTERM, then SIGKILL after `graceMs`)
 * and remove `root`. Never rejects on a client that fails to close.
 * @param {{close: () => Promise<unknown>} | null} nc The bench's connection, if any.
 * @param {Procs} procs The children.
 * @param {string} root The bench's temp dir.
 * @param {number} graceMs Time given to SIGTERM (ms).
 */
export async function teardown(nc, procs, root, graceMs) {
  await nc?.close().catch(() => undefined);
  procs.stopAll();
  await new Promise((r) => setTimeout(r, graceMs));
  procs.killAll();
  await rm(root, { recursive: true, force: true });
}
