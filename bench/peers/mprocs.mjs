/**
 * mprocs (native TUI; its npm package ships the binary, run directly, not via its node
 * wrapper) with N processes (`sleep`): first frame that lists the visible processes as
 * UP, and its RSS (the mprocs process alone).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { laneIds } from '../lib/fixture.mjs';
import { rssKb } from '../lib/proc.mjs';
import { PEERS_DIR } from '../lib/report.mjs';
import { head } from '../suites/startup.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Does the process list show at least `min(n, 40)` processes as UP?
 * @param {string} screen capture-pane text.
 * @param {number} n Processes.
 * @returns {boolean}
 */
export function mprocsComplete(screen, n) {
  const up = screen.split('\n').filter((l) => /l\d{3}\s+UP\b/.test(l));
  return up.length >= Math.min(n, 40);
}

/**
 * @param {import('../suites/startup.mjs').Ctx} ctx Context.
 * @param {number} n Processes.
 * @param {{reps: {cold: number}}} plan Repetitions.
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output.
 */
export async function mprocs(ctx, n, plan, benches) {
  const { createRequire } = await import('node:module');
  const bin = createRequire(import.meta.url)(join(PEERS_DIR, 'node_modules', 'mprocs', 'index.js'));
  const config = join(ctx.fx.root, `mprocs-${n}.yaml`);
  const procs = laneIds(n).map((id) => `  ${id}:\n    cmd: ["sleep", "100000"]`);
  await writeFile(config, `procs:\n${procs.join('\n')}\n`);
  const values = [];
  let rss = null;
  for (let r = 0; r < plan.reps.cold; r += 1) {
    const pane = await ctx.tmux.open({ argv: [bin, '--config', config], cwd: ctx.fx.root });
    try {
      const t0 = await pane.start();
      const shot = await pane.waitForScreen((s) => mprocsComplete(s, n), 30_000);
      values.push(shot.t === null ? null : shot.t - t0);
      if (shot.t === null) ctx.log(`mprocs N=${n}: no first frame:\n${head(shot.screen)}`);
      if (r === plan.reps.cold - 1) {
        await pause(1000);
        rss = (rssKb(pane.pid) ?? NaN) / 1024;
      }
    } finally {
      await pane.close();
    }
  }
  benches.cold.add({
    subject: 'mprocs',
    n,
    metric: 'first frame (processes UP)',
    unit: 'ms',
    values,
  });
  benches.idle.add({ subject: 'mprocs', n, metric: 'RSS', unit: 'MB', values: [rss] });
}
