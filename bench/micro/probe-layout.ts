/**
 * Where the time of a 500-lane git probe goes (issue #17): `probeLanes` (src/runtime/git)
 * on the bench fixture in one fresh process per run, with the chain layout of the board
 * (25 worktrees per chain), of `laneboard --json` (`oneShot`) or another one, runs of the
 * layouts interleaved. Per run one JSON line: wall ms of the whole probe, ms until the
 * first 40 lanes were emitted (the rows the board's "first complete frame" needs, bench
 * benchmark 1), CPU ms of this process and of its reaped children (git, sh), spawns.
 * Then the cost of one process of each kind the probe starts, in a fixture worktree:
 * children CPU of `--floor-reps` runs each of `/bin/true`, `git --version`, the chain's
 * `git status` and its `git diff` (so lanes × (status + diff) is the probe's floor).
 *
 *   node --import tsx bench/micro/probe-layout.ts --fixture DIR [--n 500] [--reps 2] \
 *     [--layouts oneshot,25,oneshot@4] [--floor-reps 50]
 *
 * DIR is a fixture made by bench/micro/json-probe.mjs (`--fixture DIR`, N ≥ n). A layout
 * is `oneshot` or a chunk size, with an optional `@concurrency`. Run it under the bench
 * lock; compare CPU, which the machine's load moves less than wall time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeLanes } from '../../src/runtime/git/batch-probe.js';
import { STATUS_LINE_ARGS } from '../../src/runtime/git/lane-batch.js';
import { diffStatArgs } from '../../src/runtime/git/diff-stat.js';
import type { LaneConfig } from '../../src/state/config-types.js';

const args = process.argv.slice(2);
/** Value of `--name`, or `dflt`. */
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : (args[i + 1] ?? dflt);
};
const root = opt('--fixture', '');
const n = Number(opt('--n', '500'));

/** CPU ms of this process's reaped children (`cutime + cstime` of /proc/self/stat). */
function childrenCpuMs(): number {
  const f = (readFileSync('/proc/self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(f[13]) + Number(f[14])) * 10; // clock ticks of 10 ms (USER_HZ 100)
}

/** One probe of the first `n` fixture lanes with `layout`; prints its JSON line. */
async function worker(layout: string): Promise<void> {
  const [chunk, conc] = layout.split('@');
  const lanes = Array.from({ length: n }, (_, i) => {
    const id = `l${String(i).padStart(3, '0')}`;
    return { id, worktree: join(root, 'wt', id), branch: `lane/${id}`, base: 'main' };
  }) as unknown as LaneConfig[];
  const c0 = process.cpuUsage();
  const ch0 = childrenCpuMs();
  const t0 = performance.now();
  let seen = 0;
  let first40 = -1;
  const r = await probeLanes(
    lanes,
    {
      timeoutMs: 60_000,
      at: () => Date.now(),
      ...(chunk === 'oneshot' ? { oneShot: true } : { chunkSize: Number(chunk) }),
      ...(conc === undefined ? {} : { concurrency: Number(conc) }),
    },
    (actions) => {
      seen += actions.length;
      if (first40 < 0 && seen >= Math.min(40, n)) first40 = performance.now() - t0;
    },
  );
  const wall = performance.now() - t0;
  const self = process.cpuUsage(c0);
  const ok = r.actions.filter((a) => a.type === 'git/ok').length;
  process.stdout.write(
    `${JSON.stringify({
      layout,
      lanes: n,
      ok,
      wallMs: Math.round(wall),
      first40Ms: Math.round(first40),
      selfCpuMs: Math.round((self.user + self.system) / 1000),
      childCpuMs: childrenCpuMs() - ch0,
      spawns: r.stats.batchSpawns,
    })}\n`,
  );
}

/** Children CPU ms per run of `cmd` in `cwd` (mean of `reps` runs). */
function perProcess(cmd: string, argv: readonly string[], cwd: string, reps: number): number {
  const ch0 = childrenCpuMs();
  for (let i = 0; i < reps; i++) spawnSync(cmd, argv, { cwd, stdio: 'ignore' });
  return (childrenCpuMs() - ch0) / reps;
}

/** The interleaved runs (each a fresh process: the diff caches are per process), then the floors. */
function main(): void {
  const reps = Number(opt('--reps', '2'));
  const layouts = opt('--layouts', 'oneshot,25,oneshot@4').split(',');
  const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  for (let r = 0; r < reps; r++) {
    for (const layout of layouts) {
      const w = spawnSync(
        process.execPath,
        [...process.execArgv, process.argv[1] ?? '', ...args, '--worker', layout],
        { encoding: 'utf8' },
      );
      process.stdout.write(`${uptime()}\n  ${w.stdout.trim() || `FAILED ${w.stderr.trim()}`}\n`);
    }
  }
  const k = Number(opt('--floor-reps', '50'));
  const wt = join(root, 'wt', 'l001');
  const git = ['--no-optional-locks'];
  const floors = {
    true: perProcess('/bin/true', [], wt, k),
    gitVersion: perProcess('git', ['--version'], wt, k),
    status: perProcess('git', [...git, ...STATUS_LINE_ARGS], wt, k),
    diff: perProcess('git', [...git, ...diffStatArgs('main')], wt, k),
  };
  process.stdout.write(
    `${uptime()}\n  CPU ms per process (${k} runs each): ${JSON.stringify(floors)}\n`,
  );
}

if (root === '') {
  process.stderr.write('usage: probe-layout.ts --fixture DIR [--n 500] [--reps 2] [--layouts …]\n');
  process.exit(2);
}
if (args.includes('--worker')) await worker(opt('--worker', 'oneshot'));
else main();
