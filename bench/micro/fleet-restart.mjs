#!/usr/bin/env node
/**
 * Interleaved A/B of the remote restart (issue #13: `laneboard restart <host>/<lane> --nats`
 * → new pid in the fleet bucket), for judging a change to the verb or to the host's
 * restart path without the rest of `npm run bench:fleet`.
 *
 * One nats-server (JetStream, temp store, free loopback port); per build one host of N
 * real worktrees (bench/lib/fixture.mjs; the first 2 lanes supervised by the bench worker)
 * served by that build's `laneboard serve --nats --host <b0|b1…>`; then R rounds, each
 * running every build's verb once against its own host (order rotated every round), timed
 * from spawn to exit, with the time of each progress line (`pending`, `delivered`, `done`)
 * and of the new pid seen by a KV watch of the bucket, and the host's CPU time (user +
 * system of the serve process, ms) from the verb's spawn to 300 ms after its exit.
 *
 * Usage: `node bench/micro/fleet-restart.mjs [--n N] [--rounds R] DIR...` where each DIR is
 * a laneboard checkout or copy holding `bin/`, `dist/` and `package.json` (a build). Prints
 * per-build medians (ms) and the load average before and after.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import kvPkg from '@nats-io/kv';
import tnPkg from '@nats-io/transport-node';
import { createProcs, hostFixture, startNatsServer, teardown } from '../lib/fleet-procs.mjs';
import { readStat, CLK_TCK } from '../lib/proc.mjs';
import { summarize } from '../lib/stats.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const N = opt('--n', 250);
const ROUNDS = opt('--rounds', 15);
const builds = args.map((d) => resolve(d));
if (builds.length === 0) {
  process.stderr.write('usage: fleet-restart.mjs [--n N] [--rounds R] BUILD_DIR...\n');
  process.exit(2);
}
const WORKER = fileURLToPath(new URL('../fixture/worker.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const procs = createProcs();
const { start } = procs;
process.on('SIGINT', () => (procs.stopAll(), process.exit(130)));

/** Run one verb; resolves with its timings (ms after spawn). */
function verb(build, host, url) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const marks = {};
    const child = spawn(
      process.execPath,
      [join(build, 'bin', 'laneboard.js'), 'restart', `${host}/l000`, '--nats', url],
      { cwd: os.tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      const t = performance.now() - t0;
      err += d;
      for (const s of ['pending', 'delivered', 'done']) {
        if (marks[s] === undefined && err.includes(`: ${s}`)) marks[s] = t;
      }
    });
    child.on('exit', (code) => {
      const exit = performance.now() - t0;
      if (code !== 0) rej(new Error(`verb exit ${code}: ${err}`));
      else res({ ...marks, exit });
    });
  });
}

const root = await mkdtemp(join(os.tmpdir(), 'lb-restart-ab-'));
let nc = null;
try {
  const { url } = await startNatsServer(procs, root);
  const hosts = [];
  for (const [i, build] of builds.entries()) {
    const config = await hostFixture(join(root, `h${i}`), N, WORKER);
    hosts.push({ name: `b${i}`, build, config });
  }
  await sleep(500);
  nc = await tnPkg.connect({ servers: url });
  const kv = await new kvPkg.Kvm(nc).create('laneboard-fleet');
  const serves = hosts.map((h) =>
    start(process.execPath, [
      join(h.build, 'bin', 'laneboard.js'),
      'serve',
      '-c',
      h.config,
      '--nats',
      url,
      '--host',
      h.name,
    ]),
  );
  const pids = new Map();
  const waiters = new Set();
  const watch = await kv.watch({ key: 'lane.*.l000' });
  void (async () => {
    for await (const e of watch) {
      if (e.operation !== 'PUT') continue;
      const w = JSON.parse(e.string()).worker;
      if (w?.state !== 'running' || w.pid === null) continue;
      pids.set(e.key, w.pid);
      for (const f of waiters) f(e.key, w.pid);
    }
  })();
  const t0 = Date.now();
  while (pids.size < hosts.length) {
    if (Date.now() - t0 > 120_000)
      throw new Error(`hosts not up\n${serves.map((s) => s.stderr()).join('\n')}`);
    await sleep(100);
  }
  await sleep(5_000); // the first git probes settle
  const results = hosts.map(() => []);
  const loadBefore = load();
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < hosts.length; k += 1) {
      const i = (r + k) % hosts.length;
      const h = hosts[i];
      const key = `lane.${h.name}.l000`;
      const before = pids.get(key);
      const t = performance.now();
      const seen = new Promise((res) => {
        const f = (k2, pid) => {
          if (k2 !== key || pid === before) return;
          waiters.delete(f);
          res(performance.now() - t);
        };
        waiters.add(f);
      });
      const hostPid = serves[i].child.pid;
      const c0 = readStat(hostPid)?.selfTicks ?? 0;
      const v = await verb(h.build, h.name, url);
      const pid = await seen;
      await sleep(300);
      const cpu = (((readStat(hostPid)?.selfTicks ?? 0) - c0) * 1000) / CLK_TCK;
      results[i].push({ ...v, pid, cpu });
    }
  }
  const loadAfter = load();
  process.stdout.write(
    `remote restart A/B: ${N} lanes per host, ${ROUNDS} rounds, load ${loadBefore} → ${loadAfter}\n`,
  );
  for (const [i, h] of hosts.entries()) {
    const cols = ['pending', 'delivered', 'done', 'exit', 'pid', 'cpu'].map((c) => {
      const s = summarize(results[i].map((x) => x[c] ?? null));
      return `${c} ${s.median?.toFixed(1)} (${s.min?.toFixed(0)}–${s.max?.toFixed(0)})`;
    });
    process.stdout.write(`${h.build}: ${cols.join('  ')}\n`);
  }
  watch.stop();
} finally {
  await teardown(nc, procs, root, 2_000);
}
