/**
 * Supervisor.reconfigure (live lanes.yaml) with real worker processes: an added lane is
 * autostarted, a removed lane's worker is stopped and forgotten, a kept lane's changed
 * command applies at its next start while the running worker is untouched, an
 * observe-only lane that gains a command starts, settings apply at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pidAlive,
  supervisorHarness,
  testConfig,
  testLane,
  testSettings,
  waitFor,
  workerFixture,
} from '../../helpers/supervisor-helpers.js';

const harness = supervisorHarness();
const sleep = [process.execPath, workerFixture('sleep.cjs')];

describe('supervisor reconfigure', () => {
  it('starts added lanes, stops removed ones, keeps the rest running', async () => {
    const root = harness.tempRoot();
    const a = testLane(root, 'a', { autostart: true });
    const b = testLane(root, 'b', { autostart: true });
    const { rec, sup } = harness.board(testConfig(root, [a, b]));
    await sup.start();
    const pidA = rec.last('a').pid as number;
    const pidB = rec.last('b').pid as number;
    expect(pidAlive(pidA) && pidAlive(pidB)).toBe(true);

    const c = testLane(root, 'c', { autostart: true });
    await sup.reconfigure(testConfig(root, [a, c]));
    expect(rec.last('c').phase).toBe('running');
    expect(pidAlive(rec.last('c').pid as number)).toBe(true);
    expect(pidAlive(pidB)).toBe(false);
    expect(rec.last('a').pid).toBe(pidA);
    expect(pidAlive(pidA)).toBe(true);
    expect(sup.runningCount()).toBe(2);
    await sup.start('b'); // forgotten: a notice, no process
    expect(sup.runningCount()).toBe(2);
    const record = JSON.parse(
      readFileSync(join(root, '.laneboard', 'supervisor.json'), 'utf8'),
    ) as {
      lanes: Record<string, unknown>;
    };
    expect(Object.keys(record.lanes).sort()).toEqual(['a', 'c']);
  });

  it('a changed command applies at the next restart; a lane that gains a command starts', async () => {
    const root = harness.tempRoot();
    const a = testLane(root, 'a', { autostart: true });
    const o = testLane(root, 'o', { command: null, autostart: false });
    const { rec, sup } = harness.board(testConfig(root, [a, o]));
    await sup.start();
    const pid1 = rec.last('a').pid as number;
    const printEnv = [process.execPath, workerFixture('print-env.cjs')];
    await sup.reconfigure(
      testConfig(
        root,
        [
          { ...a, command: printEnv, env: { LANE_EXTRA: 'v2' } },
          { ...o, command: sleep, autostart: true },
        ],
        testSettings({ stopGraceMs: 500 }),
      ),
    );
    expect(rec.last('a').pid).toBe(pid1);
    expect(rec.last('o').phase).toBe('running');
    await sup.restart('a');
    await waitFor(() =>
      readFileSync(join(a.bridge, 'worker.log'), 'utf8').includes('"LANE_EXTRA":"v2"'),
    );
  });
});
