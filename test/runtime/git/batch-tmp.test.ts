/**
 * Chain directories left by killed processes are removed by the next process's sweep
 * (src/runtime/git/batch-tmp.ts): real directories, real pids (a child that has exited,
 * a child that runs, this process).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBatchDir, sweepBatchDirs } from '../../../src/runtime/git/batch-tmp.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Pid of a child process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? -1;
}

describe('chain directories of killed processes', () => {
  it('removes old ones whose process is gone; keeps this process’s, a running one’s, recent ones and foreign names', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lb-sweep-'));
    dirs.push(tmp);
    const gone = await deadPid();
    const runner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      const names = {
        gone: `laneboard-git-${gone}-aB12cd`,
        own: `laneboard-git-${process.pid}-xY34zw`,
        running: `laneboard-git-${runner.pid}-Qq77rr`,
        foreign: 'laneboard-git-notapid',
        other: 'something-else-123',
      };
      const recent = `laneboard-git-${gone}-nEw111`;
      for (const n of [...Object.values(names), recent]) await mkdir(path.join(tmp, n));
      await writeFile(path.join(tmp, names.gone, '0'), '# branch.oid abc\n');
      const old = new Date(Date.now() - 11 * 60_000);
      for (const n of Object.values(names)) await utimes(path.join(tmp, n), old, old);

      const removed = await sweepBatchDirs(tmp);

      expect(removed).toEqual([names.gone]);
      // unchanged for less than 10 minutes: maybe a chain of another pid namespace; kept
      expect(await readdir(tmp)).toContain(recent);
      await rm(path.join(tmp, recent), { recursive: true });
      expect((await readdir(tmp)).sort()).toEqual(
        [names.own, names.running, names.foreign, names.other].sort(),
      );
    } finally {
      runner.kill('SIGKILL');
    }
  });

  it('an unreadable temporary directory sweeps nothing and does not throw', async () => {
    await expect(sweepBatchDirs(path.join(os.tmpdir(), 'lb-no-such-dir-9f3a'))).resolves.toEqual(
      [],
    );
  });

  it('a chain directory is private and carries this process’s pid', async () => {
    const dir = await makeBatchDir();
    dirs.push(dir);
    expect(path.basename(dir)).toMatch(new RegExp(`^laneboard-git-${process.pid}-`));
    const { statSync } = await import('node:fs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
