#!/usr/bin/env node
/**
 * Interleaved wall and CPU times of `laneboard --json --nats URL` for several builds
 * against `node -e 0`, on a standing fleet (bench/micro/fleet-rig.mjs). One round runs
 * `node -e 0` and every build once, in an order rotated every round, so each sees the same
 * load; each run is timed as bench/fleet.mjs times it (spawnSync from the temp dir, wall
 * from spawn to exit, under `perf stat`) and its CPU is perf's `task-clock` (all threads).
 *
 * Usage: node bench/micro/fleet-ab.mjs URL ROUNDS LABEL=path/to/bin/laneboard.js...
 * Prints one line per run and the medians (ms) with the ratio to `node -e 0` and the load.
 * With LB_TRACE set in the environment, a build's stderr (its trace) is printed too.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

const [url, roundsArg, ...builds] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!url || !Number.isInteger(rounds) || builds.length === 0) {
  process.stderr.write('usage: fleet-ab.mjs URL ROUNDS LABEL=bin...\n');
  process.exit(2);
}
const cmds = [
  { label: 'node -e 0', argv: ['-e', '0'] },
  ...builds.map((b) => {
    const [label, bin] = b.split('=');
    return { label, argv: [bin, '--json', '--nats', url] };
  }),
];
const times = new Map(cmds.map((c) => [c.label, { wall: [], cpu: [] }]));
const load = () => os.loadavg()[0].toFixed(2);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const startLoad = load();
for (let r = 0; r < rounds; r += 1) {
  for (let k = 0; k < cmds.length; k += 1) {
    const c = cmds[(k + r) % cmds.length];
    const t0 = performance.now();
    const p = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', process.execPath, ...c.argv], {
      cwd: os.tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 28,
    });
    const wall = performance.now() - t0;
    const err = p.stderr.toString();
    const m = /^([\d.]+),msec,task-clock/m.exec(err);
    if (p.status !== 0 || !m) throw new Error(`${c.label} failed: ${err}`);
    const cpu = Number(m[1]);
    times.get(c.label).wall.push(wall);
    times.get(c.label).cpu.push(cpu);
    const trace = process.env.LB_TRACE ? err.slice(0, m.index).trim() : '';
    process.stdout.write(
      `${r} ${c.label.padEnd(10)} wall ${wall.toFixed(1)} cpu ${cpu.toFixed(0)}${trace ? `\n  ${trace}` : ''}\n`,
    );
  }
}
const base = median(times.get('node -e 0').wall);
for (const [label, t] of times) {
  const w = median(t.wall);
  process.stdout.write(
    `${label.padEnd(10)} wall ${w.toFixed(1)} (${(w / base).toFixed(2)}×)  cpu ${median(t.cpu).toFixed(0)}\n`,
  );
}
process.stdout.write(`load ${startLoad} → ${load()}\n`);
