/**
 * `laneboard --json` with no runtime running (issue #17's probe figure), A/B: the bench
 * fixture (bench/lib/fixture.mjs: every worktree dirty, every third one behind) at each
 * size, runs of each given build interleaved, wall time and CPU (user + sys of the
 * process and its children) per run, `uptime` and the `node -e 0` floor printed beside
 * every size.
 *
 *   node bench/micro/json-probe.mjs [--fixture DIR] [--reps 3] \
 *     [--n 50,200,500] <bin/laneboard.js of build A> [<bin/laneboard.js of build B> …]
 *
 * `--fixture DIR` reuses (or creates, when DIR does not exist yet) a fixture there;
 * otherwise a temp dir is created and removed. Growing 500 worktrees takes ~1-2 minutes.
 * Each run must print a snapshot listing all N lanes, or it is reported as failed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFixture, growWorktrees, writeConfig } from '../lib/fixture.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const fixtureArg = opt('--fixture', null);
const reps = Number(opt('--reps', '3'));
const sizes = opt('--n', '50,200,500').split(',').map(Number);
const clis = args;
if (clis.length === 0) {
  process.stderr.write('usage: json-probe.mjs [--fixture DIR] [--reps 3] [--n 50,200,500] CLI…\n');
  process.exit(2);
}

const root = fixtureArg ?? mkdtempSync(join(tmpdir(), 'lb-json-probe-'));
const max = Math.max(...sizes);
if (!existsSync(join(root, 'repo'))) {
  mkdirSync(root, { recursive: true });
  const fx = await createFixture(root);
  const ms = await growWorktrees(fx, max);
  process.stderr.write(`fixture: ${max} worktrees in ${ms} ms\n`);
}
for (const n of sizes) await writeConfig({ root }, n, { supervised: 0, workerScript: '/dev/null' });

/** One `--json` run: wall ms, CPU ms of the process tree (getrusage of children), lanes seen. */
function once(cli, n) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S', process.execPath, cli, '--config', join(root, `lanes-${n}.yaml`), '--json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const [user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  let lanes = -1;
  try {
    lanes = JSON.parse(r.stdout).lanes.length;
  } catch {
    /* reported below */
  }
  return { wall, cpu: ((user ?? NaN) + (sys ?? NaN)) * 1000, ok: r.status === 0 && lanes === n };
}

/** Wall ms of `node -e 0` (the floor every figure is compared with). */
function floor() {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

for (const n of sizes) {
  process.stdout.write(`N=${n}  ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  process.stdout.write(`  node -e 0 (floor): wall ${floor().toFixed(0)} ms\n`);
  for (let r = 0; r < reps; r += 1) {
    for (const cli of clis) {
      const x = once(cli, n);
      const fig = `wall ${x.wall.toFixed(0)} ms, cpu ${x.cpu.toFixed(0)} ms`;
      process.stdout.write(`  ${cli}  run ${r + 1}: ${x.ok ? fig : `FAILED (${fig})`}\n`);
    }
  }
}
if (fixtureArg === null) rmSync(root, { recursive: true, force: true });
