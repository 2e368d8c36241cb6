/**
 * The targets of issue #5 (medians, same run, this machine), evaluated against the rows
 * collected by the benchmarks. A target whose inputs were not measured in this run (a
 * peer did not run, N = 500 without `--full`) is `n/a`, never PASS. Targets are never
 * loosened here: the thresholds are the issue's.
 */
import { fmt } from './stats.mjs';

function get(bench, subject, n, metric, field = 'median') {
  const row = bench.rows.find(
    (r) => r.subject === subject && r.n === n && String(r.metric).startsWith(metric),
  );
  const v = row?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function verdict(ok) {
  return ok === null ? 'n/a' : ok ? 'PASS' : 'MISS';
}

/**
 * One target line.
 * @param {string} target The issue's wording.
 * @param {number|null} value Measured laneboard figure.
 * @param {number|null} limit Threshold (absolute, or ratio × peer figure).
 * @param {string} unit Unit of value/limit.
 * @param {string} [basis] How the limit was derived (e.g. `0.3 × ccmanager 3200 ms`).
 * @returns {{target: string, measured: string, limit: string, ratio: number|null,
 *   verdict: string, subject: string, n: null, metric: string, unit: string}}
 */
export function line(target, value, limit, unit, basis = '') {
  const ok = value === null || limit === null ? null : value <= limit;
  return {
    subject: 'target',
    n: null,
    metric: target,
    unit,
    target,
    measured: value === null ? 'not measured' : `${fmt(value)} ${unit}`,
    limit: limit === null ? 'not measured' : `${fmt(limit)} ${unit}${basis ? ` (${basis})` : ''}`,
    ratio: value === null || limit === null || limit === 0 ? null : value / limit,
    verdict: verdict(ok),
  };
}

/**
 * Evaluate every target.
 * @param {Record<string, import('./report.mjs').Bench>} b The benches of this run.
 * @returns {ReturnType<typeof line>[]}
 */
export function evaluateTargets(b) {
  const out = [];
  const ccm50 = get(b.cold, 'ccmanager', 50, 'first frame with git status');
  out.push(
    line(
      'first complete board at 50 lanes ≤ 0.3 × ccmanager (git status, 50 worktrees)',
      get(b.cold, 'laneboard', 50, 'first complete board'),
      ccm50 === null ? null : 0.3 * ccm50,
      'ms',
      ccm50 === null ? '' : `0.3 × ${fmt(ccm50, 0)} ms`,
    ),
  );
  out.push(
    line(
      'first complete board at 500 lanes ≤ 1.5 s',
      get(b.cold, 'laneboard', 500, 'first complete board'),
      1500,
      'ms',
    ),
  );
  const jl50 = get(b.json, 'pm2 jlist', 50, 'wall time');
  const jl200 = get(b.json, 'pm2 jlist', 200, 'wall time');
  out.push(
    line(
      '--json at 50 lanes ≤ pm2 jlist at 50',
      get(b.json, 'laneboard --json', 50, 'wall time'),
      jl50,
      'ms',
      jl50 === null ? '' : `pm2 jlist ${fmt(jl50, 0)} ms`,
    ),
  );
  out.push(
    line(
      '--json at 500 lanes ≤ 3 × pm2 jlist at 200',
      get(b.json, 'laneboard --json', 500, 'wall time'),
      jl200 === null ? null : 3 * jl200,
      'ms',
      jl200 === null ? '' : `3 × ${fmt(jl200, 0)} ms`,
    ),
  );
  out.push(
    line(
      'update latency p95 ≤ 50 ms at 200 lanes',
      get(b.latency, 'laneboard', 200, 'bridge write', 'p95'),
      50,
      'ms',
    ),
  );
  out.push(
    line(
      'update latency p95 ≤ 100 ms at 500 lanes',
      get(b.latency, 'laneboard', 500, 'bridge write', 'p95'),
      100,
      'ms',
    ),
  );
  out.push(
    line('idle CPU ≤ 1 % of a core at 50 lanes', get(b.idle, 'laneboard', 50, 'idle CPU'), 1, '%'),
  );
  out.push(
    line(
      'idle CPU ≤ 2 % of a core at 500 lanes',
      get(b.idle, 'laneboard', 500, 'idle CPU'),
      2,
      '%',
    ),
  );
  const ccmRss = get(b.idle, 'ccmanager', 50, 'RSS');
  out.push(
    line(
      'RSS ≤ ccmanager at 50 worktrees',
      get(b.idle, 'laneboard', 50, 'RSS (board)'),
      ccmRss,
      'MB',
      ccmRss === null ? '' : `ccmanager ${fmt(ccmRss, 0)} MB`,
    ),
  );
  out.push(
    line('RSS ≤ 200 MB at 500 lanes', get(b.idle, 'laneboard', 500, 'RSS (board)'), 200, 'MB'),
  );
  out.push(
    line(
      'update storm at 200 lanes ≤ 60 % of one core',
      get(b.storm, 'laneboard', 200, 'storm CPU'),
      60,
      '%',
    ),
  );
  const lost = get(b.storm, 'laneboard', 200, 'lanes with final state on board');
  out.push(
    line(
      'update storm at 200 lanes: no lost final state (lanes missing it)',
      lost === null ? null : 200 - lost,
      0,
      'lanes',
    ),
  );
  for (const n of [10, 50, 200, 500]) {
    const pm2 = get(b.restart, 'pm2 restart', n, 'wall time');
    const lb = get(b.restart, 'laneboard', n, 'r → new pid in record');
    if (pm2 === null && lb === null) continue;
    out.push(
      line(
        `restart latency at ${n} ≤ 0.3 × pm2 restart of one process`,
        lb,
        pm2 === null ? null : 0.3 * pm2,
        'ms',
        pm2 === null ? '' : `0.3 × ${fmt(pm2, 0)} ms`,
      ),
    );
  }
  return out;
}

/**
 * Print the target table.
 * @param {ReturnType<typeof evaluateTargets>} lines Evaluated targets.
 * @param {string} [title] Heading. @default `Targets (issue #5; medians unless stated)`
 */
export function printTargets(lines, title = 'Targets (issue #5; medians unless stated)') {
  process.stdout.write(`\n## ${title}\n`);
  const w = Math.max(...lines.map((l) => l.target.length));
  for (const l of lines) {
    process.stdout.write(
      `${l.verdict.padEnd(4)}  ${l.target.padEnd(w)}  measured ${l.measured}; limit ${l.limit}\n`,
    );
  }
}
