/**
 * Load without loss (issue #4): N lanes, each rewritten (state.json, atomic) and appended
 * to (events.jsonl) R times a second for S seconds by real writer processes
 * (test/fixtures/faults/load-writer.cjs), read by the REAL bridge watcher → batching
 * dispatch → store → Ink <App> (rendered by ink-testing-library into a fake terminal),
 * while the "operator" moves the selection and opens/closes the detail pane.
 *
 * Measures and prints: key latency (key written → its effect in a frame, ms: p50/p95/max),
 * the time from the writers' exit until every lane shows exactly its writer's last state
 * (ms), events folded vs written (any loss is a failure), and RSS (MiB: before, peak, end).
 *
 * Full size:  npx tsx scripts/load-test.ts --lanes 200 --rate 20 --seconds 60 [--rows 50]
 * (React runs its production build, as in the shipped bundle, unless NODE_ENV is set.)
 * The bounded CI version runs in test/faults/load.test.tsx through {@link runLoad}.
 * Exit code 0 when nothing was lost and every lane converged within --converge-ms.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBatchedDispatch } from '../src/runtime/batch.js';
import { createBridgeWatcher } from '../src/runtime/bridge/index.js';
import type { Controls } from '../src/runtime/types.js';
import { DEFAULT_SETTINGS, type LaneConfig } from '../src/state/config-types.js';
import { selectLaneView } from '../src/state/selectors.js';
import { createBoardStore } from '../src/state/store.js';
import type { SteerMessage } from '../src/state/types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WRITER = resolve(HERE, '../test/fixtures/faults/load-writer.cjs');

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Lanes (count). */
  readonly lanes: number;
  /** Writes per lane per second. */
  readonly rate: number;
  /** How long the writers write (ms). */
  readonly durationMs: number;
  /** Writer processes (lanes are spread over them). @default ceil(lanes / 25) */
  readonly writers?: number;
  /** Terminal rows of the fake terminal. @default lanes + 12 (every row visible) */
  readonly rows?: number;
  /** Pause between operator keys (ms). @default 150 */
  readonly keyEveryMs?: number;
  /** Longest wait for convergence after the writers stop (ms). @default 5000 */
  readonly convergeTimeoutMs?: number;
  /** Progress lines go here. @default none */
  readonly log?: (line: string) => void;
}

/** What {@link runLoad} measured. Times in ms, memory in MiB. */
export interface LoadReport {
  readonly lanes: number;
  readonly writesPerLane: Readonly<Record<string, number>>;
  readonly totalWrites: number;
  /** Events written minus events folded by the store, over all lanes (0 = no loss). */
  readonly eventsLost: number;
  /** Lanes whose store view did not show the last written state at the end. */
  readonly wrongLanes: readonly string[];
  /** Lanes whose board row did not show it (only rows visible in the terminal are checked). */
  readonly wrongRows: readonly string[];
  /** From the last writer's exit until every lane (store, visible rows and every event folded) showed its last state. */
  readonly convergeMs: number | null;
  /** Key → effect latencies (ms), in order. */
  readonly keyLatencies: readonly number[];
  /** Keys whose effect never appeared within 5 s. */
  readonly keysLost: number;
  readonly rssMiB: { readonly before: number; readonly peak: number; readonly end: number };
  /** Event-loop delay of the board process while the writers ran (ms). */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

const mib = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Percentile `q` (0-1) of `xs` (nearest rank), or NaN for none. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
}

const idleControls: Controls = {
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  restart: () => Promise.resolve(),
  steer: (_id, text) => {
    const m: SteerMessage = {
      id: 'load',
      text,
      sentAt: Date.now(),
      via: 'inbox',
      state: 'pending',
      error: null,
      ackAt: null,
    };
    return Promise.resolve(m);
  },
  clearBlockers: () => undefined,
  runningCount: () => 0,
};

