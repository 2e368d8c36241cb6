import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateLog } from '../../../src/runtime/supervisor/index.js';
import type { BoardConfig } from '../../../src/state/config-types.js';
import {
  testConfig,
  testLane,
  testSettings,
  waitFor,
  workerFixture,
  supervisorHarness,
} from '../../helpers/supervisor-helpers.js';

const node = process.execPath;
const harness = supervisorHarness();

const tempRoot = (): string => harness.tempRoot();
const board = (config: BoardConfig) => harness.board(config);

describe('workers that cannot start', () => {
  it('ENOENT, EACCES and a missing worktree become failed_to_start; other lanes run', async () => {
    const root = tempRoot();
    const notExec = join(root, 'not-executable.sh');
    writeFileSync(notExec, '#!/bin/sh\necho hi\n');
    chmodSync(notExec, 0o644);
    const { rec, sup } = board(
      testConfig(root, [
        testLane(root, 'enoent', {
          command: ['laneboard-no-such-command-xyz'],
          restart: 'always',
          autostart: true,
        }),
        testLane(root, 'eacces', { command: [notExec], restart: 'always', autostart: true }),
        {
          ...testLane(root, 'nocwd', { autostart: true, restart: 'always' }),
          worktree: join(root, 'missing-wt'),
        },
        testLane(root, 'ok', { autostart: true }),
      ]),
    );
    await sup.start();
    expect(rec.last('enoent')).toMatchObject({ phase: 'failed_to_start', pid: null, restarts: 0 });
    expect(rec.last('enoent').error).toMatch(/command not found: laneboard-no-such-command-xyz/);
    expect(rec.last('eacces')).toMatchObject({ phase: 'failed_to_start', restarts: 0 });
    expect(rec.last('eacces').error).toMatch(
      /permission denied: .*not-executable\.sh is not executable/,
    );
    expect(rec.last('nocwd')).toMatchObject({
      phase: 'failed_to_start',
      error: `worktree ${join(root, 'missing-wt')} does not exist`,
    });
    expect(rec.last('ok').phase).toBe('running');
    expect(sup.runningCount()).toBe(1);
    // No restart loop: a failed start is final until the operator acts.
    for (const id of ['enoent', 'eacces', 'nocwd']) {
      expect(rec.workers(id).filter((w) => w.phase === 'backoff')).toHaveLength(0);
    }
    // The operator can retry; it fails the same clear way.
    await sup.start('enoent');
    expect(rec.last('enoent').phase).toBe('failed_to_start');
  });

  it('unknown lanes and observe-only lanes never throw', async () => {
    const root = tempRoot();
    const { rec, sup } = board(testConfig(root, [testLane(root, 'obs', { command: null })]));
    await sup.start();
    await sup.start('nope');
    await sup.stop('nope');
    await sup.restart('obs');
    expect(rec.notices().some((n) => n.includes('unknown lane "nope"'))).toBe(true);
    expect(rec.last('obs')).toMatchObject({
      phase: 'none',
      error: 'observe-only lane: no command configured',
    });
  });
});

describe('worker.log rotation', () => {
  it('rotateLog copies the tail to .1, shifts older copies and truncates in place', async () => {
    const root = tempRoot();
    const log = join(root, 'worker.log');
    writeFileSync(log, 'a'.repeat(50) + 'b'.repeat(100));
    expect(await rotateLog(log, { maxBytes: 200, files: 2 })).toBe(false);
    expect(await rotateLog(log, { maxBytes: 100, files: 2 })).toBe(true);
    expect(readFileSync(`${log}.1`, 'utf8')).toBe('b'.repeat(100));
    expect(statSync(log).size).toBe(0);
    writeFileSync(log, 'c'.repeat(150));
    expect(await rotateLog(log, { maxBytes: 100, files: 2 })).toBe(true);
    expect(readFileSync(`${log}.1`, 'utf8')).toBe('c'.repeat(100));
    expect(readFileSync(`${log}.2`, 'utf8')).toBe('b'.repeat(100));
    writeFileSync(log, 'd'.repeat(150));
    expect(await rotateLog(log, { maxBytes: 100, files: 2 })).toBe(true);
    expect(readFileSync(`${log}.2`, 'utf8')).toBe('c'.repeat(100));
    expect(existsSync(`${log}.3`)).toBe(false);
    expect(await rotateLog(join(root, 'missing.log'), { maxBytes: 1, files: 2 })).toBe(false);
  });

  it('keeps worker.log bounded under a fast writer (~100 MB/min) while the worker appends on', async () => {
    const root = tempRoot();
    const cap = 256 * 1024;
    // 20 KB every 10 ms ≈ 2 MB/s ≈ 120 MB/min.
    const lane = testLane(root, 'spew', {
      command: [node, workerFixture('spew.cjs'), '20000', '10'],
    });
    const { rec, sup } = board(
      testConfig(root, [lane], testSettings({ logMaxBytes: cap, logFiles: 2 })),
    );
    await sup.start();
    await sup.start('spew');
    expect(rec.last('spew').phase).toBe('running');
    const log = join(lane.bridge, 'worker.log');
    let maxSize = 0;
    let rotations = 0;
    let lastSize = 0;
    const deadline = Date.now() + 2500;
    await waitFor(
      () => {
        const size = existsSync(log) ? statSync(log).size : 0;
        if (size < lastSize) rotations++;
        lastSize = size;
        maxSize = Math.max(maxSize, size);
        return Date.now() > deadline;
      },
      5000,
      'the sampling period',
    );
    expect(rotations).toBeGreaterThanOrEqual(2);
    expect(maxSize).toBeLessThanOrEqual(cap + 1024 * 1024);
    // The worker keeps appending to the truncated file (no sparse hole: starts with data).
    const head = await waitFor(() => {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      return text.length >= 5 ? text.slice(0, 5) : null;
    });
    expect(head).toBe('xxxxx');
    expect(rec.last('spew').phase).toBe('running');
    await sup.stop('spew');
    // A rotation may be in flight when the worker stops; wait for it to settle.
    await waitFor(
      () => existsSync(`${log}.1`) && existsSync(`${log}.2`) && !existsSync(`${log}.1.tmp`),
    );
    expect(statSync(`${log}.1`).size).toBeLessThanOrEqual(cap);
    expect(statSync(`${log}.2`).size).toBeLessThanOrEqual(cap);
    expect(existsSync(`${log}.3`)).toBe(false);
  });
});
