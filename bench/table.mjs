#!/usr/bin/env node
/**
 * Render the latest results (`bench/results/*.json`, written by `npm run bench`) as
 * Markdown for docs/performance.md and the README: one table per benchmark, the
 * laneboard ÷ peer ratios and the targets. Usage: `node bench/table.mjs > out.md`.
 * Prints a one-line message and exits 1 when there are no results yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './lib/report.mjs';
import { ratios } from './lib/ratios.mjs';
import { fmt } from './lib/stats.mjs';

const NAMES = ['cold-start', 'json', 'update-latency', 'idle', 'storm', 'restart', 'targets'];
const docs = {};
for (const name of NAMES) {
  const file = join(RESULTS_DIR, `${name}.json`);
  if (existsSync(file)) docs[name] = JSON.parse(readFileSync(file, 'utf8'));
}
if (!docs['cold-start']) {
  process.stderr.write('no results in bench/results/: run `npm run bench` first\n');
  process.exit(1);
}
const out = [];
const meta = docs['cold-start'];
out.push(
  `Run ${meta.runAt} (${meta.mode}) on ${meta.machine.cpu}, ${meta.machine.cores} cores, ` +
    `load ${meta.machine.loadavg.join('/')} → ${meta.machine.loadavgEnd.map((x) => x.toFixed(2)).join('/')}; ` +
    Object.entries(meta.versions)
      .map(([k, v]) => `${k} ${v ?? 'n/a'}`)
      .join(', ') +
    '.\n',
);
for (const name of NAMES.slice(0, 6)) {
  const d = docs[name];
  if (!d) continue;
  out.push(`**${d.title}**\n`);
  out.push('| subject | N | metric | median | p95 | p99 | min | max | runs |');
  out.push('| --- | --: | --- | --: | --: | --: | --: | --: | --: |');
  for (const r of d.rows) {
    const dig = r.unit === 'count' || r.unit === '/s' || r.unit === 'KB/s' ? 0 : 1;
    const unit = r.unit === 'count' ? '' : ` ${r.unit}`;
    const runs = r.failed ? `${r.runs - r.failed}/${r.runs}` : String(r.runs);
    const cell = (v) => (v === null ? '—' : `${fmt(v, dig)}${unit}`);
    out.push(
      `| ${r.subject} | ${r.n ?? '—'} | ${r.metric} | ${cell(r.median)} | ${cell(r.p95)} | ${cell(r.p99)} | ${cell(r.min)} | ${cell(r.max)} | ${runs} |`,
    );
  }
  out.push('');
}
out.push('**laneboard ÷ peer** (medians of the same run; below 1 = laneboard faster or smaller)\n');
out.push('| N | laneboard | peer | ratio |');
out.push('| --: | --- | --- | --: |');
for (const r of ratios(docs)) {
  out.push(
    `| ${r.n} | ${r.laneboard}: ${fmt(r.laneboardMedian)} ${r.unit} | ${r.peer}: ${fmt(r.peerMedian)} ${r.unit} | ×${fmt(r.ratio, 2)} |`,
  );
}
out.push('');
if (docs.targets) {
  out.push('**Targets** (issue #5)\n');
  out.push('| verdict | target | measured | limit |');
  out.push('| --- | --- | --: | --: |');
  for (const t of docs.targets.rows)
    out.push(`| ${t.verdict} | ${t.target} | ${t.measured} | ${t.limit} |`);
  out.push('');
}
process.stdout.write(`${out.join('\n')}\n`);
