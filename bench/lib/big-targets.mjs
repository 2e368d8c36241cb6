/**
 * The targets of issue #12 item 1 (a long session's events file), evaluated against the
 * rows of benchmark 7 (bench/suites/big-events.mjs): with a 1 M-line `hook-events.jsonl`
 * on one lane, `--json` wall time and the first complete board within 1.2 × the same with
 * an empty file (medians, same run), and peak RSS (VmHWM) ≤ 200 MB for both. A figure
 * not measured in this run (a failed run, the benchmark skipped) is `n/a`, never PASS.
 */
import { fmt } from './stats.mjs';

/** Ratio allowed between the 1 M-line and the empty figure. */
const RATIO = 1.2;
/** Peak RSS limit, MB. */
const PEAK_MB = 200;

/**
 * Median of the row whose subject ends with `(<lane>: <label>)` and whose metric is `metric`.
 * @param {{rows: any[]}} bench Benchmark 7.
 * @returns {number|null}
 */
function get(bench, label, metric) {
  const row = bench.rows.find(
    (r) => String(r.subject).endsWith(`: ${label})`) && r.metric === metric,
  );
  const v = row?.median;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One target line, the shape of bench/lib/targets.mjs lines. */
function line(target, value, limit, unit, basis = '') {
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
    verdict: ok === null ? 'n/a' : ok ? 'PASS' : 'MISS',
  };
}

/**
 * Evaluate the big-events targets; [] when benchmark 7 did not run.
 * @param {{rows: any[]}|undefined} big Benchmark 7's rows.
 * @returns {ReturnType<typeof line>[]}
 */
export function bigEventsTargets(big) {
  if (!big || big.rows.length === 0) return [];
  const out = [];
  for (const [metric, what] of [
    ['--json wall time', '--json'],
    ['first complete board', 'first complete board'],
  ]) {
    const empty = get(big, 'empty', metric);
    out.push(
      line(
        `${what} with a 1 M-line hook-events.jsonl ≤ ${RATIO} × empty file`,
        get(big, '1 M lines', metric),
        empty === null ? null : RATIO * empty,
        'ms',
        empty === null ? '' : `${RATIO} × ${fmt(empty, 0)} ms`,
      ),
    );
  }
  for (const [metric, what] of [
    ['--json peak RSS', '--json'],
    ['board peak RSS', 'board'],
  ]) {
    out.push(
      line(
        `${what} peak RSS with a 1 M-line hook-events.jsonl ≤ ${PEAK_MB} MB`,
        get(big, '1 M lines', metric),
        PEAK_MB,
        'MB',
      ),
    );
  }
  return out;
}
