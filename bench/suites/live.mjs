/**
 * Benchmarks 3-6 in one running board per N (tmux pane, writer processes already
 * running for every lane):
 * 3. update latency: a writer renames a state.json whose status and phase are a unique
 *    marker → the marker appears in the bytes the board writes (the row's AGENT cell
 *    shows the status verbatim; phase is only in the detail pane);
 * 4. idle CPU (board + children, % of one core) and RSS, writers quiet;
 * 5. update storm: every lane writes 10×/s; board CPU, bytes, frames; then a final write
 *    per lane and a check that every row shows it (paging through the board) and that
 *    `--json` has each lane's final phase;
 * 6. restart latency: the `r` key on lane l000 → a new pid in the supervisor record
 *    (what `--json` reads), checked against one `--json` call.
 */
import { randomBytes } from 'node:crypto';
import {
  boardArgv,
  boardComplete,
  jsonSnapshot,
  parseBoard,
  readAllRows,
  readRecordLanes,
} from '../lib/board.mjs';
import { laneIds } from '../lib/fixture.mjs';
import { alive, now, rssKb, selfCpuMs, treeCpuMs, waitFor } from '../lib/proc.mjs';
import { head } from './startup.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Measure CPU of `pid`'s tree over `windowMs`, in `slices` equal sub-windows.
 * @param {number} pid Root pid.
 * @param {number} windowMs Total window (ms).
 * @param {number} slices Sub-windows (each a figure).
 * @param {number[]} [extraPids] Other roots measured over the same window (writers).
 * @param {(pid: number) => number} [read] CPU of a tree so far (ms): {@link treeCpuMs}
 *   (clock ticks), or `treeCpuPreciseMs` where 10 ms steps are too coarse.
 * @returns {Promise<{slices: number[], total: number, self: number, extra: number}>} %
 *   of one core per slice, over the whole window, of the root process alone, and the
 *   extra roots' total %.
 */
export async function cpuWindow(pid, windowMs, slices, extraPids = [], read = treeCpuMs) {
  const sum = () => extraPids.reduce((s, p) => s + read(p), 0);
  const start = now();
  const self0 = selfCpuMs(pid);
  const c0 = read(pid);
  const e0 = sum();
  const out = [];
  let prevC = c0;
  let prevT = start;
  for (let i = 1; i <= slices; i += 1) {
    await pause(Math.max(0, start + (windowMs * i) / slices - now()));
    const c = read(pid);
    const t = now();
    out.push((100 * (c - prevC)) / (t - prevT));
    prevC = c;
    prevT = t;
  }
  const total = (100 * (prevC - c0)) / (prevT - start);
  const self = (100 * (selfCpuMs(pid) - self0)) / (prevT - start);
  return { slices: out, total, self, extra: (100 * (sum() - e0)) / (prevT - start) };
}

/**
 * Run benchmarks 3-6 against one board.
 * @param {import('./startup.mjs').Ctx} ctx Context.
 * @param {number} n Lanes.
 * @param {import('../lib/writers.mjs').WriterPool} pool Writers of all n lanes.
 * @param {{markers: number, idleMs: number, stormMs: number, restarts: number}} plan
 * @param {Record<string, import('../lib/report.mjs').Bench>} benches Output
 *   (`latency`, `idle`, `storm`, `restart`).
 */
export async function liveSession(ctx, n, pool, plan, benches) {
  const config = ctx.configs.get(n);
  const pane = await ctx.tmux.open({ argv: boardArgv(config), cwd: ctx.fx.root });
  try {
    await pane.start();
    const shot = await pane.waitForScreen((s) => boardComplete(s, n), 30_000);
    if (shot.t === null) {
      ctx.log(`live N=${n}: board never complete:\n${head(shot.screen)}`);
      return;
    }
    const pid = pane.pid;
    await latency(ctx, n, pane, pool, plan.markers, benches.latency);
    await idle(n, pane, pool, pid, plan.idleMs, benches.idle);
    await storm(ctx, n, pane, pool, pid, plan.stormMs, benches.storm);
    await restart(ctx, n, pane, plan.restarts, benches.restart);
  } finally {
    await pool.rate(0);
    await pane.close();
  }
}

async function latency(ctx, n, pane, pool, markers, bench) {
  await pool.rate(0.2); // background: every lane's heartbeat every 5 s
  const visible = [...parseBoard(await pane.capture()).keys()];
  const tag = randomBytes(2).toString('hex');
  const values = [];
  const count = n >= 200 ? Math.min(markers, 30) : markers;
  for (let k = 0; k < count; k += 1) {
    const id = visible[(k * 7) % visible.length];
    const marker = `m${tag}${String(k).padStart(3, '0')}`;
    const seen = pane.waitForText(marker, 5000);
    const tWrite = await pool.mark(id, marker);
    const tSeen = await seen;
    values.push(tWrite === null || tSeen === null ? null : Math.max(0, tSeen - tWrite));
    await pause(20 + Math.random() * 100); // de-phase from the board's flush timer
  }
  await pool.rate(0);
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'bridge write → bytes',
    unit: 'ms',
    values,
    note: values.includes(null) ? 'some markers never appeared within 5 s' : undefined,
  });
  ctx.log(`latency N=${n}: ${values.filter((v) => v !== null).length}/${count} markers seen`);
}

