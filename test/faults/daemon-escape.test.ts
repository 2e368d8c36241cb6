/**
 * Fault 4 (issue #12): a worker whose child double-forks into its own session (`setsid`)
 * and ignores SIGTERM — what dev servers and `nohup` do — is stopped with the worker on
 * stop, on board quit and when the worker exits by itself. Real supervisor, real
 * processes (test/fixtures/workers/daemonize.cjs), real /proc. Linux only (the environment sweep
 * needs /proc/<pid>/environ; skipped elsewhere with a note).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenSweepSupported } from '../../src/runtime/proc/env-token.js';
import { readProcStat } from '../../src/runtime/proc/procfs.js';
import {
  killHard,
  pidAlive,
  supervisorHarness,
  testConfig,
  testLane,
  testSettings,
  waitFor,
  workerFixture,
} from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();

/**
 * A worker that starts a daemon (double fork + setsid, SIGTERM ignored, pid written to
 * `<root>/daemon.pid`), then runs on (or exits 3 with `exitAfter`): fixtures/workers/daemonize.cjs.
 */
function daemonizingLane(root: string, exitAfter: boolean | 'on-term') {
  const pidFile = join(root, 'daemon.pid');
  const argv = [process.execPath, workerFixture('daemonize.cjs'), 'worker', pidFile];
  const tail = exitAfter === 'on-term' ? ['on-term'] : exitAfter ? ['exit'] : [];
  const lane = testLane(root, 'd', { command: [...argv, ...tail] });
  return { lane, pidFile };
}

async function daemonPid(pidFile: string): Promise<number> {
  const pid = await waitFor(
    () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : null),
    10_000,
    'the daemon pid file',
  );
  harness.trackPid(pid);
  return pid;
}

describe.runIf(process.platform === 'linux')('a daemonizing grandchild (fault 4)', () => {
  it('has left the worker tree (own session, re-parented), and is stopped with the worker', async (ctx) => {
    if (!tokenSweepSupported()) {
      console.warn('SKIPPED (daemon sweep): /proc/self/environ is not readable here');
      return ctx.skip();
    }
    const root = harness.tempRoot();
    const { lane, pidFile } = daemonizingLane(root, false);
    const { rec, sup } = harness.board(
      testConfig(root, [lane], testSettings({ stopGraceMs: 300 })),
    );
    await sup.start();
    await sup.start('d');
    const worker = await rec.waitWorker('d', (w) => w.phase === 'running');
    const pid = await daemonPid(pidFile);
    try {
      const stat = readProcStat(pid);
      expect(stat?.ppid).not.toBe(worker.pid);
      expect(stat?.pgrp).not.toBe(worker.pid);
      await sup.stop('d');
      await waitFor(() => !pidAlive(pid), 5000, 'the daemon to be gone');
    } finally {
      killHard([pid]);
    }
  });

  it('is stopped before the stop returns when the worker forks it while going down', async (ctx) => {
    if (!tokenSweepSupported()) return ctx.skip();
    const root = harness.tempRoot();
    const { lane, pidFile } = daemonizingLane(root, 'on-term');
    const { rec, sup } = harness.board(
      testConfig(root, [lane], testSettings({ stopGraceMs: 20_000 })),
    );
    await sup.start();
    await sup.start('d');
    await rec.waitWorker('d', (w) => w.phase === 'running');
    await waitFor(() => existsSync(`${pidFile}.ready`) || null, 10_000, 'the worker to be ready');
    // The worker starts the daemon only on SIGTERM (after the stop's first sweep) and
    // exits once it runs: the stop's last look must find it by its token.
    await sup.stop('d');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    harness.trackPid(pid);
    try {
      expect(pidAlive(pid)).toBe(false);
    } finally {
      killHard([pid]);
    }
  });

  it('is stopped on board quit, and when the worker exits by itself', async (ctx) => {
    if (!tokenSweepSupported()) return ctx.skip();
    const root = harness.tempRoot();
    const { lane, pidFile } = daemonizingLane(root, false);
    const quit = harness.board(testConfig(root, [lane], testSettings({ stopGraceMs: 300 })));
    await quit.sup.start();
    await quit.sup.start('d');
    const pid = await daemonPid(pidFile);
    try {
      await quit.sup.dispose();
      await waitFor(() => !pidAlive(pid), 5000, 'the daemon to be gone after quit');
    } finally {
      killHard([pid]);
    }

    const root2 = harness.tempRoot();
    const self = daemonizingLane(root2, true);
    const b = harness.board(testConfig(root2, [self.lane], testSettings({ stopGraceMs: 300 })));
    await b.sup.start();
    await b.sup.start('d');
    const pid2 = await daemonPid(self.pidFile);
    try {
      await b.rec.waitWorker('d', (w) => w.phase === 'exited' && w.exitCode === 3);
      await waitFor(() => !pidAlive(pid2), 5000, 'the daemon to be gone after the worker exited');
    } finally {
      killHard([pid2]);
    }
  });
});
