import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHelper, type GitHelper } from '../../../src/runtime/git/git-helper.js';
import { runGit, runGitHere } from '../../../src/runtime/git/run-git.js';
import { cleanupTempDirs, makeRepo, tempDir } from '../../helpers/git-fixtures.js';

/** The helper's entry as TypeScript, loaded through tsx (the bundle forks dist/git-helper.js). */
const ENTRY = new URL('../../helpers/git-helper-shim.mjs', import.meta.url);

let helper: GitHelper | null = null;
afterEach(async () => {
  await helper?.dispose();
  helper = null;
  cleanupTempDirs();
});

/** A git that sleeps `s` seconds, then prints `late`. */
function slowGitPath(s: number): string {
  const bin = path.join(tempDir('lb-fakegit-'), 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nsleep ${s}\necho late\n`, { mode: 0o755 });
  return `${bin}:${process.env.PATH ?? ''}`;
}

describe('git helper', () => {
  it('answers git calls exactly as the board process would', async () => {
    const { repo } = makeRepo();
    writeFileSync(path.join(repo, 'new.txt'), 'x\n');
    const args = ['status', '--porcelain=v2', '--branch'];
    const here = await runGitHere(args, { cwd: repo, timeoutMs: 10_000 });
    helper = startGitHelper({ url: ENTRY });
    expect(await helper.ready).toBe(true);
    const there = await runGit(args, { cwd: repo, timeoutMs: 10_000 });
    expect(there).toEqual(here);
    expect(there.ok && there.stdout).toContain('? new.txt');
    const missing = await runGit(['status'], { cwd: path.join(repo, 'nope'), timeoutMs: 5_000 });
    expect(missing).toMatchObject({ ok: false, code: 'no_worktree' });
  });

  it('routes calls through the helper until disposed, then spawns in the board again', async () => {
    const env = { PATH: slowGitPath(2) };
    const cwd = tempDir();
    helper = startGitHelper({ url: ENTRY });
    expect(await helper.ready).toBe(true);
    const inFlight = runGit(['status'], { cwd, timeoutMs: 10_000, env });
    await helper.dispose();
    // Only a call the helper held can be cut short by stopping the helper.
    expect(await inFlight).toMatchObject({
      ok: false,
      code: 'other',
      message: 'git helper stopped',
    });
    const after = await runGit(['--version'], { cwd, timeoutMs: 10_000 });
    expect(after.ok && after.stdout).toMatch(/^git version/);
  });

  it('fails calls in flight when the helper dies, and later calls run in the board', async () => {
    helper = startGitHelper({ url: ENTRY });
    expect(await helper.ready).toBe(true);
    const inFlight = runGit(['status'], {
      cwd: tempDir(),
      timeoutMs: 10_000,
      env: { PATH: slowGitPath(2) },
    });
    process.kill(helper.pid as number, 'SIGKILL');
    expect(await inFlight).toMatchObject({
      ok: false,
      code: 'other',
      message: 'git helper stopped',
    });
    const after = await runGit(['--version'], { cwd: tempDir(), timeoutMs: 10_000 });
    expect(after.ok && after.stdout).toMatch(/^git version/);
  });

  it('keeps git in the board when the helper cannot start', async () => {
    helper = startGitHelper({ url: new URL('./no-such-helper.js', import.meta.url) });
    expect(await helper.ready).toBe(false);
    const r = await runGit(['--version'], { cwd: tempDir(), timeoutMs: 10_000 });
    expect(r.ok && r.stdout).toMatch(/^git version/);
  });
});
