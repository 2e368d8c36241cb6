/**
 * Idle CPU of a 500-lane board, A/B side by side (issue #17's idle figure): two boards,
 * one per build, run at the same time on two configs over the same worktrees (each with
 * its own bridge dirs and its 2 supervised idle workers, like the scale section), so a
 * loaded machine inflates both alike. Each round waits until both boards are settled (a
 * 5 s window under 3 % of a core each, at most 3 minutes), then reads the CPU of each
 * board's process tree (ns resolution) over the same 30 s window; the builds swap
 * configs every round. `uptime` is printed beside every round.
 *
 *   node bench/micro/idle-ab.mjs [--fixture DIR] [--rounds 3] [--n 500] \
 *     <bin/laneboard.js of build A> <bin/laneboard.js of build B>
 *
 * `--fixture DIR` reuses (or creates, when DIR does not exist yet) a fixture there;
 * otherwise a temp dir is created and removed. Growing 500 worktrees takes ~2 minutes.
 * On a shared machine, run benchmarks one at a time (e.g. under one `flock` lock file);
 * tmux runs on its own socket.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFixture, growWorktrees, laneIds, writeConfig } from '../lib/fixture.mjs';
import { rssKb, selfCpuMs, treeCpuPreciseMs } from '../lib/proc.mjs';
import { startWriters } from '../lib/writers.mjs';

const { values, positionals: builds } = parseArgs({
  allowPositionals: true,
  options: {
    fixture: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    n: { type: 'string', default: '500' },
  },
});
const fixtureArg = values.fixture ?? null;
const rounds = Number(values.rounds);
const n = Number(values.n);
if (builds.length !== 2) {
  console.error('usage: idle-ab.mjs [--fixture DIR] [--rounds 3] [--n 500] <cli A> <cli B>');
  process.exit(2);
}
const WORKER = new URL('../fixture/worker.mjs', import.meta.url).pathname;
/** tmux socket of the current round (a fresh server per round: a new session right after
 * `kill-server` on the same socket can race the old server's exit). */
let socket = `idle-ab-${process.pid}`;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const tmux = (...a) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The fixture with `n` worktrees and two configs (X at the root, Y in `b/`). */
async function fixture(root) {
  const fresh = !existsSync(join(root, 'repo'));
  mkdirSync(root, { recursive: true });
  const fx = fresh
    ? await createFixture(root)
    : { root, repo: join(root, 'repo'), count: n, c1: '', c2: '' };
  if (fresh) await growWorktrees(fx, n);
  const x = await writeConfig(fx, n, { supervised: 2, workerScript: WORKER });
  // Y: same worktrees and repo, its own bridge dirs (<root>/b/.laneboard/lanes/<id>).
  mkdirSync(join(root, 'b'), { recursive: true });
  const y = join(root, 'b', `lanes-${n}.yaml`);
  const text = readFileSync(x, 'utf8')
    .replace('repo: repo', 'repo: ../repo')
    .replaceAll('worktree: wt/', 'worktree: ../wt/');
  writeFileSync(y, text);
  for (const dir of [root, join(root, 'b')]) {
    const pool = await startWriters(join(dir, '.laneboard', 'lanes'), laneIds(n));
    await pool.rate(0);
    await pool.stop();
  }
  return [x, y];
}

/** One round: both boards, settled, CPU over the same 30 s. */
async function round(r, configs) {
  const order = r % 2 === 1 ? [0, 1] : [1, 0]; // build index on config X, then on Y
  socket = `idle-ab-${process.pid}-${r}`;
  tmux('new-session', '-d', '-s', 'b', '-x', '200', '-y', '60', 'exec sleep 1000000');
  const pids = [];
  for (const [i, build] of order.entries()) {
    const cmd = `env -u CI ${process.execPath} ${builds[build]} --config ${configs[i]}`;
    const pane = tmux('new-window', '-P', '-F', '#{pane_pid}', '-t', 'b:', cmd).trim();
    pids[build] = Number(pane);
  }
  const t00 = Date.now();
  while (Date.now() - t00 < 180_000) {
    const s0 = pids.map(selfCpuMs);
    await pause(5000);
    if (pids.every((p, i) => (100 * (selfCpuMs(p) - s0[i])) / 5000 < 3)) break;
  }
  const l0 = load();
  const t0 = Date.now();
  const c0 = pids.map(treeCpuPreciseMs);
  await pause(30_000);
  const dt = Date.now() - t0;
  const cells = pids.map((p, i) => {
    const pct = (100 * (treeCpuPreciseMs(p) - c0[i])) / dt;
    const on = order.indexOf(i) === 0 ? 'X' : 'Y';
    return `${String.fromCharCode(65 + i)} ${pct.toFixed(2)} % (config ${on}, RSS ${((rssKb(p) ?? 0) / 1024).toFixed(0)} MB)`;
  });
  const settled = ((t0 - t00) / 1000).toFixed(0);
  console.log(`round ${r}: settled ${settled} s; ${cells.join('; ')}; load ${l0} -> ${load()}`);
  tmux('kill-server');
}

const root = fixtureArg ?? mkdtempSync(join(tmpdir(), 'laneboard-idle-ab-'));
try {
  const configs = await fixture(root);
  console.log(`A = ${builds[0]}\nB = ${builds[1]}\n${n} lanes; uptime: ${load()}`);
  for (let r = 1; r <= rounds; r += 1) await round(r, configs);
} finally {
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
  if (fixtureArg === null) rmSync(root, { recursive: true, force: true });
}
