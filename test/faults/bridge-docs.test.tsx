/**
 * Fault injection: hostile bridge DOCUMENTS (state.json / result.json) through the real
 * pipeline — bridge watcher → batching dispatch → store → selectLaneView → Ink <App>.
 * Every case keeps a healthy lane beside the hostile one and checks that it keeps
 * updating, that the hostile lane keeps its last good state with the problem beside it,
 * and that no control character reaches any frame.
 */
import { truncate, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  controlsIn,
  rowOf,
  startPipeline,
  until,
  writeRaw,
  type Pipeline,
} from '../helpers/faults-pipeline.js';
import { writeAtomic } from '../helpers/bridge-helpers.js';

let p: Pipeline | null = null;
afterEach(async () => {
  await p?.dispose();
  p = null;
});

const GOOD = {
  schema: 'laneboard.state/1',
  status: 'running',
  phase: 'last good phase',
  sessionId: 'sess-good',
};

/** Start good+bad lanes with a good state on both, visible on the board. */
async function setup(): Promise<Pipeline> {
  p = await startPipeline(['good', 'bad']);
  await p.writeState('bad', { ...GOOD, updatedAt: new Date(p.clock.now()).toISOString() });
  await p.bumpHealthy('good');
  await p.waitForFrame((f) => (rowOf(f, 'bad') ?? '').includes('running'), 'bad lane running');
  return p;
}

/**
 * After a fault on lane `bad`: the problem is listed at once (view.problems), the row
 * keeps the last good status and shows `bridge_error` once the 3 s grace has passed,
 * the detail pane shows the last good phase and the problem, the healthy lane updates,
 * and no frame holds a control character.
 */
async function expectProblemBeside(pl: Pipeline, problem: RegExp): Promise<void> {
  await until(
    () => pl.view('bad').problems.some((x) => problem.test(x)),
    `problem ${problem} on lane bad`,
    5_000,
    () => JSON.stringify(pl.view('bad').problems),
  );
  pl.advance(4_000);
  await pl.waitForFrame((f) => {
    const row = rowOf(f, 'bad') ?? '';
    return row.includes('running') && row.includes('bridge_error');
  }, 'bad row: last good status + bridge_error');
  await pl.bumpHealthy('good');
  const detail = await pl.openDetail('bad', (f) => f.includes('Problems'));
  expect(detail).toContain('last good phase');
  expect(detail).toMatch(problem);
  await pl.closeDetail();
  await pl.bumpHealthy('good');
  for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
}

