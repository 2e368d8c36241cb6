/**
 * Fault injection: hostile events files and bridge directories through the real pipeline
 * (bridge watcher → batching dispatch → store → selectLaneView → Ink <App>): a 100 MB
 * single events line, truncation / rotation mid-tail, partial last lines, the bridge dir
 * deleted / recreated / replaced by a file, symlinks out of the bridge dir and loops.
 * A healthy lane beside the hostile one must keep updating throughout.
 */
import { appendFile, mkdir, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeAtomic } from '../helpers/bridge-helpers.js';
import {
  controlsIn,
  rowOf,
  startPipeline,
  until,
  type Pipeline,
} from '../helpers/faults-pipeline.js';

let p: Pipeline | null = null;
const extraDirs: string[] = [];
afterEach(async () => {
  await p?.dispose();
  p = null;
  for (const d of extraDirs.splice(0)) await removeDir(d);
});

const ev = (name: string, detail: string): string =>
  `${JSON.stringify({ event: name, status: 'running', detail, emittedAt: new Date().toISOString() })}\n`;

async function setup(): Promise<Pipeline> {
  p = await startPipeline(['good', 'bad']);
  await p.writeState('bad', {
    schema: 'laneboard.state/1',
    status: 'running',
    phase: 'last good phase',
  });
  await p.bumpHealthy('good');
  await p.waitForFrame((f) => (rowOf(f, 'bad') ?? '').includes('running'), 'bad lane running');
  return p;
}

const count = (pl: Pipeline, id: string): number =>
  pl.store.getState().lanes[id]?.bridge.events.count ?? -1;
const details = (pl: Pipeline, id: string): string[] =>
  (pl.store.getState().lanes[id]?.bridge.events.recent ?? []).map((e) => e.detail ?? '');

/** The problem is listed, the row keeps its last good status and shows bridge_error after the grace. */
async function expectProblem(pl: Pipeline, problem: RegExp): Promise<void> {
  await until(
    () => pl.view('bad').problems.some((x) => problem.test(x)),
    `problem ${problem}`,
    5_000,
    () => JSON.stringify(pl.view('bad').problems),
  );
  pl.advance(4_000);
  await pl.waitForFrame((f) => {
    const row = rowOf(f, 'bad') ?? '';
    return row.includes('running') && row.includes('bridge_error');
  }, 'bad row: last good status + bridge_error');
  await pl.bumpHealthy('good');
}

