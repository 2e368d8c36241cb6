/**
 * Benchmark 7 (issue #12): a long session's events file. One lane's `hook-events.jsonl`
 * holds 1 M Claude Code hook payloads (~140 MB, ending with a permission Notification)
 * next to lanes with empty files; the same config is measured with that file empty.
 * Figures: `--json` wall time and peak RSS (VmHWM), and the first complete board (in
 * tmux; with the big file the lane's `permission` blocker must be on screen too) and the
 * board's peak RSS at that moment. Target: big within 1.2 × empty, peak RSS ≤ 200 MB.
 * The two cases alternate run by run (the big file is moved in and out by a rename).
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { boardArgv, boardComplete, CLI, parseBoard } from '../lib/board.mjs';
import { laneIds } from '../lib/fixture.mjs';
import { now } from '../lib/proc.mjs';

/** Lines in the big file. */
export const BIG_LINES = 1_000_000;

/**
 * Write `lines` hook payloads and a final permission Notification to `file` (0 ⇒ empty).
 * @param {string} file Path.
 * @param {number} lines Count (a multiple of 1 000).
 */
function writeEvents(file, lines) {
  const fd = openSync(file, 'w');
  try {
    if (lines === 0) return;
    // 1 000 distinct payloads (a tool call and its result each), written as one block
    // over and over: the bytes a busy session writes, without a million stringify calls.
    const block = [];
    for (let i = 0; i < 1000; i += 1) {
      block.push(
        JSON.stringify({
          session_id: 'bench',
          hook_event_name: i % 2 === 0 ? 'PreToolUse' : 'PostToolUse',
          tool_name: 'Bash',
          tool_input: { command: `npm test -- --grep case${i}` },
          received_at: new Date(1.7e12 + i * 500).toISOString(),
        }),
      );
    }
    const bytes = Buffer.from(`${block.join('\n')}\n`);
    for (let i = 0; i < lines; i += 1000) writeSync(fd, bytes);
    const note = {
      session_id: 'bench',
      hook_event_name: 'Notification',
      message: 'Claude needs your permission to use Bash',
    };
    writeSync(fd, `${JSON.stringify(note)}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Peak RSS (VmHWM) of a live process, in MB; null when it cannot be read.
 * @param {number} pid Process.
 * @returns {number|null}
 */
function peakMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * `laneboard --json` once, sampling the child's VmHWM every 5 ms until it exits.
 * @param {string} config lanes.yaml.
 * @returns {Promise<{ms: number|null, peak: number|null, snap: any}>}
 */
function jsonRun(config) {
  return new Promise((resolve) => {
    const t0 = now();
    const child = spawn(process.execPath, [CLI, '--config', config, '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    let peak = null;
    child.stdout.on('data', (c) => (out += c));
    const timer = setInterval(() => {
      const p = peakMb(child.pid);
      if (p !== null) peak = Math.max(peak ?? 0, p);
    }, 5);
    child.on('close', (code) => {
      clearInterval(timer);
      const ms = now() - t0;
      let snap = null;
      try {
        snap = JSON.parse(out);
      } catch {
        snap = null;
      }
      resolve({ ms: code === 0 && snap ? ms : null, peak, snap });
    });
  });
}

/**
 * Run benchmark 7 on the N-lane config (its first lane gets the big file).
 * @param {{fx: {root: string}, tmux: any, configs: Map<number, string>, log: (m: string) => void}} ctx
 * @param {number} n Lanes of the config used.
 * @param {number} reps Repetitions per case.
 * @param {{big: import('../lib/report.mjs').Bench}} benches Output.
 */
export async function bigEvents(ctx, n, reps, benches) {
  const config = ctx.configs.get(n);
  const id = laneIds(n)[0];
  const file = join(dirname(config), '.laneboard', 'lanes', id, 'hook-events.jsonl');
  // Earlier benchmarks' workers left this lane's state.json / events.jsonl (e.g. status
  // `finished`), which would decide the lane's state instead of the hook events measured
  // here: remove them so both cases differ only in hook-events.jsonl.
  mkdirSync(dirname(file), { recursive: true }); // `--only big-events`: no writer made it
  for (const name of ['state.json', 'events.jsonl', 'result.json']) {
    rmSync(join(dirname(file), name), { force: true });
  }
  // The big file is written once beside the fixture and moved in and out of the bridge
  // (a rename) so the two cases alternate run by run, each repetition in the other order:
  // on a shared machine the load drifts over a minute, and measuring all empty runs
  // before all big ones once turned that drift into a "difference".
  const side = join(ctx.fx.root, 'big-hook-events.jsonl');
  const t = now();
  writeEvents(side, BIG_LINES);
  ctx.log(`big events: 1 M-line file written (${Math.round(now() - t)} ms)`);
  const cases = [
    { label: 'empty', lines: 0, json: [], jsonPeak: [], cold: [], coldPeak: [] },
    { label: '1 M lines', lines: BIG_LINES, json: [], jsonPeak: [], cold: [], coldPeak: [] },
  ];
  try {
    for (let r = 0; r < reps; r += 1) {
      for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
        if (c.lines === 0) writeEvents(file, 0);
        else renameSync(side, file);
        try {
          await measureOnce(ctx, config, n, id, c);
        } finally {
          if (c.lines !== 0) renameSync(file, side);
        }
      }
    }
    for (const c of cases) {
      const subject = `laneboard (${id}: ${c.label})`;
      const rows = [
        ['--json wall time', 'ms', c.json],
        ['--json peak RSS', 'MB', c.jsonPeak],
        ['first complete board', 'ms', c.cold],
        ['board peak RSS', 'MB', c.coldPeak],
      ];
      for (const [metric, unit, values] of rows)
        benches.big.add({ subject, n, metric, unit, values });
    }
  } finally {
    rmSync(file, { force: true });
    rmSync(side, { force: true });
  }
}

/**
 * One `--json` run and one board start for a case, appended to its figure lists.
 * @param {{tmux: any, fx: {root: string}, log: (m: string) => void}} ctx
 * @param {string} config lanes.yaml.
 * @param {number} n Lanes.
 * @param {string} id The lane with the events file.
 * @param {{label: string, lines: number, json: (number|null)[], jsonPeak: (number|null)[],
 *   cold: (number|null)[], coldPeak: (number|null)[]}} c The case (mutated).
 */
async function measureOnce(ctx, config, n, id, c) {
  const x = await jsonRun(config);
  const lane = x.snap?.lanes?.find((l) => l.id === id);
  const blocked = lane?.blockers?.some((b) => b.failureClass === 'permission');
  const ok = x.ms !== null && (c.lines === 0 || blocked === true);
  if (!ok) ctx.log(`big events --json (${c.label}) failed or showed no permission blocker`);
  c.json.push(ok ? x.ms : null);
  c.jsonPeak.push(x.peak);
  const pane = await ctx.tmux.open({ argv: boardArgv(config), cwd: ctx.fx.root });
  const t0 = await pane.start();
  const shot = await pane.waitForScreen(
    (s) =>
      boardComplete(s, n) &&
      (c.lines === 0 || (parseBoard(s).get(id)?.blocker ?? '').includes('permission')),
    60_000,
  );
  c.cold.push(shot.t === null ? null : shot.t - t0);
  c.coldPeak.push(peakMb(pane.pid));
  await pane.close();
}
