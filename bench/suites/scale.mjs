/**
 * The scale section (issue #17): laneboard at 500 lanes on one host, each figure printed
 * beside its target and the node floor.
 *
 * - 500 lanes: first complete board (3 fresh boards), `--json` probe with no runtime
 *   running (5 runs), then one board: idle CPU of its process tree over `idleMs` (writers
 *   quiet) and RSS; a bare idle `node` process measured over the same window is the floor.
 * - 200 lanes: 20 visible lanes write `state.json` 5 times a second; the board tree's CPU
 *   over `stormMs` while they do, then bridge write → marker in the board's bytes on
 *   visible lanes (half of them among the writing lanes) with the storm still running.
 * - `--soak` only: 50 lanes, every lane writes 10 times a second for `soakMs`; RSS of the
 *   board sampled every 30 s (start = 30 s into the storm, after warm-up; end = last).
 *
 * Rows go into the shared benches (`cold`, `json`, `idle`) at N = 500 and into
 * `benches.scale` for the 200-lane and soak figures; {@link scaleTargets} turns them into
 * the target lines.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { boardArgv, boardComplete, parseBoard } from '../lib/board.mjs';
import { laneIds } from '../lib/fixture.mjs';
import { now, rssKb, selfCpuMs, treeCpuMs } from '../lib/proc.mjs';
import { fmt } from '../lib/stats.mjs';
import { startWriters } from '../lib/writers.mjs';
import { coldStart, head, jsonWall } from './startup.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Lanes of the big board. */
export const SCALE_N = 500;
/** Lanes of the latency board, of which {@link STORM_LANES} write {@link STORM_HZ}/s. */
export const LATENCY_N = 200;
const STORM_LANES = 20;
const STORM_HZ = 5;
/** Lanes of the soak board. */
export const SOAK_N = 50;

/**
 * CPU (% of one core) of `pid`'s process tree and of the process alone over `ms`.
 * @param {number} pid Root.
 * @param {number} ms Window.
 * @returns {Promise<{tree: number, self: number}>}
 */
async function cpuOver(pid, ms) {
  const t0 = now();
  const c0 = treeCpuMs(pid);
  const s0 = selfCpuMs(pid);
  await pause(ms);
  const dt = now() - t0;
  return { tree: (100 * (treeCpuMs(pid) - c0)) / dt, self: (100 * (selfCpuMs(pid) - s0)) / dt };
}

/**
 * Start a bare idle node process (the floor for idle CPU and RSS).
 * @returns {Promise<import('node:child_process').ChildProcess>} Ready after 1 s.
 */
async function idleNode() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
  });
  await pause(1000);
  return child;
}

/**
 * Open a board on config `n` and wait for its first complete screen.
 * @returns {Promise<import('../lib/tmux.mjs').Pane|null>} null (pane closed) when the
 *   board never completed within 60 s.
 */
async function openBoard(ctx, n) {
  const pane = await ctx.tmux.open({ argv: boardArgv(ctx.configs.get(n)), cwd: ctx.fx.root });
  await pane.start();
  const shot = await pane.waitForScreen((s) => boardComplete(s, n), 60_000);
  if (shot.t === null) {
    ctx.log(`scale N=${n}: board never complete:\n${head(shot.screen)}`);
    await pane.close();
    return null;
  }
  return pane;
}

/**
 * Run the scale section. The fixture must hold ≥ 500 worktrees and `ctx.configs` the
 * configs for 500 and 200 (and 50 with `soakMs`).
 * @param {import('./startup.mjs').Ctx} ctx Context.
 * @param {{scale: boolean, cold: number, json: number, idleMs: number, stormMs: number,
 *   markers: number, soakMs: number, stormOnly?: boolean}} plan `scale` false = only
 *   the soak; repetitions and windows (ms); `soakMs` 0 = no soak; `stormOnly`: only the
 *   200-lane storm (`--only storm`).
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output (`cold`,
 *   `json`, `idle`, `scale`).
 */
export async function scaleSection(ctx, plan, benches) {
  const bridgeRoot = join(ctx.fx.root, '.laneboard', 'lanes');
  if (plan.scale) await bigBoards(ctx, bridgeRoot, plan, benches);
  if (plan.soakMs > 0) await soak(ctx, plan.soakMs, benches.scale);
}

async function bigBoards(ctx, bridgeRoot, plan, benches) {
  // 500 lanes: cold start, --json, idle, RSS.
  if (!plan.stormOnly) {
    const pool = await startWriters(bridgeRoot, laneIds(SCALE_N));
    try {
      await coldStart(ctx, SCALE_N, plan.cold, benches);
      ctx.log(`scale N=${SCALE_N}: cold start done`);
      await jsonWall(ctx, SCALE_N, plan.json, benches);
      ctx.log(`scale N=${SCALE_N}: --json done`);
      await pool.rate(0);
      const pane = await openBoard(ctx, SCALE_N);
      if (pane) {
        try {
          await idle500(ctx, pane, plan.idleMs, benches);
        } finally {
          await pane.close();
        }
      }
    } finally {
      await pool.stop();
    }
    ctx.log(`scale N=${SCALE_N}: idle done`);
  }
  // 200 lanes: 20 writing 5/s → CPU and latency.
  {
    const pool = await startWriters(bridgeRoot, laneIds(LATENCY_N));
    try {
      const pane = await openBoard(ctx, LATENCY_N);
      if (pane) {
        try {
          await partialStorm(ctx, pane, pool, plan, benches.scale);
        } finally {
          await pool.rate(0);
          await pane.close();
        }
      }
    } finally {
      await pool.stop();
    }
    ctx.log(`scale N=${LATENCY_N}: partial storm done`);
  }
}

