#!/usr/bin/env node
/**
 * `npm run bench:fleet`: the fleet on one machine (issue #13 targets). Starts a real
 * nats-server (JetStream, temp store, free loopback port), builds two fixtures of N lanes
 * each (real git worktrees, bench/lib/fixture.mjs), runs two `laneboard serve --nats`
 * hosts (alpha, beta), then prints:
 * - bridge write → new lane value in the fleet bucket (ms; p50/p95 over samples; target
 *   p95 ≤ 150) — a state.json rewritten on a host, timed until a KV watch sees its phase;
 * - `laneboard --json --nats` at 2N lanes vs `node -e 0` (ms, medians; target ≤ 2×);
 * - CPU of nats-server + both hosts while every lane's state.json is rewritten once a
 *   second (% of one core over 10 s; target ≤ 60 %);
 * - remote restart: `laneboard restart alpha/l000` until the new pid is in the bucket (ms;
 *   3 s after the update storm above ended, as pm2 is timed on an idle daemon),
 *   beside `pm2 restart` of one process under a private pm2 daemon (bench/peers/pm2.mjs,
 *   installed into bench/.peers on first use; target ≤ 0.5 × pm2's median); the two
 *   alternate, one of each per round (order swapped every round), medians of the rounds.
 * The `--json` and `node -e 0` runs alternate in the same loop (same load for both); the
 * load average is printed with the figures (the machine may be shared).
 * Flags: `--n N` lanes per host (default 250), `--samples K` (default 40), `--restarts R`
 * rounds of the restart comparison (default 9).
 * Everything it starts is stopped in `finally` (and on SIGINT/SIGTERM).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, rename, mkdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kvPkg from '@nats-io/kv';
import tnPkg from '@nats-io/transport-node';
import { laneIds } from './lib/fixture.mjs';
import { createProcs, hostFixture, startNatsServer, teardown } from './lib/fleet-procs.mjs';
import { readStat, CLK_TCK } from './lib/proc.mjs';
import { installPeers } from './peers/index.mjs';
import { pm2One, pm2RestartTimes } from './peers/pm2.mjs';
import { summarize } from './lib/stats.mjs';

const args = process.argv.slice(2);
const argOf = (name, dflt) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const N = argOf('--n', 250);
const SAMPLES = argOf('--samples', 40);
const RESTARTS = argOf('--restarts', 9);
const BIN = fileURLToPath(new URL('../bin/laneboard.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixture/worker.mjs', import.meta.url));
const procs = createProcs();
const { start } = procs;
process.on('SIGINT', () => (procs.stopAll(), process.exit(130)));
process.on('SIGTERM', () => (procs.stopAll(), process.exit(143)));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = (cmd, argv) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: os.tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout.toString() };
};
const fmt = (v) => (v === null ? '—' : v.toFixed(1));

const root = await mkdtemp(join(os.tmpdir(), 'lb-bench-fleet-'));
let nc = null;
try {
  const { url, proc: nats } = await startNatsServer(procs, root);
  process.stderr.write(`fleet bench: ${N} lanes × 2 hosts, building worktrees…\n`);
  const hosts = [];
  for (const name of ['alpha', 'beta']) {
    const dir = join(root, name);
    const config = await hostFixture(dir, N, WORKER); // bridge dirs exist before the hosts start
    hosts.push({ name, dir, config });
  }
  const serves = hosts.map((h) =>
    start(process.execPath, [BIN, 'serve', '-c', h.config, '--nats', url, '--host', h.name]),
  );

  nc = await tnPkg.connect({ servers: url });
  const kv = await new kvPkg.Kvm(nc).create('laneboard-fleet');
  /** key → latest value text */
  const seen = new Map();
  const waiters = new Set();
  const watch = await kv.watch({ key: 'lane.>' });
  void (async () => {
    for await (const e of watch) {
      if (e.operation !== 'PUT') continue;
      const text = e.string();
      seen.set(e.key, text);
      for (const w of waiters) w(e.key, text);
    }
  })();
  const until = (pred, timeoutMs) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => (waiters.delete(w), reject(new Error('timeout'))), timeoutMs);
      const w = (k, text) => {
        if (!pred(k, text)) return;
        clearTimeout(t);
        waiters.delete(w);
        resolve(performance.now());
      };
      waiters.add(w);
    });
  const t0 = Date.now();
  while (seen.size < 2 * N) {
    if (Date.now() - t0 > 120_000)
      throw new Error(
        `only ${seen.size} lanes in the bucket\n${serves.map((s) => s.stderr()).join('\n')}`,
      );
    await sleep(100);
  }
  await sleep(3_000); // let the first git probes settle

  // 1. bridge write → fleet value
  const ids = laneIds(N);
  const lat = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const h = hosts[i % 2];
    const id = ids[(i * 7) % N];
    const marker = `bench-${i}-${Date.now()}`;
    const dir = join(h.dir, '.laneboard', 'lanes', id);
    const seenP = until(
      (k, text) => k.endsWith(`.${id}`) && k.startsWith(`lane.${h.name}.`) && text.includes(marker),
      5_000,
    );
    const tw = performance.now();
    const state = {
      schema: 'laneboard.state/1',
      status: 'running',
      phase: marker,
      updatedAt: new Date().toISOString(),
    };
    await writeFile(join(dir, 'state.json.bench'), JSON.stringify(state));
    await rename(join(dir, 'state.json.bench'), join(dir, 'state.json'));
    lat.push(
      await seenP.then(
        (t) => t - tw,
        () => null,
      ),
    );
    await sleep(100);
  }
  const l = summarize(lat);

  // 2. fleet --json vs node -e 0
  const jsonRuns = [];
  const nodeRuns = [];
  let lanes = 0;
  for (let i = 0; i < 11; i += 1) {
    nodeRuns.push(wallMs(process.execPath, ['-e', '0']).ms);
    const r = wallMs(process.execPath, [BIN, '--json', '--nats', url]);
    jsonRuns.push(r.ms);
    lanes = JSON.parse(r.stdout).lanes.length;
  }
  const j = summarize(jsonRuns);
  const nd = summarize(nodeRuns);

  // 3. CPU at 2N lanes × 1 update/s
  const pids = [nats.child.pid, ...serves.map((s) => s.child.pid)];
  const ticks = () => pids.reduce((s, p) => s + (readStat(p)?.selfTicks ?? 0), 0);
  let stop = false;
  const writer = (async () => {
    let n = 0;
    while (!stop) {
      const t = performance.now();
      await Promise.all(
        hosts.flatMap((h) =>
          ids.map(async (id) => {
            const dir = join(h.dir, '.laneboard', 'lanes', id);
            const s = {
              schema: 'laneboard.state/1',
              status: 'running',
              phase: `tick ${n}`,
              updatedAt: new Date().toISOString(),
            };
            await writeFile(join(dir, 'state.json.bench'), JSON.stringify(s));
            await rename(join(dir, 'state.json.bench'), join(dir, 'state.json'));
          }),
        ),
      );
      n += 1;
      await sleep(Math.max(0, 1_000 - (performance.now() - t)));
    }
  })();
  await sleep(2_000);
  const c0 = ticks();
  const w0 = performance.now();
  await sleep(10_000);
  const cpu = (((ticks() - c0) / CLK_TCK) * 1000 * 100) / (performance.now() - w0);
  stop = true;
  await writer;
  // Let the hosts work off the last storm second before timing restarts (pm2 is timed idle).
  await sleep(3_000);

  // 4. remote restart → new pid in the bucket, alternating with the same restart under pm2
  // (one process, private daemon): one of each per round, the order swapped every round,
  // so both see the same load; medians over RESTARTS rounds.
  const key = 'lane.alpha.l000';
  const pidOf = () => JSON.parse(seen.get(key) ?? '{}').worker?.pid ?? null;
  const verbRestart = async () => {
    const before = pidOf();
    const p = until((k, text) => {
      if (k !== key) return false;
      const w = JSON.parse(text).worker;
      return w?.state === 'running' && w.pid !== null && w.pid !== before;
    }, 15_000);
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'restart', 'alpha/l000', '--nats', url], {
      cwd: os.tmpdir(),
    });
    if (r.status !== 0) throw new Error(`restart failed: ${r.stderr}`);
    verbExits.push(performance.now() - t);
    restarts.push(
      await p.then(
        (x) => x - t,
        () => null,
      ),
    );
  };
  const restarts = [];
  const verbExits = [];
  const pm2Times = [];
  const pm2Root = join(root, 'pm2');
  const stopPm2 = (await installPeers((m) => process.stderr.write(`${m}\n`)))
    ? await mkdir(pm2Root).then(() => pm2One(pm2Root))
    : null;
  try {
    for (let i = 0; i < RESTARTS; i += 1) {
      const pm2Once = async () => {
        if (stopPm2) pm2Times.push(...(await pm2RestartTimes(pm2Root, 'l000', 1)));
      };
      if (i % 2 === 0) await verbRestart().then(pm2Once);
      else await pm2Once().then(verbRestart);
    }
  } finally {
    await stopPm2?.();
  }
  const rs = summarize(restarts);
  const ve = summarize(verbExits);
  const pm2 = stopPm2 ? summarize(pm2Times) : null;
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

  const out = [
    `fleet bench — 2 hosts × ${N} lanes (${lanes} in the fleet snapshot), nats-server ${nc.info?.version}, ${os.cpus().length} cores`,
    `bridge write → fleet value (ms)   p50 ${fmt(l.median)}  p95 ${fmt(l.p95)}  (${l.runs - l.failed}/${l.runs})  target p95 ≤ 150: ${l.p95 !== null && l.p95 <= 150 ? 'PASS' : 'MISS'}`,
    `--json --nats (ms, median)        ${fmt(j.median)}  vs node -e 0 ${fmt(nd.median)}  ratio ${fmt(j.median / nd.median)}×  target ≤ 2×: ${j.median <= 2 * nd.median ? 'PASS' : 'MISS'}`,
    `CPU at ${2 * N} lanes × 1 update/s   ${fmt(cpu)} % of a core (nats-server + 2 hosts)  target ≤ 60 %: ${cpu <= 60 ? 'PASS' : 'MISS'}`,
    `remote restart → new pid (ms)     p50 ${fmt(rs.median)}  ${fmt(rs.min)}–${fmt(rs.max)}  (${rs.runs - rs.failed}/${rs.runs}; the verb returned at p50 ${fmt(ve.median)})  vs pm2 restart p50 ${pm2 ? `${fmt(pm2.median)}  ${fmt(pm2.min)}–${fmt(pm2.max)}` : '— (pm2 not installed)'}  ratio ${pm2 && rs.median !== null && pm2.median !== null ? `${(rs.median / pm2.median).toFixed(2)}×` : '—'}  target ≤ 0.5×: ${pm2 && rs.median !== null && pm2.median !== null ? (rs.median <= 0.5 * pm2.median ? 'PASS' : 'MISS') : '—'}`,
    `load average at the end (1/5/15 min): ${load}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  watch.stop();
} finally {
  await teardown(nc, procs, root, 3_000);
}
