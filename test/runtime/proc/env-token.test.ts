/**
 * The environment sweep of src/runtime/proc/env-token.ts against real processes on Linux:
 * every process carrying a worker token is found, and with `notBefore` (the start time of
 * the token's first carrier) only those that started no earlier than it are read — a
 * carrier started before it (which a real worker tree never has) is skipped, one started
 * after it is still found. Skipped where /proc environments are not readable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  pidsWithToken,
  TOKEN_ENV,
  tokenSweepSupported,
} from '../../../src/runtime/proc/env-token.js';
import { readProcStat, snapshotProcs } from '../../../src/runtime/proc/procfs.js';
import { waitFor, workerFixture } from '../../helpers/supervisor-helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Start the sleep fixture with `token` in its environment; resolves with its start time. */
async function carrier(token: string): Promise<{ pid: number; startTime: number }> {
  const child = spawn(process.execPath, [workerFixture('sleep.cjs')], {
    env: { ...process.env, [TOKEN_ENV]: token },
    stdio: 'ignore',
  });
  children.push(child);
  const pid = child.pid ?? -1;
  const stat = await waitFor(() => readProcStat(pid), 5_000, 'the carrier to start');
  return { pid, startTime: stat.startTime };
}

/** Clock ticks since boot now (the unit of /proc start times: USER_HZ, 100 on Linux). */
const ticksNow = (): number =>
  Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100);

describe.runIf(process.platform === 'linux')('environment sweep', () => {
  it('finds every carrier; with notBefore only those started no earlier', async (ctx) => {
    if (!tokenSweepSupported()) return ctx.skip();
    const token = `test-${process.pid}-${Date.now()}`;
    const older = await carrier(token);
    // The next carrier must start in a later clock tick than the first one.
    await waitFor(() => ticksNow() > older.startTime + 1, 5_000, 'the next clock tick');
    const younger = await carrier(token);
    expect(younger.startTime).toBeGreaterThan(older.startTime);

    const pids = (notBefore?: number | null) =>
      pidsWithToken(snapshotProcs(0), token, notBefore)
        .map((p) => p.pid)
        .sort((a, b) => a - b);
    const both = [older.pid, younger.pid].sort((a, b) => a - b);
    expect(pids()).toEqual(both);
    expect(pids(null)).toEqual(both);
    expect(pids(older.startTime)).toEqual(both);
    expect(pids(younger.startTime)).toEqual([younger.pid]);
    expect(pids(younger.startTime + 1)).toEqual([]);
    expect(pidsWithToken(snapshotProcs(0), '')).toEqual([]);
  });
});