/**
 * Wait until the board is idle: a 5 s window under 3 % of a core (its first git probes,
 * reads and activity refreshes are done), at most `maxMs`. On a loaded machine a fixed
 * 3 s settle measured the start-up tail instead of the idle board (41 % at load 27).
 * @returns {Promise<number>} ms waited.
 */
async function settle(pid, maxMs = 150_000) {
  const t0 = now();
  while (now() - t0 < maxMs) {
    if ((await cpuOver(pid, 5000)).self < 3) break;
  }
  return now() - t0;
}

async function idle500(ctx, pane, idleMs, benches) {
  const settled = await settle(pane.pid);
  ctx.log(`scale idle N=${SCALE_N}: settled after ${fmt(settled / 1000, 0)} s`);
  const floor = await idleNode();
  try {
    const t0 = now();
    const f0 = treeCpuMs(floor.pid);
    const cpu = await cpuOver(pane.pid, idleMs);
    const floorPct = (100 * (treeCpuMs(floor.pid) - f0)) / (now() - t0);
    benches.idle.add({
      subject: 'laneboard',
      n: SCALE_N,
      metric: `idle CPU (${Math.round(idleMs / 1000)} s)`,
      unit: '%',
      values: [cpu.tree],
      extra: { boardSelfPct: cpu.self, settledMs: settled },
    });
    benches.idle.add({
      subject: 'laneboard',
      n: SCALE_N,
      metric: 'RSS (board)',
      unit: 'MB',
      values: [(rssKb(pane.pid) ?? NaN) / 1024],
    });
    benches.idle.add({
      subject: 'node (floor, idle)',
      n: null,
      metric: `idle CPU (${Math.round(idleMs / 1000)} s)`,
      unit: '%',
      values: [floorPct],
    });
    benches.idle.add({
      subject: 'node (floor, idle)',
      n: null,
      metric: 'RSS',
      unit: 'MB',
      values: [(rssKb(floor.pid) ?? NaN) / 1024],
    });
    ctx.log(`scale idle N=${SCALE_N}: ${fmt(cpu.tree, 2)} % (node floor ${fmt(floorPct, 2)} %)`);
  } finally {
    floor.kill('SIGKILL');
  }
}

async function partialStorm(ctx, pane, pool, plan, bench) {
  const visible = [...parseBoard(await pane.capture()).keys()];
  // Every other visible lane writes (20 of them), so markers land on writing and quiet rows.
  const writers = visible.filter((_, i) => i % 2 === 0).slice(0, STORM_LANES);
  for (const id of laneIds(LATENCY_N)) {
    if (writers.length >= STORM_LANES) break;
    if (!writers.includes(id)) writers.push(id);
  }
  await pool.rate(STORM_HZ, writers);
  await pause(2000); // warm-up
  const cpu = await cpuOver(pane.pid, plan.stormMs);
  const tag = randomBytes(2).toString('hex');
  const values = [];
  const samples = [];
  for (let k = 0; k < plan.markers; k += 1) {
    const id = visible[(k * 7) % visible.length];
    const marker = `s${tag}${String(k).padStart(3, '0')}`;
    const seen = pane.waitForText(marker, 5000);
    const tWrite = await pool.mark(id, marker);
    const tSeen = await seen;
    values.push(tWrite === null || tSeen === null ? null : Math.max(0, tSeen - tWrite));
    samples.push({ marker, lane: id, writing: writers.includes(id), tWrite, tSeen });
    await pause(50 + Math.random() * 150); // de-phase from the board's frame timer
  }
  const label = `${STORM_LANES} lanes × ${STORM_HZ}/s`;
  bench.add({
    subject: 'laneboard',
    n: LATENCY_N,
    metric: `bridge write → bytes (${label})`,
    unit: 'ms',
    values,
    note: values.includes(null) ? 'some markers never appeared within 5 s' : undefined,
    extra: { samples },
  });
  bench.add({
    subject: 'laneboard',
    n: LATENCY_N,
    metric: `storm CPU, board tree (${label})`,
    unit: '%',
    values: [cpu.tree],
    extra: { boardSelfPct: cpu.self, windowMs: plan.stormMs },
  });
  ctx.log(
    `scale storm N=${LATENCY_N}: CPU ${fmt(cpu.tree)} %, ${values.filter((v) => v !== null).length}/${plan.markers} markers`,
  );
}

