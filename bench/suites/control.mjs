/**
 * Benchmark 8 (issue #10): the control path against a running `laneboard serve`, beside
 * its floors, in one run:
 * - `laneboard --json` answered by the runtime (spawn → exit, `"origin": "runtime"`,
 *   every lane listed), interleaved with `node -e 0` so both see the same load;
 * - `laneboard restart l000` (spawn → exit; the verb returns once the new pid is
 *   recorded, and the new pid is then checked in the runtime's snapshot), beside
 *   `pm2 restart` of one process (bench/peers/pm2.mjs) when peers run;
 * - the attached board (`laneboard` while serve runs, tmux pane): spawn → first complete
 *   frame (bench/lib/board.mjs `boardComplete`), beside a bare Ink app rendering 50
 *   static rows in the same layout (bench/fixture/ink-floor.mjs, bundled like the CLI),
 *   run by run at 50 lanes (floor, board, floor, board, …) so both see the same load.
 * Targets: --json ≤ 1.5 × node -e 0 at 50 lanes and ≤ 2 × at 500; restart verb ≤ 0.5 ×
 * pm2 restart; attached board at 50 ≤ 1.2 × the Ink floor. Serve is stopped (SIGTERM,
 * which stops its workers) before the suite returns and on cleanup.
 */
import { CLI, boardArgv, boardComplete } from '../lib/board.mjs';
import { buildInkFloor } from '../lib/ink-floor.mjs';
import { alive, now, run, waitFor } from '../lib/proc.mjs';
import { getJson, startServe } from '../lib/serve.mjs';
import { fmt } from '../lib/stats.mjs';
import { head } from './startup.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const FLOOR_ROWS = 50;
const NODE_FLOOR = 'node -e 0 (control floor)';
const INK_FLOOR = `bare Ink app, ${FLOOR_ROWS} static rows (floor)`;

/** `laneboard --json` answered by the runtime, interleaved with `node -e 0`. */
async function jsonRuns(ctx, n, config, reps, bench) {
  const lb = [];
  const floor = [];
  for (let r = 0; r < reps; r += 1) {
    const f = await run(process.execPath, ['-e', '0']);
    floor.push(f.code === 0 ? f.ms : null);
    const x = await run(process.execPath, [CLI, '--config', config, '--json'], {
      cwd: ctx.fx.root,
    });
    let ok = false;
    try {
      const snap = JSON.parse(x.stdout);
      ok = x.code === 0 && snap.origin === 'runtime' && snap.lanes?.length === n;
    } catch {
      ok = false;
    }
    if (!ok) ctx.log(`control --json N=${n} failed: ${x.error ?? x.stderr.slice(-300)}`);
    lb.push(ok ? x.ms : null);
  }
  bench.add({ subject: NODE_FLOOR, n, metric: 'wall time', unit: 'ms', values: floor });
  bench.add({
    subject: 'laneboard --json (runtime)',
    n,
    metric: 'wall time',
    unit: 'ms',
    values: lb,
  });
}

/** `laneboard restart l000` → exit (new pid recorded), checked in the snapshot. */
async function restartRuns(ctx, n, config, socket, reps, bench) {
  const values = [];
  let bad = 0;
  const pidOf = async () => {
    const b = await getJson(socket, '/v1/lanes/l000');
    const p = b?.lane?.worker?.pid;
    return typeof p === 'number' && alive(p) ? p : null;
  };
  for (let r = 0; r < reps; r += 1) {
    const before = await waitFor(pidOf, 10_000);
    const x = await run(process.execPath, [CLI, 'restart', 'l000', '--config', config], {
      cwd: ctx.fx.root,
    });
    const after = await pidOf();
    const ok = x.code === 0 && before !== null && after !== null && after !== before;
    if (!ok) {
      bad += 1;
      ctx.log(`control restart N=${n}: exit ${x.code}, pid ${before} → ${after} ${x.stderr}`);
    }
    values.push(ok ? x.ms : null);
    await pause(200);
  }
  bench.add({
    subject: 'laneboard restart <lane>',
    n,
    metric: 'verb → new pid in snapshot',
    unit: 'ms',
    values,
    note: bad ? `${bad} run(s) without a new pid in the snapshot` : undefined,
  });
}

/** First complete frame of a program in a fresh tmux pane, `reps` times. */
async function firstFrames(ctx, argv, n, reps) {
  const values = [];
  for (let r = 0; r < reps; r += 1) {
    const pane = await ctx.tmux.open({ argv, cwd: ctx.fx.root });
    try {
      const t0 = await pane.start();
      const shot = await pane.waitForScreen((s) => boardComplete(s, Math.min(n, 40)), 30_000);
      if (shot.t === null) ctx.log(`no complete frame from ${argv[1]}:\n${head(shot.screen)}`);
      values.push(shot.t === null ? null : shot.t - t0);
    } finally {
      await pane.close();
    }
  }
  return values;
}

/**
 * The Ink floor (once per run): bundle it; then, unless `beside` (the control suite at
 * 50 lanes measures it run by run beside the attached board), first complete frame of
 * 50 static rows.
 * @param {{fx: {root: string}, tmux: any, log: (m: string) => void,
 *   inkFloorArgv?: string[]}} ctx Context (gets `inkFloorArgv`).
 * @param {number} reps Repetitions.
 * @param {import('../lib/report.mjs').Bench} bench Output.
 * @param {boolean} [beside] The control suite runs at 50 lanes and measures it there.
 */
