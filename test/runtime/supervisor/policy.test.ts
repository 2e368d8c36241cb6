import { describe, expect, it } from 'vitest';
import { backoffDelay, decideExit } from '../../../src/runtime/supervisor/index.js';
import type { BoardConfig } from '../../../src/state/config-types.js';
import {
  pidAlive,
  testConfig,
  testLane,
  testSettings,
  workerFixture,
  supervisorHarness,
} from '../../helpers/supervisor-helpers.js';

const node = process.execPath;
const harness = supervisorHarness();

function board(build: (root: string) => BoardConfig) {
  return harness.board(build(harness.tempRoot()));
}

describe('restart policy (pure)', () => {
  const backoff = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.2 };
  it('grows exponentially, caps at maxMs and applies ± jitter', () => {
    expect(backoffDelay(backoff, 0, () => 0.5)).toBe(1000);
    expect(backoffDelay(backoff, 3, () => 0.5)).toBe(8000);
    expect(backoffDelay(backoff, 10, () => 0.5)).toBe(60_000);
    expect(backoffDelay(backoff, 0, () => 0)).toBe(800);
    expect(backoffDelay(backoff, 0, () => 0.999999)).toBe(1200);
    expect(backoffDelay(backoff, 0, () => Number.NaN)).toBe(1000);
  });
  it('a long run resets the exponent; too many restarts in the window is a crash loop', () => {
    const settings = { backoff, crashLoop: { maxRestarts: 2, windowMs: 10_000 }, stableMs: 5000 };
    const exit = { exitCode: 1, signal: null, runMs: 100, now: 50_000 };
    const mid = { n: 4, restartTimes: [45_000] };
    const quick = decideExit('on-failure', settings, mid, exit, () => 0.5);
    expect(quick).toMatchObject({ kind: 'backoff', delayMs: 16_000, memory: { n: 5 } });
    const stable = decideExit('on-failure', settings, mid, { ...exit, runMs: 6000 }, () => 0.5);
    expect(stable).toMatchObject({ kind: 'backoff', delayMs: 1000, memory: { n: 1 } });
    const loop = decideExit(
      'always',
      settings,
      { n: 2, restartTimes: [41_000, 45_000] },
      exit,
      () => 0.5,
    );
    expect(loop.kind).toBe('crash_loop');
    const old = decideExit(
      'always',
      settings,
      { n: 2, restartTimes: [1000, 45_000] },
      exit,
      () => 0.5,
    );
    expect(old.kind).toBe('backoff');
    expect(decideExit('never', settings, mid, exit, () => 0.5).kind).toBe('exited');
    expect(decideExit('on-failure', settings, mid, { ...exit, exitCode: 0 }, () => 0.5).kind).toBe(
      'exited',
    );
    expect(
      decideExit(
        'on-failure',
        settings,
        mid,
        { ...exit, exitCode: null, signal: 'SIGKILL' },
        () => 0.5,
      ).kind,
    ).toBe('backoff');
  });
});

describe('restart policy (real processes)', () => {
  it('backs off with growing delays and reaches crash_loop; operator restart clears it', async () => {
    const { rec, sup } = board((root) =>
      testConfig(
        root,
        [
          testLane(root, 'crash', {
            restart: 'on-failure',
            command: [node, workerFixture('exit.cjs'), '1'],
          }),
        ],
        testSettings({
          backoff: { initialMs: 40, maxMs: 1000, factor: 2, jitter: 0 },
          crashLoop: { maxRestarts: 3, windowMs: 60_000 },
        }),
      ),
    );
    await sup.start();
    await sup.start('crash');
    const looped = await rec.waitWorker('crash', (w) => w.phase === 'crash_loop');
    expect(looped.restarts).toBe(3);
    expect(looped.error).toMatch(/crash loop/);
    expect(looped.exitCode).toBe(1);
    const delays = rec.actions.flatMap((a) =>
      a.type === 'worker/updated' && a.worker.phase === 'backoff' && a.worker.nextStartAt !== null
        ? [a.worker.nextStartAt - a.at]
        : [],
    );
    expect(delays).toEqual([40, 80, 160]);
    expect(sup.runningCount()).toBe(0);

    const before = rec.workers('crash').length;
    await sup.restart('crash');
    const fresh = rec.workers('crash').slice(before);
    expect(fresh[0]?.phase).toBe('starting');
    expect(fresh.some((w) => w.phase === 'running')).toBe(true);
    expect(rec.last('crash').restarts).toBeGreaterThanOrEqual(4);
    // After the operator restart the backoff starts over at initialMs.
    await rec.waitWorker('crash', (w) => w.phase === 'backoff' && w.restarts === 4);
    const lastBackoff = rec.actions
      .filter((a) => a.type === 'worker/updated' && a.worker.phase === 'backoff')
      .pop();
    expect(
      lastBackoff?.type === 'worker/updated' &&
        (lastBackoff.worker.nextStartAt ?? 0) - lastBackoff.at,
    ).toBe(40);
  });

  it('an operator stop is never undone by the policy, even with restart: always', async () => {
    const { rec, sup } = board((root) =>
      testConfig(root, [
        testLane(root, 'a', { restart: 'always', autostart: true }),
        // A sentinel lane that keeps restarting proves backoff time passed.
        testLane(root, 'sentinel', {
          restart: 'always',
          command: [node, workerFixture('exit.cjs'), '0'],
        }),
      ]),
    );
    await sup.start();
    const pid = rec.last('a').pid as number;
    await sup.stop('a');
    expect(rec.last('a')).toMatchObject({ phase: 'stopped', operatorStopped: true });
    expect(pidAlive(pid)).toBe(false);
    await sup.start('sentinel');
    await rec.waitWorker('sentinel', (w) => w.restarts >= 2);
    expect(rec.last('a').phase).toBe('stopped');
    expect(rec.workers('a').filter((w) => w.phase === 'starting')).toHaveLength(1);
    await sup.start('a');
    expect(rec.last('a')).toMatchObject({ phase: 'running', operatorStopped: false });
  });

  it('stop during backoff cancels the pending restart', async () => {
    const { rec, sup } = board((root) =>
      testConfig(
        root,
        [
          testLane(root, 'b', {
            restart: 'always',
            command: [node, workerFixture('exit.cjs'), '1'],
          }),
        ],
        testSettings({ backoff: { initialMs: 300, maxMs: 300, factor: 1, jitter: 0 } }),
      ),
    );
    await sup.start();
    await sup.start('b');
    const backoff = await rec.waitWorker('b', (w) => w.phase === 'backoff');
    expect(backoff.nextStartAt).not.toBeNull();
    await sup.stop('b');
    expect(rec.last('b')).toMatchObject({
      phase: 'stopped',
      operatorStopped: true,
      nextStartAt: null,
    });
    // Wait past the scheduled start and prove nothing started.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.max(0, (backoff.nextStartAt ?? 0) - Date.now()) + 200);
      t.unref();
    });
    expect(rec.last('b').phase).toBe('stopped');
    expect(rec.workers('b').filter((w) => w.phase === 'starting')).toHaveLength(1);
  });
});