async function soak(ctx, soakMs, bench) {
  const pool = await startWriters(join(ctx.fx.root, '.laneboard', 'lanes'), laneIds(SOAK_N));
  try {
    const pane = await openBoard(ctx, SOAK_N);
    if (!pane) return;
    try {
      const before = (rssKb(pane.pid) ?? NaN) / 1024;
      await pool.rate(10);
      const samples = [];
      const t0 = now();
      while (now() - t0 < soakMs) {
        await pause(Math.min(30_000, soakMs / 4));
        samples.push({ s: Math.round((now() - t0) / 1000), mb: (rssKb(pane.pid) ?? NaN) / 1024 });
        ctx.log(`soak ${samples.at(-1).s} s: RSS ${fmt(samples.at(-1).mb)} MB`);
      }
      const start = samples[0].mb;
      const end = samples.at(-1).mb;
      const extra = { beforeStormMB: before, samples, soakMs };
      for (const [metric, v] of [
        ['soak RSS start (30 s into the storm)', start],
        ['soak RSS end', end],
        ['soak RSS growth', (100 * (end - start)) / start],
      ]) {
        bench.add({
          subject: 'laneboard',
          n: SOAK_N,
          metric,
          unit: metric.endsWith('growth') ? '%' : 'MB',
          values: [v],
          extra,
        });
      }
    } finally {
      await pool.rate(0);
      await pane.close();
    }
  } finally {
    await pool.stop();
  }
}

function get(bench, subject, n, metric, field = 'median') {
  const row = bench?.rows.find(
    (r) => r.subject === subject && r.n === n && String(r.metric).startsWith(metric),
  );
  const v = row?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The issue #17 targets against this run's rows, each with the node floor beside it.
 * @param {Record<string, import('../lib/report.mjs').Bench>} b Benches of this run.
 * @returns {Array<{target: string, value: number|null, limit: number, unit: string,
 *   floor: string, verdict: 'PASS'|'MISS'|'n/a'}>}
 */
export function scaleTargets(b) {
  const floorMs = get(b.json, 'node -e 0 (floor)', null, 'wall time');
  const floorCpu = get(b.idle, 'node (floor, idle)', null, 'idle CPU');
  const floorRss = get(b.idle, 'node (floor, idle)', null, 'RSS');
  const ms = (v) => (v === null ? 'not measured' : `node -e 0 ${fmt(v, 0)} ms`);
  const lines = [
    [
      `idle CPU at ${SCALE_N} lanes ≤ 1 % of a core`,
      get(b.idle, 'laneboard', SCALE_N, 'idle CPU'),
      1,
      '%',
      floorCpu === null ? 'not measured' : `idle node ${fmt(floorCpu, 2)} %`,
    ],
    [
      `bridge write → row p95 ≤ 50 ms at ${LATENCY_N} lanes (${STORM_LANES} writing ${STORM_HZ}/s)`,
      get(b.scale, 'laneboard', LATENCY_N, 'bridge write', 'p95'),
      50,
      'ms',
      '—',
    ],
    [
      `that storm ≤ 35 % of a core (board tree)`,
      get(b.scale, 'laneboard', LATENCY_N, 'storm CPU'),
      35,
      '%',
      floorCpu === null ? 'not measured' : `idle node ${fmt(floorCpu, 2)} %`,
    ],
    [
      `first complete board at ${SCALE_N} lanes ≤ 2.5 s`,
      get(b.cold, 'laneboard', SCALE_N, 'first complete board'),
      2500,
      'ms',
      ms(floorMs),
    ],
    [
      `--json probe at ${SCALE_N} lanes (no runtime) ≤ 1.5 s`,
      get(b.json, 'laneboard --json', SCALE_N, 'wall time'),
      1500,
      'ms',
      ms(floorMs),
    ],
    [
      `RSS at ${SCALE_N} lanes ≤ 160 MB`,
      get(b.idle, 'laneboard', SCALE_N, 'RSS (board)'),
      160,
      'MB',
      floorRss === null ? 'not measured' : `idle node ${fmt(floorRss)} MB`,
    ],
    [
      `RSS growth over the ${SOAK_N}-lane soak ≤ 10 % (--soak)`,
      get(b.scale, 'laneboard', SOAK_N, 'soak RSS growth'),
      10,
      '%',
      '—',
    ],
  ];
  return lines.map(([target, value, limit, unit, floor]) => ({
    subject: 'target',
    n: null,
    metric: target,
    target,
    value,
    limit,
    unit,
    floor,
    verdict: value === null ? 'n/a' : value <= limit ? 'PASS' : 'MISS',
  }));
}

/**
 * Print the issue #17 target lines (figure, target, node floor).
 * @param {ReturnType<typeof scaleTargets>} lines Evaluated targets.
 */
export function printScaleTargets(lines) {
  process.stdout.write('\n## Scale targets (issue #17; medians unless stated)\n');
  const w = Math.max(...lines.map((l) => l.target.length));
  for (const l of lines) {
    const v = l.value === null ? 'not measured' : `${fmt(l.value)} ${l.unit}`;
    process.stdout.write(
      `${l.verdict.padEnd(4)}  ${l.target.padEnd(w)}  measured ${v.padEnd(12)} target ${fmt(l.limit)} ${l.unit}; floor: ${l.floor}\n`,
    );
  }
}
