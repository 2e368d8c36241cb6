import { describe, expect, it } from 'vitest';
import {
  findDescendants,
  isProcessAlive,
  parseProcStat,
  readProcStat,
  type ProcStat,
} from '../../../src/runtime/proc/procfs.js';

describe('/proc stat parsing', () => {
  it('parses fields after the last ")" so comm may contain spaces and parens', () => {
    const fields = [
      'S',
      '10',
      '42',
      '42',
      '0',
      '-1',
      '4194560',
      ...Array<string>(12).fill('0'),
      '987654',
      '1',
    ];
    const stat = parseProcStat(`4242 (my (evil) cmd) ) ${fields.join(' ')}`);
    expect(stat).toEqual({
      pid: 4242,
      comm: 'my (evil) cmd) ',
      state: 'S',
      ppid: 10,
      pgrp: 42,
      session: 42,
      startTime: 987654,
    });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('12 (x) S 1 2')).toBeNull();
  });

  it('reads this process and checks liveness with the start time', () => {
    const self = readProcStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(isProcessAlive(process.pid, self?.startTime)).toBe(true);
    expect(isProcessAlive(process.pid, (self?.startTime ?? 0) + 1)).toBe(false);
    expect(readProcStat(-5)).toBeNull();
    expect(isProcessAlive(2 ** 30)).toBe(false);
  });

  it('finds descendants across groups by ppid links', () => {
    const mk = (pid: number, ppid: number, pgrp: number): ProcStat => ({
      pid,
      ppid,
      pgrp,
      comm: 'x',
      state: 'S',
      session: pgrp,
      startTime: pid,
    });
    const snap = new Map(
      [
        mk(1, 0, 1),
        mk(10, 1, 10),
        mk(11, 10, 10),
        mk(12, 11, 99),
        mk(13, 12, 99),
        mk(20, 1, 20),
      ].map((s) => [s.pid, s]),
    );
    expect(findDescendants(snap, [10]).map((s) => s.pid)).toEqual([11, 12, 13]);
  });
});