/** Run one load test in a fresh temp dir (removed afterwards). Never leaves writers behind. */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const log = opts.log ?? ((): void => undefined);
  const root = await mkdtemp(join(tmpdir(), 'lb-load-'));
  const ids = Array.from({ length: opts.lanes }, (_, i) => `l${String(i).padStart(3, '0')}`);
  const lanes: LaneConfig[] = ids.map((id) => ({
    id,
    repo: join(root, 'wt', id),
    worktree: join(root, 'wt', id),
    branch: `lane/${id}`,
    base: 'main',
    command: null,
    env: {},
    bridge: join(root, 'lanes', id),
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
  }));
  for (const l of lanes) await mkdir(l.bridge, { recursive: true });
  const store = createBoardStore();
  store.dispatch({ type: 'lanes/configured', lanes, settings: DEFAULT_SETTINGS, at: Date.now() });
  const batch = createBatchedDispatch((actions) => store.dispatchAll(actions));
  const watcher = createBridgeWatcher({
    lanes,
    settings: DEFAULT_SETTINGS,
    dispatch: batch.dispatch,
    clock: { now: () => Date.now() },
  });
  await watcher.start();
  // Imported here so the command line can pick React's production build first (as the
  // shipped bundle does: esbuild defines NODE_ENV=production).
  const { createElement } = await import('react');
  const { render } = await import('ink-testing-library');
  const { App } = await import('../src/ui/App.js');
  const { monoTheme } = await import('../src/ui/theme.js');
  const ui = render(
    createElement(App, {
      store,
      controls: idleControls,
      title: 'laneboard load',
      onExit: () => undefined,
      theme: monoTheme,
      home: null,
    }),
  );
  const rows = opts.rows ?? opts.lanes + 12;
  Object.defineProperty(ui.stdout, 'columns', { configurable: true, get: () => 160 });
  Object.defineProperty(ui.stdout, 'rows', { configurable: true, get: () => rows });
  ui.stdout.emit('resize');
  const frame = (): string => ui.lastFrame() ?? '';
  const rowOf = (f: string, id: string): string | undefined =>
    f.split('\n').find((l) => l.replace(/^[›\s]+/, '').split(/\s+/)[0] === id);
  const selected = (): string | undefined =>
    frame()
      .split('\n')
      .find((l) => l.startsWith('›'))
      ?.slice(1)
      .trim()
      .split(/\s+/)[0];
  const waitFrame = async (cond: (f: string) => boolean, timeoutMs: number): Promise<boolean> => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (cond(frame())) return true;
      await new Promise((r) => setImmediate(r));
    }
    return cond(frame());
  };

  let peak = process.memoryUsage().rss;
  const rssBefore = peak;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 250);

  const nWriters = opts.writers ?? Math.ceil(opts.lanes / 25);
  const groups: string[][] = Array.from({ length: nWriters }, () => []);
  lanes.forEach((l, i) => groups[i % nWriters]?.push(l.bridge));
  const children = groups.map((dirs) =>
    spawn(process.execPath, [WRITER, String(opts.rate), String(opts.durationMs), ...dirs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const lastSeq: Record<string, number> = {};
  const exited = children.map(
    (c) =>
      new Promise<void>((res) => {
        let out = '';
        c.stdout.on('data', (b: Buffer) => (out += b.toString()));
        // 'close', not 'exit': stdout may still hold the writer's last line at 'exit'.
        c.on('close', () => {
          try {
            Object.assign(lastSeq, JSON.parse(out) as Record<string, number>);
          } catch {
            // a writer that died prints nothing: its lanes count as wrong below
          }
          res();
        });
      }),
  );
  let writing = true;
  const allExited = Promise.all(exited).then(() => {
    writing = false;
  });
  log(
    `load: ${opts.lanes} lanes × ${opts.rate}/s for ${opts.durationMs / 1000} s, ${nWriters} writer processes`,
  );

  // The operator: move the selection down/up and open/close details, timing each effect.
  const keyLatencies: number[] = [];
  let keysLost = 0;
  let step = 0;
  try {
    await waitFrame((f) => selected() !== undefined && f.includes('lane 1/'), 5_000);
    while (writing) {
      const kind = step % 6;
      step += 1;
      const before = selected();
      const t0 = performance.now();
      let ok: boolean;
      if (kind === 4) {
        ui.stdin.write('\r');
        ok = await waitFrame((f) => f.includes('Raw bridge data') || f.includes('Detail —'), 5_000);
      } else if (kind === 5) {
        ui.stdin.write('\u001b');
        ok = await waitFrame((f) => !f.includes('Detail —'), 5_000);
      } else {
        ui.stdin.write(kind < 2 ? 'j' : 'k');
        ok = await waitFrame(() => selected() !== before, 5_000);
      }
      if (ok) keyLatencies.push(performance.now() - t0);
      else keysLost += 1;
      await pause(opts.keyEveryMs ?? 150);
    }
    await allExited;
    loop.disable();
    const stoppedAt = performance.now();
    log(`load: writers done; ${keyLatencies.length} keys timed`);

    const viewOk = (id: string): boolean => {
      const l = lanes.find((x) => x.id === id);
      const n = l === undefined ? undefined : lastSeq[l.bridge];
      return n !== undefined && selectLaneView(store.getState(), id).agent.status === `w${n}`;
    };
    const rowOk = (f: string, id: string): boolean => {
      const l = lanes.find((x) => x.id === id);
      const n = l === undefined ? undefined : lastSeq[l.bridge];
      const row = rowOf(f, id);
      return row === undefined || (n !== undefined && row.split(/\s+/).includes(`w${n}`));
    };
    // Every event folded too: state.json and events.jsonl are read separately (each file
    // paced on its own), so the last event can land a few ms after the last state.
    const eventsOk = (id: string): boolean => {
      const l = lanes.find((x) => x.id === id);
      const n = l === undefined ? undefined : lastSeq[l.bridge];
      return n !== undefined && store.getState().lanes[id]?.bridge.events.count === n;
    };
    const converged = (f: string): boolean =>
      ids.every((id) => viewOk(id) && rowOk(f, id) && eventsOk(id));
    const done = await waitFrame(converged, opts.convergeTimeoutMs ?? 5_000);
    const convergeMs = done ? performance.now() - stoppedAt : null;
    const f = frame();
    const state = store.getState();
    let written = 0;
    let folded = 0;
    const writesPerLane: Record<string, number> = {};
    for (const l of lanes) {
      const n = lastSeq[l.bridge] ?? 0;
      writesPerLane[l.id] = n;
      written += n;
      folded += state.lanes[l.id]?.bridge.events.count ?? 0;
    }
    return {
      lanes: opts.lanes,
      writesPerLane,
      totalWrites: written,
      eventsLost: written - folded,
      wrongLanes: ids.filter((id) => !viewOk(id)),
      wrongRows: ids.filter((id) => !rowOk(f, id)),
      convergeMs,
      keyLatencies,
      keysLost,
      rssMiB: { before: mib(rssBefore), peak: mib(peak), end: mib(process.memoryUsage().rss) },
      loopDelayMs: {
        p50: Math.round(loop.percentile(50) / 1e6),
        p99: Math.round(loop.percentile(99) / 1e6),
        max: Math.round(loop.max / 1e6),
      },
    };
  } finally {
    loop.disable();
    clearInterval(sampler);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all(exited);
    ui.unmount();
    await watcher.dispose();
    batch.dispose();
    await rm(root, { recursive: true, force: true });
  }
}

/** One-line summary of a report. */
export function summarize(r: LoadReport): string {
  const k = r.keyLatencies;
  const f = (n: number): string => (Number.isNaN(n) ? '—' : n.toFixed(0));
  return [
    `lanes ${r.lanes}, writes ${r.totalWrites} (state + event each), events lost ${r.eventsLost}`,
    `wrong lanes ${r.wrongLanes.length}, wrong rows ${r.wrongRows.length}, converged ${r.convergeMs === null ? 'NEVER' : `${f(r.convergeMs)} ms`} after the writers stopped`,
    `keys ${k.length} (lost ${r.keysLost}): p50 ${f(percentile(k, 0.5))} ms, p95 ${f(percentile(k, 0.95))} ms, max ${f(k.length === 0 ? Number.NaN : Math.max(...k))} ms`,
    `RSS MiB before ${r.rssMiB.before}, peak ${r.rssMiB.peak}, end ${r.rssMiB.end}`,
    `event-loop delay ms p50 ${r.loopDelayMs.p50}, p99 ${r.loopDelayMs.p99}, max ${r.loopDelayMs.max}`,
  ].join('\n');
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isFinite(v) && v > 0 ? v : def;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.NODE_ENV ??= 'production';
  const convergeLimit = arg('converge-ms', 1000);
  const report = await runLoad({
    lanes: arg('lanes', 200),
    rate: arg('rate', 20),
    durationMs: arg('seconds', 60) * 1000,
    rows: arg('rows', 50),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${summarize(report)}\n`);
  const ok =
    report.eventsLost === 0 &&
    report.wrongLanes.length === 0 &&
    report.wrongRows.length === 0 &&
    report.convergeMs !== null &&
    report.convergeMs <= convergeLimit;
  process.exitCode = ok ? 0 : 1;
}
