/**
 * Benchmark 10 (issue #14): the cost of the per-lane diff stats (`git.diff`, +ins −del).
 * The same fixture (every lane has an uncommitted change, so every lane needs a `git diff`;
 * a third are behind their base) runs with `settings.diff_stats` on (the default) and off:
 * - first complete board (tmux, as benchmark 1), on and off interleaved run by run so a
 *   load change of a shared machine hits both alike; with them on, also the time until
 *   every row shows its `+ins −del` (the dirty lanes' diffs run after every status, so
 *   they follow the complete board);
 * - idle CPU of the board's process tree (as benchmark 4, no writers, but read at ns
 *   resolution: treeCpuPreciseMs), in eight 20 s windows on / off / off / on / on / off /
 *   off / on (four in a smoke run).
 * Target: with diff stats on, both figures within 1.1 × the same with them off (medians,
 * same run).
 */
import { boardArgv, boardComplete } from '../lib/board.mjs';
import { writeConfig } from '../lib/fixture.mjs';
import { fmt } from '../lib/stats.mjs';
import { treeCpuPreciseMs } from '../lib/proc.mjs';
import { line } from '../lib/targets.mjs';
import { cpuWindow } from './live.mjs';
import { head } from './startup.mjs';

/** Ratio allowed between the figure with diff stats on and off. */
const RATIO = 1.1;
const MODES = /** @type {const} */ (['on', 'off']);
/** Least common multiple of the idle board's timer periods (ms): one idle window. */
const IDLE_PERIOD_MS = 20_000;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Run benchmark 10 at `n` lanes.
 * @param {import('./startup.mjs').Ctx} ctx Context (`ctx.configs.get(n)` is the diff-on config).
 * @param {number} n Lanes.
 * @param {{cold: number, idleMs: number}} plan Cold-start repetitions per mode; idle
 *   time per mode (ms): 2 × 20 s windows when ≥ 20 s, else two halves (smoke).
 * @param {string} workerScript Worker of the supervised lanes (as the other configs).
 * @param {import('../lib/report.mjs').Bench} bench Output rows, subject
 *   `laneboard (diff stats on|off)`.
 */
