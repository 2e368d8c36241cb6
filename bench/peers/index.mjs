/**
 * Peers measured in the same run as laneboard (issue #5): ccmanager 4.2.3 (Ink, run with
 * node; N ≤ 50), pm2 (`jlist`, `restart`), mprocs (native TUI: first frame, RSS). They
 * are installed on demand into the git-ignored `bench/.peers/` (never project
 * dependencies); a peer that cannot install or run is reported and skipped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../lib/proc.mjs';
import { PEERS_DIR } from '../lib/report.mjs';
import { ccmanager } from './ccmanager.mjs';
import { mprocs } from './mprocs.mjs';
import { pm2 } from './pm2.mjs';

const SPECS = ['ccmanager@4.2.3', 'pm2', 'mprocs'];
let installed = null;

/**
 * Install the peers once per run (skipped when already present).
 * @param {(msg: string) => void} log Progress.
 * @returns {Promise<boolean>} false when npm failed (reason logged).
 */
export async function installPeers(log) {
  if (installed !== null) return installed;
  const have = ['ccmanager', 'pm2', 'mprocs'].every((p) =>
    existsSync(join(PEERS_DIR, 'node_modules', p, 'package.json')),
  );
  if (have) return (installed = true);
  log(`installing peers into ${PEERS_DIR} (${SPECS.join(' ')})`);
  const r = await run(
    'npm',
    ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--no-save', ...SPECS],
    { timeoutMs: 300_000 },
  );
  if (r.code !== 0) log(`peers could not be installed: ${r.error}\n${r.stderr.slice(-2000)}`);
  installed = r.code === 0;
  return installed;
}

/**
 * Measure every peer at N = `n`.
 * @param {import('../suites/startup.mjs').Ctx & {cleanups: Array<() => unknown>}} ctx
 *   Context (peer daemons register their cleanup in `ctx.cleanups`).
 * @param {number} n Worktrees / processes.
 * @param {{reps: {cold: number, json: number, restart: number}, idleMs: number}} plan
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output.
 */
export async function runPeers(ctx, n, plan, benches) {
  if (!(await installPeers(ctx.log))) return;
  for (const [name, fn] of [
    ['ccmanager', ccmanager],
    ['pm2', pm2],
    ['mprocs', mprocs],
  ]) {
    try {
      await fn(ctx, n, plan, benches);
      ctx.log(`N=${n}: ${name} done`);
    } catch (e) {
      ctx.log(
        `N=${n}: ${name} could not be measured: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
