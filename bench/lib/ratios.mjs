/**
 * laneboard ÷ peer ratios of medians from the same run (below 1 = laneboard is faster /
 * smaller). Pure: takes the rows of the benches (as objects or as their JSON files).
 */

/**
 * The comparisons made (issue #5): benchmark name, laneboard subject/metric, peer
 * subject/metric.
 */
const PAIRS = [
  ['cold-start', 'laneboard', 'first complete board', 'ccmanager', 'first frame with git status'],
  ['cold-start', 'laneboard', 'first complete board', 'mprocs', 'first frame'],
  ['json', 'laneboard --json', 'wall time', 'pm2 jlist', 'wall time'],
  ['json', 'laneboard --json', 'wall time', 'node -e 0 (floor)', 'wall time'],
  ['idle', 'laneboard', 'idle CPU', 'ccmanager', 'idle CPU'],
  ['idle', 'laneboard', 'RSS (board)', 'ccmanager', 'RSS'],
  ['idle', 'laneboard', 'RSS (board)', 'mprocs', 'RSS'],
  ['restart', 'laneboard', 'r → new pid in record', 'pm2 restart', 'wall time'],
];

const find = (rows, subject, n, metric) =>
  rows.find((r) => r.subject === subject && r.n === n && String(r.metric).startsWith(metric));

/**
 * Compute every ratio measurable in this run.
 * @param {Record<string, {rows: Array<Record<string, unknown>>}>} byName Bench name →
 *   object with `rows` (a Bench or a parsed result file).
 * @returns {Array<{benchmark: string, n: number, laneboard: string, peer: string,
 *   laneboardMedian: number, peerMedian: number, unit: string, ratio: number}>}
 *   One entry per N where both medians exist (the floor is matched at any N).
 */
export function ratios(byName) {
  const out = [];
  for (const [bench, lbSubject, lbMetric, peer, peerMetric] of PAIRS) {
    const rows = byName[bench]?.rows ?? [];
    for (const lb of rows.filter(
      (r) => r.subject === lbSubject && String(r.metric).startsWith(lbMetric),
    )) {
      const p =
        find(rows, peer, lb.n, peerMetric) ??
        (peer.includes('floor') ? find(rows, peer, null, peerMetric) : undefined);
      if (typeof lb.median !== 'number' || typeof p?.median !== 'number' || p.median === 0)
        continue;
      out.push({
        benchmark: bench,
        n: lb.n,
        laneboard: `${lbSubject}: ${lb.metric}`,
        peer: `${peer}: ${p.metric}`,
        laneboardMedian: lb.median,
        peerMedian: p.median,
        unit: String(lb.unit),
        ratio: lb.median / p.median,
      });
    }
  }
  return out;
}

/**
 * Print the ratios as a plain-text list.
 * @param {ReturnType<typeof ratios>} list Ratios.
 */
export function printRatios(list) {
  process.stdout.write('\n## laneboard ÷ peer (medians, same run; < 1 = laneboard better)\n');
  for (const r of list) {
    process.stdout.write(
      `N=${String(r.n).padEnd(4)} ${r.laneboard} ${r.laneboardMedian.toFixed(1)} ${r.unit} vs ${r.peer} ${r.peerMedian.toFixed(1)} ${r.unit}: ×${r.ratio.toFixed(2)}\n`,
    );
  }
}
