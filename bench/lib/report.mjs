/**
 * Benchmark reporting: machine and version info, a plain-text table per benchmark on
 * stdout, and one JSON result file per benchmark in `bench/results/<name>.json`
 * (overwritten by each run; `<name>.smoke.json` for `--smoke`; the directory is
 * git-ignored except `.gitkeep`).
 *
 * JSON shape: `{ benchmark, title, mode, runAt (ISO), machine, versions, rows: [{ subject,
 * n, metric, unit, runs, failed, median, p95, p99, min, max, mean, values, note? }] }`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc.mjs';
import { fmt, summarize } from './stats.mjs';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Where JSON results go. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');
/** Where peers are installed. */
export const PEERS_DIR = join(BENCH_DIR, '.peers');

function pkgVersion(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/**
 * Machine description (CPU model, cores, memory, kernel, load average).
 * @returns {Record<string, unknown>}
 */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memMB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/**
 * Versions of everything measured.
 * @returns {Promise<Record<string, string|null>>} null for what is not installed.
 */
export async function versions() {
  const first = async (cmd, args) => {
    const r = await run(cmd, args, { timeoutMs: 10_000 });
    return r.code === 0 ? r.stdout.trim().split('\n')[0] : null;
  };
  const peer = (name) => pkgVersion(join(PEERS_DIR, 'node_modules', name, 'package.json'));
  return {
    laneboard: pkgVersion(join(BENCH_DIR, '..', 'package.json')),
    node: process.version,
    git: (await first('git', ['--version']))?.replace(/^git version /, '') ?? null,
    tmux: (await first('tmux', ['-V']))?.replace(/^tmux /, '') ?? null,
    ink: pkgVersion(join(BENCH_DIR, '..', 'node_modules', 'ink', 'package.json')),
    ccmanager: peer('ccmanager'),
    pm2: peer('pm2'),
    mprocs: peer('mprocs'),
  };
}

/** Collects rows of one benchmark, prints its table and writes its JSON. */
export class Bench {
  /**
   * @param {string} name File-safe name (`cold-start`, …).
   * @param {string} title Heading printed above the table.
   */
  constructor(name, title) {
    this.name = name;
    this.title = title;
    /** @type {Array<Record<string, unknown>>} */
    this.rows = [];
  }

  /**
   * Add one measured series.
   * @param {{subject: string, n: number|null, metric: string, unit: string,
   *   values: Array<number|null>, note?: string, extra?: Record<string, unknown>}} r
   *   `values` holds one figure per repetition (null = that run failed).
   * @returns {ReturnType<typeof summarize>} The summary added.
   */
  add(r) {
    const s = summarize(r.values);
    this.rows.push({
      subject: r.subject,
      n: r.n,
      metric: r.metric,
      unit: r.unit,
      ...s,
      ...(r.note ? { note: r.note } : {}),
      ...(r.extra ? { extra: r.extra } : {}),
    });
    return s;
  }

  /**
   * Find a row's summary.
   * @param {string} subject Subject.
   * @param {number|null} n N.
   * @param {string} metric Metric.
   * @returns {Record<string, unknown>|undefined}
   */
  find(subject, n, metric) {
    return this.rows.find((r) => r.subject === subject && r.n === n && r.metric === metric);
  }

  /** Print the table (digits by unit). */
  print() {
    const head = ['subject', 'N', 'metric', 'unit', 'median', 'p95', 'p99', 'min', 'max', 'runs'];
    const body = this.rows.map((r) => {
      const d = r.unit === 'ms' || r.unit === 'MB' || r.unit === '%' ? 1 : 0;
      const runs = r.failed ? `${r.runs - r.failed}/${r.runs}` : String(r.runs);
      return [
        String(r.subject),
        r.n === null ? '—' : String(r.n),
        String(r.metric),
        String(r.unit),
        fmt(r.median, d),
        fmt(r.p95, d),
        fmt(r.p99, d),
        fmt(r.min, d),
        fmt(r.max, d),
        runs,
      ];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    process.stdout.write(`\n## ${this.title}\n${line(head)}\n`);
    for (const row of body) process.stdout.write(`${line(row)}\n`);
    for (const r of this.rows)
      if (r.note) process.stdout.write(`  note (${r.subject} N=${r.n}): ${r.note}\n`);
  }

  /**
   * Write `bench/results/<name>.json` (`<name>.smoke.json` for a smoke run).
   * @param {Record<string, unknown>} meta `{mode, machine, versions, runAt}`.
   * @returns {string} The file written.
   */
  write(meta) {
    if (!existsSync(RESULTS_DIR)) mkdirSync(RESULTS_DIR, { recursive: true });
    // A smoke run (CI) or a scale-only run never overwrites the results of a full run.
    const suffix = meta.mode === 'smoke' || meta.mode === 'scale' ? `.${meta.mode}` : '';
    const file = join(RESULTS_DIR, `${this.name}${suffix}.json`);
    const doc = { benchmark: this.name, title: this.title, ...meta, rows: this.rows };
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    return file;
  }
}
