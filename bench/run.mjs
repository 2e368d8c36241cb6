#!/usr/bin/env node
/**
 * `npm run bench`: laneboard side by side with its peers (issue #5). Builds fixtures
 * (one git repo with N real worktrees, writer processes per lane) in a temp dir, runs
 * every benchmark at N = 10, 50, 200 (`--full` adds 500), prints a table per benchmark,
 * writes `bench/results/<benchmark>.json`, and prints targets PASS/MISS.
 *
 * Flags: `--smoke` (N = 10, one repetition, short windows, no peers; exits non-zero only
 * when a benchmark produced no figure), `--full` (adds the scale section at 500 lanes,
 * issue #17, `suites/scale.mjs`, instead of N = 500), `--scale` (only the scale section,
 * ~5 min), `--soak` (adds the 10-minute 50-lane RSS soak; `--soak-min M`), `--no-peers`,
 * `--n 10,50` (custom sizes), `--peers` (peers even with `--smoke`), `--only control`
 * (benchmark 8 alone, with pm2 as its peer), `--only diff` (benchmark 10 alone: diff stats
 * on vs off, issue #14, at 50 lanes or the first `--n` size), `--only big-events`
 * (benchmark 7 alone, at N = 10 unless `--n`: issue #12's long-session figures and their
 * targets, ~3 min), `--only hooks` (benchmark 11 alone: hook capture p95 and hook → row
 * latency at 50 lanes, issue #11, ~1 min), `--only storm` (the scale section's 200-lane
 * storm alone: write → row p95 and the storm's CPU, ~1-2 min). Leaves no process behind: tmux server, writers, boards,
 * pm2 daemon are stopped in `finally` and on SIGINT/SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshotApp } from './lib/board.mjs';
import { createFixture, growWorktrees, laneIds, writeConfig } from './lib/fixture.mjs';
import { printRatios, ratios } from './lib/ratios.mjs';
import { Bench, machineInfo, versions } from './lib/report.mjs';
import { evaluateTargets, printTargets } from './lib/targets.mjs';
import { bigEventsTargets } from './lib/big-targets.mjs';
import { startTmux } from './lib/tmux.mjs';
import { killAllWriters, startWriters } from './lib/writers.mjs';
import { installPeers, runPeers } from './peers/index.mjs';
import { pm2 } from './peers/pm2.mjs';
import { liveSession } from './suites/live.mjs';
import { coldStart, jsonWall, nodeFloor } from './suites/startup.mjs';
import { bigEvents } from './suites/big-events.mjs';
import { controlSuite, controlTargets, floorBeside, inkFloor } from './suites/control.mjs';
import { diffStatsSuite, diffStatsTargets } from './suites/diff-stats.mjs';
import {
  LATENCY_N,
  SCALE_N,
  SOAK_N,
  printScaleTargets,
  scaleSection,
  scaleTargets,
} from './suites/scale.mjs';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const full = args.includes('--full');
const onlyStorm = args.includes('--only') && args[args.indexOf('--only') + 1] === 'storm';
const scaleOnly = args.includes('--scale') || onlyStorm;
const soakArg = args.indexOf('--soak-min');
const soakMin = soakArg >= 0 ? Number(args[soakArg + 1]) : args.includes('--soak') ? 10 : 0;
const scale = full || scaleOnly;
const nArg = args.indexOf('--n');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const onlyBig = onlyArg === 'big-events';
const sizes = scaleOnly
  ? []
  : nArg >= 0
    ? String(args[nArg + 1] ?? '')
        .split(',')
        .map(Number)
        .filter((x) => Number.isInteger(x) && x > 0 && x <= 999)
    : smoke || onlyBig
      ? [10]
      : [10, 50, 200];
const peers =
  !scaleOnly && !onlyBig && (args.includes('--peers') || (!smoke && !args.includes('--no-peers')));
// Benchmark 8 (control, issue #10) runs at 50 and 500 lanes (`--n` picks other sizes);
// `--only control` skips benchmarks 1-7 (and runs only pm2 among the peers).
const onlyControl = onlyArg === 'control';
// Benchmark 10 (diff stats on vs off, issue #14) at 50 lanes; `--only diff` runs it alone.
const onlyDiff = onlyArg === 'diff';
const diffN = scaleOnly || onlyControl || onlyBig ? null : nArg >= 0 ? (sizes[0] ?? null) : 50;
const controlSizes =
  scaleOnly || onlyDiff || onlyBig ? [] : nArg >= 0 ? sizes : smoke ? [50] : [50, 500];
const plan = smoke
  ? { cold: 1, json: 1, floor: 1, markers: 5, idleMs: 3000, stormMs: 3000, restarts: 1 }
  : { cold: 5, json: 5, floor: 10, markers: 40, idleMs: 30_000, stormMs: 30_000, restarts: 5 };
const plan8 = { reps: { json: plan.json, restart: plan.restarts } };
const WORKER = fileURLToPath(new URL('./fixture/worker.mjs', import.meta.url));
const log = (msg) =>
  process.stderr.write(`[bench ${((Date.now() - T0) / 1000).toFixed(0)}s] ${msg}\n`);
const T0 = Date.now();
const mode = onlyBig
  ? 'big-events'
  : smoke
    ? 'smoke'
    : scaleOnly
      ? 'scale'
      : full
        ? 'full'
        : 'default';

const benches = {
  cold: new Bench('cold-start', '1. cold start → first complete board (tmux 200×60)'),
  json: new Bench('json', '2. --json wall time (spawn → exit)'),
  latency: new Bench(
    'update-latency',
    '3. update latency: bridge write → new value in the board’s bytes',
  ),
  idle: new Bench('idle', '4. idle CPU (% of one core, process tree) and RSS'),
  storm: new Bench('storm', '5. update storm: every lane writes 10×/s'),
  restart: new Bench('restart', '6. restart latency: r key → new worker pid'),
  big: new Bench('big-events', '7. one lane with a 1 M-line hook-events.jsonl vs empty'),
  control: new Bench(
    'control',
    '8. control: runtime-answered --json, restart verb, attached board',
  ),
  scale: new Bench('scale', '9. scale (issue #17): 20 of 200 lanes writing 5/s; 50-lane soak'),
  diff: new Bench(
    'diff-stats',
    '10. diff stats on vs off (issue #14): first complete board, idle CPU',
  ),
};

const cleanups = [];
let cleaning = null;
async function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        log(`cleanup: ${String(e)}`);
      }
    }
    killAllWriters();
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main() {
  // Benchmark 11 (issue #11): hook capture and hook → row latency, alone.
  if (onlyArg === 'hooks') {
    const { hooksSuite } = await import('./suites/hooks.mjs');
    const { CLI } = await import('./lib/board.mjs');
    const ok = await hooksSuite(CLI);
    process.exitCode = ok ? 0 : 1;
    return;
  }
  log(
    `mode ${mode}; N = ${sizes.join(', ')}${scale ? `; scale section at ${SCALE_N}` : ''}${soakMin ? `; soak ${soakMin} min` : ''}; peers ${peers ? 'on' : 'off'}`,
  );
  const root = await mkdtemp(join(os.tmpdir(), 'laneboard-bench-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await snapshotApp(join(root, 'app'));
  const fx = await createFixture(root);
  const tmux = await startTmux(root);
  cleanups.push(() => tmux.kill());
  const ctx = { fx, tmux, configs: new Map(), log, cleanups };
  const machine = machineInfo();
  const vers = await versions();

  if (!onlyDiff && !onlyBig) await nodeFloor(plan.floor, benches);
  for (const n of onlyControl || onlyDiff ? [] : [...sizes].sort((a, b) => a - b)) {
    const ms = await growWorktrees(fx, n);
    ctx.configs.set(n, await writeConfig(fx, n, { supervised: 2, workerScript: WORKER }));
    log(`N=${n}: ${n} worktrees ready (+${ms} ms)`);
    if (onlyBig) {
      await bigEvents(ctx, n, smoke ? 1 : 3, benches);
      continue;
    }
    const pool = await startWriters(join(root, '.laneboard', 'lanes'), laneIds(n));
    cleanups.push(() => pool.stop());
    try {
      // Big N: fewer repetitions so the whole suite stays under 10 minutes.
      await coldStart(ctx, n, n >= 200 ? Math.min(plan.cold, 3) : plan.cold, benches);
      log(`N=${n}: cold start done`);
      await jsonWall(ctx, n, plan.json, benches);
      log(`N=${n}: --json done`);
      await liveSession(ctx, n, pool, plan, benches);
      log(`N=${n}: live session done`);
    } finally {
      await pool.stop();
    }
    // Benchmark 7 once, on the smallest config (its writers are stopped by now).
    if (n === Math.min(...sizes)) await bigEvents(ctx, n, smoke ? 1 : 3, benches);
    if (peers) {
      const reps = { cold: Math.min(plan.cold, 3), json: plan.json, restart: plan.restarts };
      await runPeers(ctx, n, { reps, idleMs: plan.idleMs }, benches);
    }
  }

  if (diffN !== null) {
    await growWorktrees(fx, diffN);
    if (!ctx.configs.has(diffN))
      ctx.configs.set(diffN, await writeConfig(fx, diffN, { supervised: 2, workerScript: WORKER }));
    await diffStatsSuite(ctx, diffN, plan, WORKER, benches.diff);
  }

  if (!scaleOnly && !onlyDiff && !onlyBig)
    await inkFloor(ctx, plan.cold, benches.control, controlSizes.some(floorBeside));
  for (const n of [...controlSizes].sort((a, b) => a - b)) {
    await growWorktrees(fx, n);
    if (!ctx.configs.has(n))
      ctx.configs.set(n, await writeConfig(fx, n, { supervised: 2, workerScript: WORKER }));
    if (onlyControl && peers && (await installPeers(log))) await pm2(ctx, n, plan8, benches);
    await controlSuite(ctx, n, plan, benches.control);
    log(`N=${n}: control done`);
  }

  if (scale || soakMin > 0) {
    const need = onlyStorm ? [LATENCY_N] : scale ? [SCALE_N, LATENCY_N] : [];
    if (soakMin > 0) need.push(SOAK_N);
    const ms = await growWorktrees(fx, Math.max(...need));
    for (const n of need) {
      ctx.configs.set(n, await writeConfig(fx, n, { supervised: 2, workerScript: WORKER }));
    }
    log(`scale: ${fx.count} worktrees ready (+${ms} ms)`);
    const scalePlan = scale
      ? { cold: 3, json: 5, idleMs: 30_000, stormMs: 20_000, markers: 60 }
      : { cold: 0, json: 0, idleMs: 0, stormMs: 0, markers: 0 };
    await scaleSection(
      ctx,
      { ...scalePlan, scale, stormOnly: onlyStorm, soakMs: soakMin * 60_000 },
      benches,
    );
  }

  const meta = {
    mode,
    runAt: new Date().toISOString(),
    machine: { ...machine, loadavgEnd: os.loadavg() },
    versions: vers,
  };
  for (const b of Object.values(benches)) {
    if (b.rows.length === 0) continue; // a section this mode did not run
    b.print();
    b.write(meta);
  }
  const byName = Object.fromEntries(Object.values(benches).map((b) => [b.name, b]));
  printRatios(ratios(byName));
  const targets = [
    ...evaluateTargets(benches),
    ...controlTargets(benches.control, benches.restart),
    ...bigEventsTargets(benches.big),
    ...diffStatsTargets(benches.diff),
  ];
  if (onlyDiff) printTargets(diffStatsTargets(benches.diff), 'Targets (issue #14; medians)');
  else if (onlyBig) printTargets(bigEventsTargets(benches.big), 'Targets (issue #12; medians)');
  else if (!scaleOnly) printTargets(targets);
  const summary = new Bench('targets', 'targets');
  summary.rows = targets;
  // A run of one benchmark alone keeps the targets file of the last whole run.
  if (!onlyDiff && !onlyBig) summary.write(meta);
  const scaleLines = scaleTargets(benches);
  if (scale || soakMin > 0) {
    printScaleTargets(scaleLines);
    const st = new Bench('scale-targets', 'scale targets (issue #17)');
    st.rows = scaleLines;
    st.write(meta);
  }

  const empty = Object.values(benches).filter(
    (b) =>
      (!onlyControl || b === benches.control) &&
      (!onlyDiff || b === benches.diff) &&
      (!onlyBig || b === benches.big) &&
      (onlyStorm ? b.name === 'scale' : true) &&
      (scaleOnly ? ['cold-start', 'json', 'idle', 'scale'].includes(b.name) : true) &&
      (b.name !== 'scale' || scale || soakMin > 0) &&
      !b.rows.some((r) => r.subject.startsWith('laneboard') && r.median !== null),
  );
  if (empty.length > 0) {
    log(`no figure from: ${empty.map((b) => b.name).join(', ')}`);
    return 1;
  }
  log(`done in ${((Date.now() - T0) / 1000).toFixed(0)} s`);
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await cleanup();
}
process.exit(code);
