import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pidAlive,
  testConfig,
  testLane,
  treePids,
  waitFor,
  workerFixture,
  supervisorHarness,
} from '../../helpers/supervisor-helpers.js';

const node = process.execPath;
const harness = supervisorHarness();

function setup(
  lanes: (root: string) => Parameters<typeof testConfig>[1],
  settings?: Parameters<typeof testConfig>[2],
) {
  const root = harness.tempRoot();
  const config = testConfig(root, lanes(root), settings);
  return { root, config, ...harness.board(config) };
}

describe('supervisor lifecycle', () => {
  it('starts, stops and restarts a worker; restart gives a new pid', async () => {
    const { rec, sup } = setup((root) => [testLane(root, 'a')]);
    await sup.start();
    expect(rec.last('a').phase).toBe('stopped');
    await sup.start('a');
    const running = rec.last('a');
    expect(running.phase).toBe('running');
    expect(running.pid).not.toBeNull();
    const pid1 = running.pid as number;
    expect(pidAlive(pid1)).toBe(true);
    expect(sup.runningCount()).toBe(1);

    await sup.restart('a');
    const after = rec.last('a');
    expect(after.phase).toBe('running');
    expect(after.pid).not.toBe(pid1);
    expect(after.restarts).toBe(1);
    expect(pidAlive(pid1)).toBe(false);

    await sup.stop('a');
    const stopped = rec.last('a');
    expect(stopped).toMatchObject({
      phase: 'stopped',
      operatorStopped: true,
      pid: null,
      signal: 'SIGTERM',
    });
    expect(pidAlive(after.pid as number)).toBe(false);
    expect(sup.runningCount()).toBe(0);
    // The phases went through starting and stopping.
    expect(rec.workers('a').map((w) => w.phase)).toEqual(
      expect.arrayContaining(['starting', 'running', 'stopping', 'stopped']),
    );
  });

  it('autostarts lanes with autostart && command and passes env + cwd', async () => {
    const { rec, sup, config } = setup((root) => [
      testLane(root, 'auto', {
        autostart: true,
        command: [node, workerFixture('print-env.cjs')],
        env: { LANE_EXTRA: 'yes' },
      }),
      testLane(root, 'manual'),
      testLane(root, 'observe', { command: null, autostart: true }),
    ]);
    await sup.start();
    expect(rec.last('auto').phase).toBe('running');
    expect(rec.last('manual').phase).toBe('stopped');
    expect(rec.last('observe').phase).toBe('none');
    const lane = config.lanes[0]!;
    const log = join(lane.bridge, 'worker.log');
    const line = await waitFor(() => {
      try {
        return readFileSync(log, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('{'));
      } catch {
        return undefined;
      }
    });
    const got = JSON.parse(line) as { env: Record<string, string>; cwd: string };
    expect(got.cwd).toBe(lane.worktree);
    expect(got.env).toEqual({
      LANE_EXTRA: 'yes',
      LANEBOARD_LANE_ID: 'auto',
      LANEBOARD_BRIDGE_DIR: lane.bridge,
      LANEBOARD_WORKTREE: lane.worktree,
      LANEBOARD_BASE_REF: 'main',
      // One token per run, to find everything the worker starts (runtime/proc/env-token.ts).
      LANEBOARD_WORKER_TOKEN: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
  });

  it('records exit code and signal', async () => {
    const { rec, sup } = setup((root) => [
      testLane(root, 'code', { command: [node, workerFixture('exit.cjs'), '7'] }),
      testLane(root, 'sig', { command: [node, workerFixture('self-signal.cjs'), 'SIGTERM'] }),
    ]);
    await sup.start();
    await sup.start('code');
    await sup.start('sig');
    const code = await rec.waitWorker('code', (w) => w.phase === 'exited');
    expect(code).toMatchObject({ exitCode: 7, signal: null, pid: null });
    const sig = await rec.waitWorker('sig', (w) => w.phase === 'exited');
    expect(sig).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it('on-failure does not restart a clean exit; always does', async () => {
    const { rec, sup } = setup((root) => [
      testLane(root, 'clean', {
        restart: 'on-failure',
        command: [node, workerFixture('exit.cjs'), '0'],
      }),
      testLane(root, 'always', {
        restart: 'always',
        command: [node, workerFixture('exit.cjs'), '0'],
      }),
    ]);
    await sup.start();
    await sup.start('clean');
    await sup.start('always');
    await rec.waitWorker('always', (w) => w.restarts >= 2);
    expect(rec.last('clean')).toMatchObject({ phase: 'exited', exitCode: 0, restarts: 0 });
    expect(rec.workers('clean').some((w) => w.phase === 'backoff')).toBe(false);
  });

  it('stops a tree that traps SIGTERM, including a child that left the group', async () => {
    const root = harness.tempRoot();
    const pidFile = join(root, 'tree-pids.txt');
    const config = testConfig(
      root,
      [testLane(root, 't', { command: [node, workerFixture('tree.cjs'), pidFile] })],
      { ...testConfig(root, []).settings, stopGraceMs: 300 },
    );
    const { rec, sup } = harness.board(config);
    await sup.start();
    await sup.start('t');
    const tree = await treePids(pidFile);
    tree.forEach((p) => harness.trackPid(p));
    expect(tree.every(pidAlive)).toBe(true);
    await sup.dispose();
    expect(tree.filter(pidAlive)).toEqual([]);
    expect(rec.last('t')).toMatchObject({
      phase: 'stopped',
      signal: 'SIGKILL',
      operatorStopped: false,
    });
  });
});
