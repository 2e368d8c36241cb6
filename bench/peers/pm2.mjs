/**
 * pm2 at the same N: a private daemon (PM2_HOME in the temp dir) supervising N idle
 * processes (`sleep`, interpreter none), then `pm2 jlist` and `pm2 restart l000` wall
 * times (CLI spawn → exit; the restart has completed when the command returns). The
 * daemon is killed (`pm2 kill`) when the run ends.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { laneIds } from '../lib/fixture.mjs';
import { run } from '../lib/proc.mjs';
import { PEERS_DIR } from '../lib/report.mjs';

const PM2 = join(PEERS_DIR, 'node_modules', 'pm2', 'bin', 'pm2');
let started = 0;

/**
 * Run the pm2 CLI with the private home.
 * @param {string} root Fixture root.
 * @param {string[]} args pm2 arguments.
 */
function pm2cli(root, args) {
  return run(process.execPath, [PM2, ...args], {
    env: { ...process.env, PM2_HOME: join(root, 'pm2'), HOME: join(root, 'pm2') },
    timeoutMs: 180_000,
  });
}

/**
 * Wall times of `pm2 restart <name>` (CLI spawn → exit: the restart has completed when
 * the command returns), one per repetition; null for a failed run.
 * @param {string} root Fixture root (holds the private PM2_HOME).
 * @param {string} name pm2 process name.
 * @param {number} reps Repetitions.
 * @returns {Promise<Array<number|null>>} ms.
 */
export async function pm2RestartTimes(root, name, reps) {
  const rs = [];
  for (let i = 0; i < reps; i += 1) {
    const r = await pm2cli(root, ['restart', name]);
    rs.push(r.code === 0 ? r.ms : null);
  }
  return rs;
}

/**
 * pm2 supervising one idle `sleep` process named `l000` under a private daemon in `root`,
 * for benches that only compare a restart (bench/fleet.mjs). Returns a stop function
 * (`pm2 kill`).
 * @param {string} root Temp dir.
 * @returns {Promise<() => Promise<unknown>>}
 */
export async function pm2One(root) {
  const sleep = (await run('sh', ['-c', 'command -v sleep'])).stdout.trim() || '/bin/sleep';
  const file = join(root, 'pm2-one.json');
  const app = { name: 'l000', script: sleep, args: '100000', interpreter: 'none' };
  await writeFile(file, JSON.stringify({ apps: [{ ...app, autorestart: true }] }));
  const r = await pm2cli(root, ['start', file]);
  if (r.code !== 0) throw new Error(`pm2 start failed: ${r.error} ${r.stderr.slice(-500)}`);
  return () => pm2cli(root, ['kill']);
}

/**
 * @param {import('../suites/startup.mjs').Ctx & {cleanups: Array<() => unknown>}} ctx
 * @param {number} n Processes.
 * @param {{reps: {json: number, restart: number}}} plan Repetitions.
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output.
 */
export async function pm2(ctx, n, plan, benches) {
  const root = ctx.fx.root;
  if (started === 0) ctx.cleanups.push(() => pm2cli(root, ['kill']));
  const sleep = (await run('sh', ['-c', 'command -v sleep'])).stdout.trim() || '/bin/sleep';
  const ids = laneIds(n).slice(started);
  if (ids.length > 0) {
    const apps = ids.map((id) => ({
      name: id,
      script: sleep,
      args: '100000',
      interpreter: 'none',
      autorestart: true,
    }));
    const file = join(root, `pm2-${n}.json`);
    await writeFile(file, JSON.stringify({ apps }));
    const r = await pm2cli(root, ['start', file]);
    if (r.code !== 0) throw new Error(`pm2 start failed: ${r.error} ${r.stderr.slice(-500)}`);
    started = n;
  }
  const jl = [];
  for (let i = 0; i < plan.reps.json; i += 1) {
    const r = await pm2cli(root, ['jlist']);
    let count = -1;
    try {
      count = JSON.parse(r.stdout).length;
    } catch {
      // not JSON
    }
    jl.push(r.code === 0 && count === n ? r.ms : null);
  }
  benches.json.add({ subject: 'pm2 jlist', n, metric: 'wall time', unit: 'ms', values: jl });
  const rs = await pm2RestartTimes(root, 'l000', plan.reps.restart);
  benches.restart.add({
    subject: 'pm2 restart',
    n,
    metric: 'wall time (one process)',
    unit: 'ms',
    values: rs,
  });
}