async function idle(n, pane, pool, pid, idleMs, bench) {
  await pool.rate(0);
  await pause(Math.min(3000, idleMs / 4)); // let the last heartbeats and git probes settle
  const bytes0 = pane.bytes;
  const cpu = await cpuWindow(pid, idleMs, Math.max(1, Math.round(idleMs / 5000)));
  const bytes = pane.bytes - bytes0;
  bench.add({
    subject: 'laneboard',
    n,
    metric: `idle CPU (${Math.round(idleMs / 1000)} s)`,
    unit: '%',
    values: cpu.slices,
    extra: { wholeWindowPct: cpu.total, boardSelfPct: cpu.self, bytesWritten: bytes },
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'RSS (board)',
    unit: 'MB',
    values: [(rssKb(pid) ?? NaN) / 1024],
  });
}

async function storm(ctx, n, pane, pool, pid, stormMs, bench) {
  const writes0 = await pool.count();
  const bytes0 = pane.bytes;
  pane.log = [];
  await pool.rate(10);
  const cpu = await cpuWindow(pid, stormMs, Math.max(1, Math.round(stormMs / 5000)), pool.pids());
  const finals = await pool.final();
  const tFinal = now();
  const writes = (await pool.count()) - writes0;
  const log = pane.log;
  pane.log = null;
  // Frames: bursts of output separated by ≥ 4 ms of silence.
  let frames = 0;
  let prev = -Infinity;
  for (const c of log) {
    if (c.t - prev >= 4) frames += 1;
    prev = c.t;
  }
  const secs = stormMs / 1000;
  // Final state: every row must show status "finished" (the last write of each lane).
  let rows = new Map();
  const settled = await waitFor(
    async () => {
      rows = await readAllRows(pane, n);
      return (
        rows.size === n && [...rows.values()].every((c) => (c.agent ?? '').includes('finished'))
      );
    },
    20_000,
    200,
  );
  const settleMs = settled ? now() - tFinal : null;
  const lost = laneIds(n).filter((id) => !(rows.get(id)?.agent ?? '').includes('finished'));
  const snap = await jsonSnapshot(ctx.configs.get(n));
  const jsonLost = laneIds(n).filter((id) => {
    const lane = snap.snap?.lanes?.find((l) => l.id === id);
    return lane?.agent?.phase !== finals[id];
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'storm CPU (board+children)',
    unit: '%',
    values: cpu.slices,
    extra: {
      wholeWindowPct: cpu.total,
      boardSelfPct: cpu.self,
      writersCpuPct: cpu.extra,
      writesPerLanePerSec: writes / n / secs,
      bytesPerSec: (pane.bytes - bytes0) / secs,
      framesPerSec: frames / secs,
      finalSettleMs: settleMs,
      lostOnBoard: lost,
      lostInJson: jsonLost,
    },
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'storm CPU (board process alone)',
    unit: '%',
    values: [cpu.self],
  });
  bench.add({ subject: 'laneboard', n, metric: 'frames/s', unit: '/s', values: [frames / secs] });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'KB written/s',
    unit: 'KB/s',
    values: [(pane.bytes - bytes0) / 1024 / secs],
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'lanes with final state on board',
    unit: 'count',
    values: [n - lost.length],
    note:
      lost.length || jsonLost.length
        ? `lost on board: ${lost.join(' ') || '-'}; wrong in --json: ${jsonLost.join(' ') || '-'}`
        : undefined,
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'final write → all rows',
    unit: 'ms',
    values: [settleMs],
  });
  ctx.log(`storm N=${n}: ${(writes / n / secs).toFixed(1)} writes/lane/s, lost ${lost.length}`);
}

async function restart(ctx, n, pane, reps, bench) {
  const values = [];
  const onScreen = [];
  let bad = 0;
  const recordPid = async () => {
    const p = (await readRecordLanes(ctx.fx.root, ctx.configs.get(n))).l000?.pid;
    return typeof p === 'number' && alive(p) ? p : null;
  };
  await pane.keys('g');
  for (let r = 0; r < reps; r += 1) {
    const before = await waitFor(recordPid, 10_000);
    if (before === null) {
      ctx.log(`restart N=${n}: lane l000 has no live worker`);
      values.push(null);
      onScreen.push(null);
      continue;
    }
    pane.textLog = [];
    const t0 = now();
    await pane.keys('r');
    let pid = null;
    const t1 = await waitFor(
      async () => {
        const p = (await readRecordLanes(ctx.fx.root, ctx.configs.get(n))).l000?.pid;
        if (typeof p !== 'number' || p === before) return null;
        pid = p;
        return now();
      },
      10_000,
      2,
    );
    values.push(t1 === null ? null : t1 - t0);
    const text = `run ${pid}`;
    const hit =
      pid === null
        ? null
        : await waitFor(() => pane.textLog.find((c) => c.text.includes(text)), 5000);
    pane.textLog = null;
    onScreen.push(hit ? hit.t - t0 : null);
    if (r === reps - 1) {
      // The snapshot reads the same record: check once that it shows the new pid.
      const snap = await jsonSnapshot(ctx.configs.get(n));
      const shown = snap.snap?.lanes?.find((l) => l.id === 'l000')?.worker?.pid ?? null;
      if (pid === null || shown !== pid) bad += 1;
    }
    await pause(300 + Math.random() * 200); // de-phase the next key from the last frame
  }
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'r → new pid in record (--json)',
    unit: 'ms',
    values,
    note: bad ? '--json did not show the new pid after the last restart' : undefined,
  });
  bench.add({
    subject: 'laneboard',
    n,
    metric: 'r → new pid on screen',
    unit: 'ms',
    values: onScreen,
  });
}