export async function diffStatsSuite(ctx, n, plan, workerScript, bench) {
  const configs = {
    on: ctx.configs.get(n),
    off: await writeConfig(ctx.fx, n, {
      supervised: 2,
      workerScript,
      settings: ['  diff_stats: false'],
      suffix: '-nodiff',
    }),
  };
  const cold = { on: [], off: [] };
  /** With diff stats on: time to the board whose every row shows its `+1 −0` (ms). */
  const allDiffs = [];
  const idle = { on: [], off: [] };
  const diffShown = { on: false, off: false };
  for (let r = 0; r < plan.cold; r += 1) {
    for (const mode of MODES) {
      const pane = await ctx.tmux.open({ argv: boardArgv(configs[mode]), cwd: ctx.fx.root });
      const t0 = await pane.start();
      const shot = await pane.waitForScreen((s) => boardComplete(s, n), 30_000);
      cold[mode].push(shot.t === null ? null : shot.t - t0);
      if (shot.t === null)
        ctx.log(`diff stats ${mode} N=${n}: no complete board:\n${head(shot.screen)}`);
      // Every fixture lane has one uncommitted line: +1 −0 on its row when diff stats are
      // on. They follow the complete board (the dirty lanes' diffs run after every status).
      if (shot.t !== null && mode === 'on') {
        const diffs = await pane.waitForScreen(
          (s) => boardComplete(s, n) && everyRowDiff(s),
          30_000,
        );
        allDiffs.push(diffs.t === null ? null : diffs.t - t0);
        if (diffs.t !== null) diffShown.on = true;
      }
      if (shot.t !== null && mode === 'off' && shot.screen.includes('+1 \u22120'))
        diffShown.off = true;
      await pane.close();
    }
  }
  // One slice per window, a whole period of the idle board's timers (bridge safety nets
  // every 4 s and 10 s, age labels every 10 s), so every window holds the same periodic
  // work whatever its phase; 5 s slices held one or two dir checks (0.3-0.6 % for the
  // same board).
  const windowMs = plan.idleMs >= IDLE_PERIOD_MS ? IDLE_PERIOD_MS : Math.max(1000, plan.idleMs / 2);
  // Four windows per mode (two in a smoke run), in the order on off off on on off off on:
  // a window's figure is ~0.3 % of a core (~60 ms of CPU in 20 s), where one stray
  // collection or a neighbour's burst moves it by a third, so two per mode left the 10 %
  // verdict to chance (session 8: 0.5 vs 0.3, 0.3 vs 0.27, 0.5 vs 0.25, 0.4 vs 0.36 %).
  const rounds = plan.idleMs >= IDLE_PERIOD_MS ? 4 : 2;
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
      const pane = await ctx.tmux.open({ argv: boardArgv(configs[mode]), cwd: ctx.fx.root });
      try {
        await pane.start();
        const shot = await pane.waitForScreen((s) => boardComplete(s, n), 30_000);
        if (shot.t === null) continue;
        // First probes, worker starts, the dirty lanes' diffs (after the first frame) and the
        // git helper's start (after those) settle: 3 s in a smoke run too, whose 1.5 s
        // windows otherwise caught them (11 % vs 0.2 % of a core in session 8).
        await pause(3000);
        // ns resolution: in ticks (10 ms) ~0.4 % of 20 s is 8 ± 1 ticks.
        const cpu = await cpuWindow(pane.pid, windowMs, 1, [], treeCpuPreciseMs);
        idle[mode].push(...cpu.slices);
      } finally {
        await pane.close();
      }
    }
  }
  for (const mode of MODES) {
    const subject = `laneboard (diff stats ${mode})`;
    const note =
      mode === 'on' && !diffShown.on
        ? 'the rows never showed +1 −0: diff stats missing'
        : mode === 'off' && diffShown.off
          ? 'the rows showed +1 −0 with diff stats off'
          : undefined;
    bench.add({ subject, n, metric: 'first complete board', unit: 'ms', values: cold[mode], note });
    if (mode === 'on')
      bench.add({
        subject,
        n,
        metric: 'every row\u2019s +ins \u2212del shown',
        unit: 'ms',
        values: allDiffs,
      });
    bench.add({
      subject,
      n,
      metric: `idle CPU (${Math.round((idle[mode].length * windowMs) / 1000)} s)`,
      unit: '%',
      values: idle[mode],
    });
  }
  ctx.log(`diff stats N=${n}: done`);
}

/**
 * Does every lane row on `screen` show the fixture's diff stats (`+1 −0`)?
 * @param {string} screen capture-pane text.
 * @returns {boolean}
 */
function everyRowDiff(screen) {
  const rows = screen.split('\n').filter((l) => /^.{2}l\d{3}\s/u.test(l));
  return rows.length > 0 && rows.every((l) => l.includes('+1 \u22120'));
}

/**
 * The median of benchmark 10's row for `mode` whose metric starts with `metric`.
 * @param {{rows: any[]}} bench Benchmark 10.
 * @returns {number|null}
 */
function get(bench, mode, metric) {
  const row = bench.rows.find(
    (r) => r.subject === `laneboard (diff stats ${mode})` && String(r.metric).startsWith(metric),
  );
  const v = row?.median;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The issue #14 target lines (PASS/MISS; `n/a` when not measured); [] when benchmark 10
 * did not run.
 * @param {{rows: any[]}|undefined} bench Benchmark 10.
 * @returns {ReturnType<typeof line>[]}
 */
export function diffStatsTargets(bench) {
  if (!bench || bench.rows.length === 0) return [];
  const n = bench.rows[0]?.n ?? '?';
  return [
    ['first complete board', 'first complete board', 'ms'],
    ['idle CPU', 'idle CPU', '%'],
  ].map(([metric, what, unit]) => {
    const off = get(bench, 'off', metric);
    return line(
      `${what} at ${n} lanes with diff stats on ≤ ${RATIO} × off`,
      get(bench, 'on', metric),
      off === null ? null : RATIO * off,
      unit,
      off === null ? '' : `${RATIO} × ${fmt(off, unit === '%' ? 2 : 0)} ${unit}`,
    );
  });
}
