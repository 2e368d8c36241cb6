/**
 * ccmanager 4.2.3 (Ink TUI, run with node: its native binary cannot install here) in the
 * fixture repo: first frame in which every visible worktree row shows its git status
 * (`+1`, the fixture's one modified file per worktree; `[fetching...]` until then), then
 * idle CPU of its process tree and RSS. Only at N ≤ 50 (issue #5: 10 and 50 worktrees).
 * HOME points into the temp dir so its config never touches the user's.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rssKb, treeCpuMs, now } from '../lib/proc.mjs';
import { PEERS_DIR } from '../lib/report.mjs';
import { head } from '../suites/startup.mjs';

const CLI = join(PEERS_DIR, 'node_modules', 'ccmanager', 'dist', 'cli.js');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Has every visible lane row its git status?
 * @param {string} screen capture-pane text.
 * @param {number} n Worktrees.
 * @returns {boolean}
 */
export function ccmanagerComplete(screen, n) {
  const rows = screen.split('\n').filter((l) => /lane\/l\d{3}/.test(l));
  if (rows.length < Math.min(n, 20)) return false;
  return rows.every((l) => l.includes('+1') && !l.includes('[fetching'));
}

/**
 * @param {import('../suites/startup.mjs').Ctx} ctx Context.
 * @param {number} n Worktrees.
 * @param {{reps: {cold: number}, idleMs: number}} plan Repetitions and idle window.
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output.
 */
export async function ccmanager(ctx, n, plan, benches) {
  if (n > 50) return;
  const home = join(ctx.fx.root, 'home-ccmanager');
  await mkdir(home, { recursive: true });
  const values = [];
  for (let r = 0; r < plan.reps.cold; r += 1) {
    const pane = await ctx.tmux.open({
      argv: [process.execPath, CLI],
      cwd: ctx.fx.repo,
      env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    try {
      const t0 = await pane.start();
      const shot = await pane.waitForScreen((s) => ccmanagerComplete(s, n), 60_000);
      values.push(shot.t === null ? null : shot.t - t0);
      if (shot.t === null) {
        ctx.log(`ccmanager N=${n}: no git status within 60 s:\n${head(shot.screen)}`);
        continue;
      }
      if (r === plan.reps.cold - 1) {
        await pause(Math.min(3000, plan.idleMs / 4));
        const slices = Math.max(1, Math.round(plan.idleMs / 5000));
        const start = now();
        const c0 = treeCpuMs(pane.pid);
        const per = [];
        let prev = c0;
        let prevT = start;
        for (let i = 1; i <= slices; i += 1) {
          await pause(Math.max(0, start + (plan.idleMs * i) / slices - now()));
          const c = treeCpuMs(pane.pid);
          const t = now();
          per.push((100 * (c - prev)) / (t - prevT));
          prev = c;
          prevT = t;
        }
        benches.idle.add({
          subject: 'ccmanager',
          n,
          metric: `idle CPU (${Math.round(plan.idleMs / 1000)} s)`,
          unit: '%',
          values: per,
          extra: { wholeWindowPct: (100 * (prev - c0)) / (prevT - start) },
        });
        benches.idle.add({
          subject: 'ccmanager',
          n,
          metric: 'RSS',
          unit: 'MB',
          values: [(rssKb(pane.pid) ?? NaN) / 1024],
        });
      }
    } finally {
      await pane.close();
    }
  }
  benches.cold.add({
    subject: 'ccmanager',
    n,
    metric: 'first frame with git status',
    unit: 'ms',
    values,
  });
}
