/**
 * Reading laneboard's screen (a tmux capture) and driving a board in a pane.
 *
 * A board screen has a header row (`LANE  BRANCH  BASE  WORKER  AGENT  TESTS  BLOCKER →
 * NEXT  LAST EVENT`, columns drop on narrow terminals) and one row per visible lane,
 * starting with a 2-cell selection marker then the lane id. Cells are cut at the header's
 * column offsets (every glyph the board draws in these columns is one cell wide).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedFreshness } from './fixture.mjs';
import { run } from './proc.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The launcher the benchmarks run (see {@link snapshotApp}). */
export let CLI = join(REPO, 'bin', 'laneboard.js');

/**
 * Copy the built CLI (`bin/`, `dist/`, `package.json`) into `dir` and run that copy from
 * now on, so a rebuild of the checkout during the run (other work, `npm test`) cannot
 * change or break what is measured. The bundle has no runtime dependency outside dist/.
 * @param {string} dir Fresh directory.
 * @returns {Promise<string>} The copied launcher. Throws when dist/cli.js is missing
 *   (run `npm run build`).
 */
export async function snapshotApp(dir) {
  if (!existsSync(join(REPO, 'dist', 'cli.js'))) {
    throw new Error('dist/cli.js is missing: run `npm run build` (npm run bench does)');
  }
  await mkdir(dir, { recursive: true });
  for (const part of ['bin', 'dist', 'package.json']) {
    await cp(join(REPO, part), join(dir, part), { recursive: true });
  }
  CLI = join(dir, 'bin', 'laneboard.js');
  return CLI;
}

/**
 * argv of the board for a config. With `LANEBOARD_BENCH_CPU_PROF=<dir>` in the bench's
 * environment every board run writes a V8 CPU profile there (for finding what a slow
 * figure is made of; the profiler itself costs CPU, so never for figures you keep).
 * @param {string} config lanes.yaml path.
 * @returns {string[]}
 */
export function boardArgv(config) {
  const prof = process.env.LANEBOARD_BENCH_CPU_PROF;
  const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  return [process.execPath, ...flags, CLI, '--config', config];
}

const TITLES = [
  ['id', 'LANE'],
  ['branch', 'BRANCH'],
  ['fresh', 'BASE'],
  ['worker', 'WORKER'],
  ['agent', 'AGENT'],
  ['tests', 'TESTS'],
  ['blocker', 'BLOCKER'],
  ['event', 'LAST EVENT'],
];

/**
 * Parse the lane rows of a board screen.
 * @param {string} screen capture-pane text.
 * @returns {Map<string, Record<string, string>>} Lane id → cell text by column key
 *   (`id, branch, fresh, worker, agent, tests, blocker, event`; missing columns are
 *   absent). Empty when no header row is on screen (e.g. the detail pane is open).
 */
export function parseBoard(screen) {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => /^\s+LANE\s/.test(l) && l.includes('AGENT'));
  const rows = new Map();
  if (h < 0) return rows;
  const cols = TITLES.map(([key, title]) => ({ key, at: lines[h].indexOf(title) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at);
  for (const line of lines.slice(h + 1)) {
    const m = /^.{2}(l\d{3})\s/u.exec(line);
    if (!m) continue;
    const chars = Array.from(line);
    const cells = {};
    cols.forEach((c, i) => {
      const end = cols[i + 1]?.at ?? chars.length;
      cells[c.key] = chars.slice(c.at, end).join('').trim();
    });
    rows.set(m[1], cells);
  }
  return rows;
}

/**
 * Is this the first complete board: at least `min(n, 40)` lane rows visible and every
 * visible row shows its lane id and the freshness the fixture implies?
 * @param {string} screen capture-pane text.
 * @param {number} n Lanes configured.
 * @returns {boolean}
 */
export function boardComplete(screen, n) {
  const rows = parseBoard(screen);
  if (rows.size < Math.min(n, 40)) return false;
  for (const [id, cells] of rows) {
    if (!(cells.fresh ?? '').includes(expectedFreshness(id))) return false;
  }
  return true;
}

/**
 * Name of a runtime file of config file `config` in its state dir, as
 * src/runtime/config-key.ts names it: `<stem><ext>` for lanes.yaml, `<stem>.<file
 * name><ext>` for another name (the bench's names are plain: no hash needed).
 * @param {string} stem e.g. `control`, `supervisor`.
 * @param {string} ext e.g. `.sock`, `.json`.
 * @param {string} config Path of the config file.
 * @returns {string}
 */
export function runtimeFile(stem, ext, config) {
  const name = basename(config);
  return name === 'lanes.yaml' ? `${stem}${ext}` : `${stem}.${name}${ext}`;
}

/**
 * Read the supervisor record of config file `config` in dir `root`
 * (`<root>/.laneboard/supervisor.<file name>.json`; `supervisor.json` for lanes.yaml).
 * @param {string} root Config dir.
 * @param {string} config Path of the config file.
 * @returns {Promise<Record<string, {pid: number|null}>>} Lane id → entry; {} when the
 *   record is missing or unreadable.
 */
export async function readRecordLanes(root, config) {
  try {
    const file = join(root, '.laneboard', runtimeFile('supervisor', '.json', config));
    const doc = JSON.parse(await readFile(file, 'utf8'));
    return doc && typeof doc.lanes === 'object' && doc.lanes !== null ? doc.lanes : {};
  } catch {
    return {};
  }
}

/**
 * Run `laneboard --json` once.
 * @param {string} config lanes.yaml path.
 * @returns {Promise<{ms: number, snap: any|null, error: string|null}>} Wall time from
 *   spawn to exit and the parsed snapshot (null when it failed or was not JSON).
 */
export async function jsonSnapshot(config) {
  const r = await run(process.execPath, [CLI, '--config', config, '--json'], {
    timeoutMs: 60_000,
  });
  if (r.code !== 0) return { ms: r.ms, snap: null, error: r.error ?? r.stderr.trim() };
  try {
    return { ms: r.ms, snap: JSON.parse(r.stdout), error: null };
  } catch (e) {
    return { ms: r.ms, snap: null, error: `not JSON: ${String(e)}` };
  }
}

/**
 * Read every lane row by paging: `g` (first lane), then `PgDn` until every lane was seen
 * or the last row stops changing; leaves the selection on the first lane.
 * @param {import('./tmux.mjs').Pane} pane Board pane.
 * @param {number} n Lanes configured.
 * @returns {Promise<Map<string, Record<string, string>>>} Lane id → cells of every row
 *   seen (the latest capture wins).
 */
export async function readAllRows(pane, n) {
  const seen = new Map();
  const ids = (s) => [...parseBoard(s).keys()];
  await pane.keys('g');
  let shot = await pane.waitForScreen((s) => ids(s)[0] === 'l000', 5000);
  for (let page = 0; page <= n; page += 1) {
    for (const [id, cells] of parseBoard(shot.screen)) seen.set(id, cells);
    if (seen.size >= n) break;
    const last = ids(shot.screen).pop();
    await pane.keys('PgDn');
    shot = await pane.waitForScreen((s) => {
      const now = ids(s);
      return now.length > 0 && now[now.length - 1] !== last;
    }, 2000);
    if (shot.t === null) break;
  }
  await pane.keys('g');
  return seen;
}
