/**
 * Benchmarks 1 and 2: laneboard's cold start to the first complete board in a real
 * pseudo-terminal (tmux), and `laneboard --json` wall time; plus the `node -e 0` floor.
 */
import { boardArgv, boardComplete, jsonSnapshot } from '../lib/board.mjs';
import { run } from '../lib/proc.mjs';

/**
 * @typedef {object} Ctx
 * @property {{root: string}} fx Fixture.
 * @property {import('../lib/tmux.mjs').TmuxServer} tmux Private tmux server.
 * @property {Map<number, string>} configs N → lanes.yaml.
 * @property {(msg: string) => void} log Progress line (stderr).
 */

/**
 * Cold start: spawn → first frame in which every visible lane row shows its id and the
 * fixture's freshness (`boardComplete`). Also records time to the first byte written.
 * @param {Ctx} ctx Context.
 * @param {number} n Lanes.
 * @param {number} reps Repetitions (each a fresh process).
 * @param {{cold: import('../lib/report.mjs').Bench}} benches Output.
 */
export async function coldStart(ctx, n, reps, benches) {
  const config = ctx.configs.get(n);
  const values = [];
  const firstByte = [];
  const exits = [];
  for (let r = 0; r < reps; r += 1) {
    const pane = await ctx.tmux.open({ argv: boardArgv(config), cwd: ctx.fx.root });
    const t0 = await pane.start();
    const shot = await pane.waitForScreen((s) => boardComplete(s, n), 30_000);
    values.push(shot.t === null ? null : shot.t - t0);
    firstByte.push(pane.firstDataAt > 0 ? pane.firstDataAt - t0 : null);
    if (shot.t === null) {
      ctx.log(
        `laneboard N=${n}: no complete board within 30 s; last screen:\n${head(shot.screen)}`,
      );
    }
    exits.push(await pane.close());
  }
  benches.cold.add({ subject: 'laneboard', n, metric: 'first complete board', unit: 'ms', values });
  benches.cold.add({
    subject: 'laneboard',
    n,
    metric: 'first byte',
    unit: 'ms',
    values: firstByte,
  });
  benches.cold.add({
    subject: 'laneboard',
    n,
    metric: 'shutdown (SIGTERM→exit)',
    unit: 'ms',
    values: exits,
  });
}

/**
 * `laneboard --json` wall time (spawn → exit), checked: the output must parse and list
 * every lane, else that run counts as failed.
 * @param {Ctx} ctx Context.
 * @param {number} n Lanes.
 * @param {number} reps Repetitions.
 * @param {{json: import('../lib/report.mjs').Bench}} benches Output.
 */
export async function jsonWall(ctx, n, reps, benches) {
  const values = [];
  let bytes = null;
  for (let r = 0; r < reps; r += 1) {
    const s = await jsonSnapshot(ctx.configs.get(n));
    const ok = s.snap !== null && Array.isArray(s.snap.lanes) && s.snap.lanes.length === n;
    if (!ok) ctx.log(`laneboard --json N=${n} failed: ${s.error ?? 'wrong lane count'}`);
    else bytes = JSON.stringify(s.snap).length;
    values.push(ok ? s.ms : null);
  }
  benches.json.add({
    subject: 'laneboard --json',
    n,
    metric: 'wall time',
    unit: 'ms',
    values,
    extra: { snapshotBytes: bytes },
  });
}

/**
 * The floor: `node -e 0` wall time.
 * @param {number} reps Repetitions.
 * @param {{json: import('../lib/report.mjs').Bench}} benches Output.
 */
export async function nodeFloor(reps, benches) {
  const values = [];
  for (let r = 0; r < reps; r += 1) {
    const x = await run(process.execPath, ['-e', '0']);
    values.push(x.code === 0 ? x.ms : null);
  }
  benches.json.add({
    subject: 'node -e 0 (floor)',
    n: null,
    metric: 'wall time',
    unit: 'ms',
    values,
  });
}

/**
 * First lines of a screen, for failure messages.
 * @param {string} screen Capture.
 * @returns {string}
 */
export function head(screen) {
  return screen
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 8)
    .map((l) => `    | ${l.slice(0, 160)}`)
    .join('\n');
}