export async function inkFloor(ctx, reps, bench, beside = false) {
  const app = await buildInkFloor(ctx.fx.root);
  ctx.inkFloorArgv = [process.execPath, app, String(FLOOR_ROWS)];
  if (beside) return;
  const values = await firstFrames(ctx, ctx.inkFloorArgv, 50, reps);
  bench.add({ subject: INK_FLOOR, n: null, metric: 'first complete frame', unit: 'ms', values });
}

/** Whether the control suite at `n` lanes measures the Ink floor beside the board. */
export const floorBeside = (n) => n === FLOOR_ROWS;

/**
 * Run benchmark 8 at `n` lanes against one `laneboard serve`.
 * @param {{fx: {root: string}, tmux: any, configs: Map<number, string>,
 *   log: (m: string) => void, cleanups: Array<() => unknown>}} ctx Context.
 * @param {number} n Lanes (`ctx.configs` has its lanes.yaml, l000 supervised).
 * @param {{json: number, cold: number, restarts: number}} plan Repetitions.
 * @param {import('../lib/report.mjs').Bench} bench Output (`control`).
 */
export async function controlSuite(ctx, n, plan, bench) {
  const config = ctx.configs.get(n);
  const t0 = now();
  const serve = await startServe(ctx, config, n);
  ctx.log(`control N=${n}: serve ready in ${fmt(now() - t0, 0)} ms`);
  try {
    await jsonRuns(ctx, n, config, Math.max(plan.json, 3), bench);
    await restartRuns(ctx, n, config, serve.socket, Math.max(plan.restarts, 3), bench);
    const reps = n >= 200 ? 3 : plan.cold;
    const floor = floorBeside(n) && ctx.inkFloorArgv ? [] : null;
    const frames = [];
    for (let r = 0; r < reps; r += 1) {
      if (floor) floor.push(...(await firstFrames(ctx, ctx.inkFloorArgv, FLOOR_ROWS, 1)));
      frames.push(...(await firstFrames(ctx, boardArgv(config), n, 1)));
    }
    if (floor) {
      bench.add({
        subject: INK_FLOOR,
        n: null,
        metric: 'first complete frame',
        unit: 'ms',
        values: floor,
      });
    }
    bench.add({
      subject: 'laneboard (attached)',
      n,
      metric: 'first complete frame',
      unit: 'ms',
      values: frames,
      note: alive(serve.pid) ? undefined : 'serve died while boards attached and quit',
    });
  } finally {
    await serve.stop();
  }
}

function get(bench, subject, n, metric) {
  const row = bench?.rows.find(
    (r) => r.subject === subject && r.n === n && String(r.metric).startsWith(metric),
  );
  return typeof row?.median === 'number' ? row.median : null;
}

/**
 * The targets of issue #10 (medians of this run; `n/a` when an input was not measured).
 * @param {import('../lib/report.mjs').Bench} control This suite's rows.
 * @param {import('../lib/report.mjs').Bench} restart Benchmark 6's rows (pm2 restart).
 * @returns {Array<{target: string, measured: string, limit: string, verdict: string}>}
 *   Lines in the shape of bench/lib/targets.mjs.
 */
export function controlTargets(control, restart) {
  const out = [];
  const line = (target, value, limit, basis) => {
    const ok = value === null || limit === null ? null : value <= limit;
    out.push({
      subject: 'target',
      n: null,
      metric: target,
      unit: 'ms',
      target,
      measured: value === null ? 'not measured' : `${fmt(value)} ms`,
      limit: limit === null ? 'not measured' : `${fmt(limit)} ms (${basis})`,
      ratio: value === null || limit === null || limit === 0 ? null : value / limit,
      verdict: ok === null ? 'n/a' : ok ? 'PASS' : 'MISS',
    });
  };
  for (const [n, k] of [
    [50, 1.5],
    [500, 2],
  ]) {
    const floor = get(control, NODE_FLOOR, n, 'wall time');
    line(
      `--json answered by the runtime at ${n} lanes ≤ ${k} × node -e 0`,
      get(control, 'laneboard --json (runtime)', n, 'wall time'),
      floor === null ? null : k * floor,
      floor === null ? '' : `${k} × ${fmt(floor, 0)} ms`,
    );
  }
  for (const n of [10, 50, 200, 500]) {
    const verb = get(control, 'laneboard restart <lane>', n, 'verb');
    if (verb === null) continue;
    const pm2 = get(restart, 'pm2 restart', n, 'wall time');
    line(
      `restart verb → new pid at ${n} lanes ≤ 0.5 × pm2 restart of one process`,
      verb,
      pm2 === null ? null : 0.5 * pm2,
      pm2 === null ? '' : `0.5 × ${fmt(pm2, 0)} ms`,
    );
  }
  const ink = get(control, INK_FLOOR, null, 'first complete frame');
  line(
    `attached board first complete frame at 50 lanes ≤ 1.2 × bare Ink app (${FLOOR_ROWS} rows)`,
    get(control, 'laneboard (attached)', 50, 'first complete frame'),
    ink === null ? null : 1.2 * ink,
    ink === null ? '' : `1.2 × ${fmt(ink, 0)} ms`,
  );
  return out;
}