describe('hostile events files through the real pipeline', () => {
  it('a 100 MB single events line is skipped as a visible problem; later events still arrive; memory bounded', async () => {
    const pl = await setup();
    const file = pl.file('bad', 'events.jsonl');
    await writeFile(file, ev('lane.started', 'before'));
    await until(() => count(pl, 'bad') === 1, 'first event');
    const rssBefore = process.memoryUsage().rss;
    await appendFile(file, '{"event":"lane.red","detail":"');
    const chunk = Buffer.alloc(1024 * 1024, 0x78);
    for (let i = 0; i < 100; i += 1) await appendFile(file, chunk);
    await appendFile(file, '"}\n');
    // Visible until the next good line (the problem names the skipped line).
    await expectProblem(pl, /events: .*line 2.* longer than 1 MiB; skipped/);
    expect(count(pl, 'bad')).toBe(1);
    await appendFile(file, ev('lane.green', 'after the monster line'));
    await until(() => details(pl, 'bad').includes('after the monster line'), 'the event after it');
    await until(() => pl.view('bad').problems.length === 0, 'the problem cleared by a good line');
    expect(count(pl, 'bad')).toBe(2);
    const grown = process.memoryUsage().rss - rssBefore;
    console.log(
      `[faults] RSS growth while tailing a 100 MB events line: ${(grown / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(grown).toBeLessThan(200 * 2 ** 20);
    for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
  });

  it('partial last line, truncation and rotation mid-tail: every event once, none duplicated', async () => {
    const pl = await setup();
    const file = pl.file('bad', 'events.jsonl');
    await writeFile(file, ev('lane.started', 'e1') + ev('lane.ready', 'e2'));
    await until(() => count(pl, 'bad') === 2, 'two events');
    // A partial last line is not an event yet.
    const third = ev('lane.red', 'e3');
    await appendFile(file, third.slice(0, 20));
    await pl.bumpHealthy('good');
    await pl.watcher.rescan('bad');
    expect(count(pl, 'bad')).toBe(2);
    await appendFile(file, third.slice(20));
    await until(() => count(pl, 'bad') === 3, 'the completed third event');
    // Truncated in place, then new lines: read from the start, old lines not repeated.
    await truncate(file, 0);
    await appendFile(file, ev('lane.green', 'e4'));
    await until(() => count(pl, 'bad') === 4, 'event after truncation');
    await pl.bumpHealthy('good');
    // Rotated: renamed away, a new file starts at line 1.
    await rename(file, `${file}.1`);
    await writeFile(file, ev('lane.finished', 'e5') + ev('lane.closed', 'e6'));
    await until(() => count(pl, 'bad') === 6, 'events of the rotated file');
    await pl.bumpHealthy('good');
    await pl.watcher.rescan();
    expect(count(pl, 'bad')).toBe(6);
    expect(details(pl, 'bad')).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    await pl.waitForFrame(
      (f) => (rowOf(f, 'bad') ?? '').includes('closed'),
      'last event on the row',
    );
  });
});

describe('hostile bridge directories through the real pipeline', () => {
  it('deleted, recreated, replaced by a file, and a dir again', async () => {
    const pl = await setup();
    const dir = pl.bridge('bad');
    await rm(dir, { recursive: true });
    await expectProblem(pl, /bridge dir: bridge dir .* does not exist/);
    await mkdir(dir);
    await pl.writeState('bad', { schema: 'laneboard.state/1', status: 'idle', phase: 'recreated' });
    await pl.waitForFrame((f) => {
      const row = rowOf(f, 'bad') ?? '';
      return row.includes('idle') && !row.includes('bridge_error');
    }, 'bad lane back after the dir was recreated');
    await pl.writeState('bad', { schema: 'laneboard.state/1', status: 'running', phase: 'again' });
    await until(() => pl.view('bad').agent.phase === 'again', 'later write still seen');
    await rm(dir, { recursive: true });
    await writeFile(dir, 'I am a file now');
    await expectProblem(pl, /bridge dir: bridge dir .* is not a directory/);
    await rm(dir);
    await mkdir(dir);
    await pl.writeState('bad', { schema: 'laneboard.state/1', status: 'idle', phase: 'dir again' });
    await until(() => pl.view('bad').agent.phase === 'dir again', 'dir is back');
    await pl.waitForFrame(
      (f) => !(rowOf(f, 'bad') ?? '').includes('bridge_error'),
      'no bridge_error',
    );
    await pl.bumpHealthy('good');
    for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
  });

  it('symlinks out of the bridge dir are not followed; symlink loops do not hang', async () => {
    const pl = await setup();
    const outside = await makeTempDir('lb-faults-outside-');
    extraDirs.push(outside);
    await writeFile(
      join(outside, 'secret.json'),
      JSON.stringify({ status: 'running', phase: 'SECRET-OUTSIDE' }),
    );
    await writeFile(join(outside, 'secret.jsonl'), ev('lane.started', 'SECRET-EVENT'));
    await rm(pl.file('bad', 'state.json'));
    await symlink(join(outside, 'secret.json'), pl.file('bad', 'state.json'));
    await expectProblem(pl, /state\.json is a symlink; not followed/);
    await symlink(join(outside, 'secret.jsonl'), pl.file('bad', 'events.jsonl'));
    await until(
      () => pl.view('bad').problems.some((x) => x.includes('events.jsonl is a symlink')),
      'events symlink problem',
    );
    // Loops: result.json -> loop.a -> loop.b -> loop.a
    await symlink(pl.file('bad', 'loop.b'), pl.file('bad', 'loop.a'));
    await symlink(pl.file('bad', 'loop.a'), pl.file('bad', 'loop.b'));
    await symlink(pl.file('bad', 'loop.a'), pl.file('bad', 'result.json'));
    await until(
      () => pl.view('bad').problems.some((x) => x.includes('result.json is a symlink')),
      'result symlink problem',
    );
    await pl.bumpHealthy('good');
    expect(pl.view('bad').agent.phase).toBe('last good phase');
    const all = JSON.stringify(pl.store.getState()) + pl.frames().join('\n');
    expect(all).not.toContain('SECRET');
    for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
  });

  it('a bridge dir that is itself a symlink loop is a problem, not a hang', async () => {
    const pl = await setup();
    const dir = pl.bridge('bad');
    await rm(dir, { recursive: true });
    await symlink(`${dir}.loop`, dir);
    await symlink(dir, `${dir}.loop`);
    await expectProblem(pl, /bridge dir: bridge dir .* is a symlink loop/);
    await rm(dir);
    await rm(`${dir}.loop`);
    await mkdir(dir);
    await writeAtomic(
      pl.file('bad', 'state.json'),
      JSON.stringify({ schema: 'laneboard.state/1', status: 'idle', phase: 'after loop' }),
    );
    await until(() => pl.view('bad').agent.phase === 'after loop', 'recovered after the loop');
    await pl.bumpHealthy('good');
  });
});