describe('hostile bridge documents through the real pipeline', () => {
  it('partial (half-written) and empty state.json: last good state kept, problem shown, recovers', async () => {
    const pl = await setup();
    await writeRaw(pl.file('bad', 'state.json'), '{"schema":"laneboard.state/1","status":"fail');
    await expectProblemBeside(pl, /state\.json is not valid JSON/);
    await writeRaw(pl.file('bad', 'state.json'), '');
    await expectProblemBeside(pl, /state\.json is empty/);
    // A good write clears the problem and the blocker.
    await pl.writeState('bad', { ...GOOD, status: 'idle', phase: 'recovered' });
    await pl.waitForFrame((f) => {
      const row = rowOf(f, 'bad') ?? '';
      return row.includes('idle') && !row.includes('bridge_error');
    }, 'bad lane recovered');
    expect(pl.view('bad').problems).toEqual([]);
  });

  it('invalid UTF-8 and binary garbage in state.json and result.json', async () => {
    const pl = await setup();
    await writeRaw(
      pl.file('bad', 'state.json'),
      Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    );
    await expectProblemBeside(pl, /state\.json is not valid UTF-8/);
    // Binary garbage full of terminal controls (ESC, CSI, OSC, BEL, NUL, C1 bytes).
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i += 1) garbage[i] = (i * 131 + 7) % 256;
    garbage.write('\u001b[2J\u001b]52;c;cm0gLXJm\u0007', 100, 'latin1');
    await writeRaw(pl.file('bad', 'result.json'), garbage);
    await expectProblemBeside(pl, /result\.json is not valid (UTF-8|JSON)/);
    await writeRaw(pl.file('bad', 'result.json'), `\u001b[31m{"ok":true}\u001b[0m`);
    await expectProblemBeside(pl, /result\.json is not valid JSON/);
  });

  it('a 100 MB result.json and a sparse 1 GB state.json are oversize states; memory stays bounded', async () => {
    const pl = await setup();
    const rssBefore = process.memoryUsage().rss;
    // A real 100 MB file of valid-looking JSON (written in 1 MiB pieces) …
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const path = pl.file('bad', 'result.json');
    await writeFile(path, '{"summary":"');
    const { appendFile } = await import('node:fs/promises');
    for (let i = 0; i < 100; i += 1) await appendFile(path, chunk);
    await appendFile(path, '"}');
    await expectProblemBeside(pl, /result\.json is 100(\.0)? MB, over the 4(\.0)? MB read limit/);
    // … and a sparse one (size only) in place of state.json.
    const sparse = pl.file('bad', 'state.json.big');
    await writeFile(sparse, '');
    await truncate(sparse, 1024 ** 3);
    const { rename } = await import('node:fs/promises');
    await rename(sparse, pl.file('bad', 'state.json'));
    await expectProblemBeside(pl, /state\.json is 1(\.0)? GB, over the 4(\.0)? MB read limit/);
    const grown = process.memoryUsage().rss - rssBefore;
    console.log(
      `[faults] RSS growth with 100 MB + 1 GB bridge files: ${(grown / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(grown).toBeLessThan(200 * 2 ** 20);
  });

  it('deeply nested JSON and huge arrays under the read limit', async () => {
    const pl = await setup();
    const depth = 200_000;
    await writeRaw(
      pl.file('bad', 'state.json'),
      `{"status":"running","phase":"nested","deep":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    // Accepted: the pathological field becomes a marker, status and phase survive.
    await until(() => pl.view('bad').agent.phase === 'nested', 'the nested document read');
    expect(pl.view('bad').problems).toEqual([]);
    await pl.bumpHealthy('good');
    let d = await pl.openDetail('bad', (f) => f.includes('[omitted: nested deeper than'));
    await pl.closeDetail();
    const huge = Array.from({ length: 500_000 }, (_, i) => i);
    await writeAtomic(
      pl.file('bad', 'result.json'),
      JSON.stringify({
        ok: false,
        summary: 'huge',
        tests: { status: 'red', failed: 3 },
        items: huge,
      }),
    );
    await pl.waitForFrame((f) => (rowOf(f, 'bad') ?? '').includes('red'), 'bad row tests red');
    const t0 = Date.now();
    d = await pl.openDetail('bad', (f) => f.includes('[omitted: more than'));
    console.log(`[faults] detail pane with a 500k-element array opened in ${Date.now() - t0} ms`);
    expect(d).toContain('Lane bad');
    await pl.closeDetail();
    await pl.bumpHealthy('good');
    for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
  });

  it('wrong types and unknown enum values become clear, verbatim states', async () => {
    const pl = await setup();
    await pl.writeState('bad', {
      schema: 'laneboard.state/1',
      status: 'quantum_flux',
      phase: { not: 'a string' },
      sessionId: 42,
      blocker: { failureClass: 'cosmic_ray', detail: 7, nextAction: ['x'] },
      updatedAt: 'yesterday-ish',
      pid: 'many',
    });
    await writeAtomic(
      pl.file('bad', 'result.json'),
      JSON.stringify({
        schema: 'laneboard.result/1',
        ok: 'yes',
        tests: { status: 'purple', level: 'galactic', passed: '41', failed: -3, commit: 12 },
        failureClass: 99,
        summary: ['not', 'text'],
      }),
    );
    const f = await p!.waitForFrame((x) => {
      const row = rowOf(x, 'bad') ?? '';
      return row.includes('quantum_flux') && row.includes('cosmic_ray');
    }, 'unknown status and failure class shown verbatim');
    expect(rowOf(f, 'bad')).toBeDefined();
    await pl.bumpHealthy('good');
    const d = await pl.openDetail('bad', (x) => x.includes('Raw bridge data'));
    expect(d).toContain('quantum_flux');
    expect(d).toContain('galactic');
    await pl.closeDetail();
    await pl.bumpHealthy('good');
    for (const fr of pl.frames()) expect(controlsIn(fr)).toEqual([]);
  });

  it('timestamps in the year 1970 and far in the future', async () => {
    const pl = await setup();
    await pl.writeState('bad', { ...GOOD, updatedAt: 0 });
    await until(() => pl.view('bad').agent.heartbeat.liveness === 'dead', '1970 heartbeat is dead');
    await pl.waitForFrame(
      (f) => (rowOf(f, 'bad') ?? '').includes('running (d'),
      'a 1970 heartbeat shown as dead on the row',
    );
    await pl.writeState('bad', { ...GOOD, phase: 'future', updatedAt: '2999-01-01T00:00:00Z' });
    await until(() => pl.view('bad').agent.phase === 'future', 'future state read');
    // A heartbeat cannot be newer than when the board read it: it ages like any other.
    expect(pl.view('bad').agent.heartbeat.liveness).toBe('healthy');
    pl.advance(120_000);
    await until(
      () => pl.view('bad').agent.heartbeat.liveness === 'stale',
      'a future heartbeat ages (not healthy forever)',
    );
    await pl.waitForFrame(
      (f) => (rowOf(f, 'bad') ?? '').includes('running (st'),
      'the aged future heartbeat on the row',
    );
    await pl.bumpHealthy('good');
    for (const f of pl.frames()) expect(controlsIn(f)).toEqual([]);
  });
});
