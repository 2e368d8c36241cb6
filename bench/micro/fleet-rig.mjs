#!/usr/bin/env node
/**
 * A standing fleet for measuring `laneboard --json --nats` (bench/micro/fleet-ab.mjs):
 * the state bench/fleet.mjs reads in its `--json` runs, kept running. One nats-server
 * 2.9 (JetStream, store under ROOT, free loopback port), two hosts (`laneboard serve
 * --nats`, alpha and beta) of N real worktrees each (bench/lib/fixture.mjs; the
 * worktrees are kept in ROOT and reused by the next start), and the same 40 bridge writes
 * the bench makes before its `--json` runs. Writes the server URL to ROOT/url and runs
 * until SIGINT/SIGTERM.
 *
 * Usage: node bench/micro/fleet-rig.mjs ROOT [--n N] [--bin path/to/bin/laneboard.js]
 * (`--bin`: the build the hosts run; a frozen copy keeps them independent of rebuilds).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import kvPkg from '@nats-io/kv';
import tnPkg from '@nats-io/transport-node';
import { createFixture, growWorktrees, laneIds, writeConfig } from '../lib/fixture.mjs';
import { createProcs, startNatsServer } from '../lib/fleet-procs.mjs';

const args = process.argv.slice(2);
const root = resolve(args[0] ?? 'fleet-rig');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const N = Number(opt('--n', '250'));
const BIN = resolve(
  opt('--bin', fileURLToPath(new URL('../../bin/laneboard.js', import.meta.url))),
);
const WORKER = fileURLToPath(new URL('../fixture/worker.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const procs = createProcs();
const stdio = /** @type {const} */ (['ignore', 'ignore', 'inherit']);
process.on('SIGINT', () => (procs.stopAll(), setTimeout(() => process.exit(0), 2_000)));
process.on('SIGTERM', () => (procs.stopAll(), setTimeout(() => process.exit(0), 2_000)));

await mkdir(root, { recursive: true });
await rm(join(root, 'store'), { recursive: true, force: true });
const { url } = await startNatsServer(procs, root, { stdio });
const hosts = [];
for (const name of ['alpha', 'beta']) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'repo'))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    const fx = await createFixture(dir);
    await growWorktrees(fx, N);
  }
  const config = await writeConfig({ root: dir }, N, { supervised: 2, workerScript: WORKER });
  await rm(join(dir, '.laneboard'), { recursive: true, force: true });
  for (const id of laneIds(N))
    await mkdir(join(dir, '.laneboard', 'lanes', id), { recursive: true });
  hosts.push({ name, dir, config });
}
await sleep(500);
for (const h of hosts)
  procs.start(process.execPath, [BIN, 'serve', '-c', h.config, '--nats', url, '--host', h.name], {
    stdio,
  });

const nc = await tnPkg.connect({ servers: url });
const kv = await new kvPkg.Kvm(nc).create('laneboard-fleet');
const t0 = Date.now();
for (;;) {
  const keys = [];
  for await (const k of await kv.keys('lanes.*')) keys.push(k);
  const lanes = [];
  for await (const k of await kv.keys('lane.>')) lanes.push(k);
  if (keys.length === 2 && lanes.length === 2 * N) break;
  if (Date.now() - t0 > 180_000)
    throw new Error(`only ${lanes.length} lanes, ${keys.length} copies`);
  await sleep(500);
}
await sleep(3_000);
// The bench's 40 bridge writes (its step 1), one every 100 ms.
const ids = laneIds(N);
for (let i = 0; i < 40; i += 1) {
  const h = hosts[i % 2];
  const dir = join(h.dir, '.laneboard', 'lanes', ids[(i * 7) % N]);
  const state = {
    schema: 'laneboard.state/1',
    status: 'running',
    phase: `bench-${i}-${Date.now()}`,
    updatedAt: new Date().toISOString(),
  };
  await writeFile(join(dir, 'state.json.bench'), JSON.stringify(state));
  await rename(join(dir, 'state.json.bench'), join(dir, 'state.json'));
  await sleep(100);
}
await sleep(2_000);
await nc.close();
await writeFile(join(root, 'url'), `${url}\n`);
process.stderr.write(`fleet rig ready: ${url}\n`);
await new Promise(() => undefined);
