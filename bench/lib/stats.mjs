/**
 * Summary statistics of repeated measurements. Pure.
 */

/**
 * Nearest-rank percentile of `sorted` (ascending).
 * @param {number[]} sorted Finite numbers, ascending.
 * @param {number} p Percentile in [0, 100].
 * @returns {number|null} The value, or null for an empty list.
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

/**
 * Median (mean of the two middle values for an even count).
 * @param {number[]} sorted Finite numbers, ascending.
 * @returns {number|null} null for an empty list.
 */
export function median(sorted) {
  const n = sorted.length;
  if (n === 0) return null;
  const a = sorted[Math.floor((n - 1) / 2)];
  const b = sorted[Math.floor(n / 2)];
  return (a + b) / 2;
}

/**
 * Summarise repeated measurements. Non-finite values (failed runs) are dropped and
 * counted in `failed`.
 * @param {Array<number|null|undefined>} values One figure per run (any unit).
 * @returns {{runs: number, failed: number, median: number|null, p95: number|null,
 *   p99: number|null, min: number|null, max: number|null, mean: number|null,
 *   values: number[]}} `values` keeps the finite figures in run order.
 */
export function summarize(values) {
  const ok = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  const sorted = [...ok].sort((x, y) => x - y);
  const mean = ok.length === 0 ? null : ok.reduce((s, v) => s + v, 0) / ok.length;
  return {
    runs: values.length,
    failed: values.length - ok.length,
    median: median(sorted),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? null,
    max: sorted[sorted.length - 1] ?? null,
    mean,
    values: ok,
  };
}

/**
 * Format a number for a table cell.
 * @param {number|null|undefined} v The value.
 * @param {number} [digits] Decimals (default 1).
 * @returns {string} `—` for null/non-finite.
 */
export function fmt(v, digits = 1) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}
