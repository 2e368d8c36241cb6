/**
 * `laneboard --json` reads the running board's supervisor record: a crash-looping lane and
 * a running lane look the same there as on the board (real supervisor, real processes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkerStates } from '../../src/runtime/record-view.js';
import { createSupervisor } from '../../src/runtime/supervisor/index.js';
import type { Supervisor } from '../../src/runtime/supervisor/supervisor.js';
import { systemClock } from '../../src/runtime/types.js';
import type { Action } from '../../src/state/actions.js';
import {
  createRecorder,
  makeTempDir,
  removeDir,
  testConfig,
  testLane,
  waitFor,
  workerFixture,
} from '../helpers/supervisor-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function workerOf(actions: Action[], laneId: string) {
  const a = actions.find((x) => x.type === 'worker/updated' && x.laneId === laneId);
  return a?.type === 'worker/updated' ? a.worker : null;
}

describe('readWorkerStates', () => {
  it('reports crash_loop, restarts and live pids as the supervisor sees them', async () => {
    const root = makeTempDir('lb-recview-');
    cleanups.push(() => removeDir(root));
    const config = testConfig(root, [
      testLane(root, 'crashy', {
        command: [process.execPath, workerFixture('exit.cjs'), '3'],
        autostart: true,
        restart: 'always',
      }),
      testLane(root, 'calm', { autostart: true }),
    ]);
    const rec = createRecorder();
    const sup: Supervisor = createSupervisor({
      config,
      dispatch: rec.dispatch,
      clock: systemClock,
    });
    cleanups.push(() => sup.dispose());
    await sup.start();
    await rec.waitWorker('crashy', (w) => w.phase === 'crash_loop');
    const calm = await rec.waitWorker('calm', (w) => w.phase === 'running');
    const seen = await waitFor(async () => {
      const acts = await readWorkerStates(config, Date.now());
      return workerOf(acts, 'crashy')?.phase === 'crash_loop' ? acts : null;
    });
    expect(workerOf(seen, 'crashy')).toMatchObject({
      phase: 'crash_loop',
      pid: null,
      exitCode: 3,
      restarts: 3,
    });
    expect(workerOf(seen, 'calm')).toMatchObject({ phase: 'running', pid: calm.pid });
  });

  it('yields nothing without a record and a notice for a corrupt one', async () => {
    const root = makeTempDir('lb-recview-');
    cleanups.push(() => removeDir(root));
    const config = testConfig(root, [testLane(root, 'a')]);
    expect(await readWorkerStates(config, 1)).toEqual([]);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(config.stateDir, { recursive: true });
    writeFileSync(`${config.stateDir}/supervisor.json`, '{ nope');
    const acts = await readWorkerStates(config, 1);
    expect(acts).toHaveLength(1);
    expect(acts[0]?.type).toBe('board/notice');
  });
});
