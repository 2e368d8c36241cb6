/**
 * The portable process table (src/runtime/proc/ps.ts), what platforms without a Linux
 * /proc get (issue #12 item 4): this file forces it with `LANEBOARD_PROC_SOURCE=ps`
 * (decided once per process; vitest runs each file in a fresh module registry) and runs a
 * real supervisor stopping a real process tree that traps SIGTERM, with a child that left
 * the group. The token sweep is off on this path (no other processes' environments).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenSweepSupported } from '../../../src/runtime/proc/env-token.js';
import { procSource, readProcStat, snapshotProcs } from '../../../src/runtime/proc/procfs.js';
import { parsePsLine, psSnapshot } from '../../../src/runtime/proc/ps.js';
import * as sh from '../../helpers/supervisor-helpers.js';

process.env.LANEBOARD_PROC_SOURCE = 'ps';
const harness = sh.supervisorHarness();

describe('ps as the process table (platforms without /proc)', () => {
  it('parses ps lines (comm with spaces; anything else is null)', () => {
    expect(parsePsLine('  812   1  812 Ss   Sat Dec  5 21:26:55 2026 my worker (x)')).toEqual({
      pid: 812,
      ppid: 1,
      pgrp: 812,
      session: 0,
      state: 'S',
      comm: 'my worker (x)',
      startTime: Math.floor(Date.parse('Sat Dec 5 21:26:55 2026') / 1000),
    });
    expect(parsePsLine('  PID  PPID')).toBeNull();
    expect(parsePsLine('1 2 3 S not a date at all here x')).toBeNull();
    expect(parsePsLine('')).toBeNull();
  });

  it('is the source when forced; agrees with the kernel on pid, ppid and group; no token sweep', () => {
    expect(procSource()).toBe('ps');
    expect(tokenSweepSupported()).toBe(false);
    const me = psSnapshot().get(process.pid);
    expect(me).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(readProcStat(process.pid)).toMatchObject({ pid: process.pid, pgrp: me?.pgrp });
    expect(snapshotProcs(0).get(process.ppid)?.pid).toBe(process.ppid);
    expect(readProcStat(2 ** 22 + 12_345)).toBeNull();
    if (process.platform === 'linux') {
      // The same fields as /proc/<pid>/stat (pgrp is field 5).
      const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
      expect(me?.pgrp).toBe(Number(fields[2]));
    }
  });

  it('stops a tree that traps SIGTERM, including a child that left the group', async () => {
    const root = harness.tempRoot();
    const pidFile = join(root, 'tree-pids.txt');
    const lane = sh.testLane(root, 't', {
      command: [process.execPath, sh.workerFixture('tree.cjs'), pidFile],
    });
    const { rec, sup } = harness.board(
      sh.testConfig(root, [lane], sh.testSettings({ stopGraceMs: 300 })),
    );
    await sup.start();
    await sup.start('t');
    const tree = await sh.treePids(pidFile);
    tree.forEach((p) => harness.trackPid(p));
    expect(tree.every(sh.pidAlive)).toBe(true);
    expect(rec.last('t')).toMatchObject({ phase: 'running' });
    await sup.stop('t');
    expect(tree.filter(sh.pidAlive)).toEqual([]);
    expect(rec.last('t')).toMatchObject({ phase: 'stopped', signal: 'SIGKILL' });
  });
});
