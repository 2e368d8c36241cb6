import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGit } from '../../../src/runtime/git/run-git.js';
import { cleanupTempDirs, makeRepo, tempDir, waitFor } from '../../helpers/git-fixtures.js';

/** A directory holding an executable `git` shell script with `body`. */
function fakeGitDir(body: string): string {
  const dir = path.join(tempDir('lb-fakegit-'), 'bin');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

/** True when `pid` is gone or a zombie. */
function deadOrZombie(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    const text = readFileSync(stat, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

afterEach(() => cleanupTempDirs());

describe('runGit', () => {
  it('runs git with --no-optional-locks first and the lock/locale/prompt environment', async () => {
    const bin = fakeGitDir(
      'echo "$@"; echo "locks=$GIT_OPTIONAL_LOCKS lc=$LC_ALL prompt=$GIT_TERMINAL_PROMPT"',
    );
    const cwd = tempDir();
    const r = await runGit(['status', '--porcelain'], {
      cwd,
      timeoutMs: 5_000,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        GIT_OPTIONAL_LOCKS: '1',
        LC_ALL: 'de_DE.UTF-8',
      },
    });
    expect(r).toMatchObject({ ok: true });
    expect(r.stdout).toBe('--no-optional-locks status --porcelain\nlocks=0 lc=C prompt=0\n');
  });

  it('returns stdout of a real git call', async () => {
    const { repo } = makeRepo();
    const r = await runGit(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: repo, timeoutMs: 5_000 });
    expect(r).toEqual({ ok: true, stdout: 'main\n', stderr: '' });
  });

  it('reports git_missing when git is not on PATH', async () => {
    const r = await runGit(['status'], {
      cwd: tempDir(),
      timeoutMs: 5_000,
      env: { PATH: '/nonexistent' },
    });
    expect(r).toMatchObject({ ok: false, code: 'git_missing' });
  });

  it('reports no_worktree when cwd does not exist or is a file', async () => {
    const root = tempDir();
    const missing = await runGit(['status'], { cwd: path.join(root, 'gone'), timeoutMs: 5_000 });
    expect(missing).toMatchObject({ ok: false, code: 'no_worktree' });
    writeFileSync(path.join(root, 'file'), 'x');
    const file = await runGit(['status'], { cwd: path.join(root, 'file'), timeoutMs: 5_000 });
    expect(file).toMatchObject({ ok: false, code: 'no_worktree' });
  });

  it('reports not_git outside a repository', async () => {
    const r = await runGit(['status'], {
      cwd: tempDir(),
      timeoutMs: 5_000,
      env: { GIT_CEILING_DIRECTORIES: path.dirname(tempDir()) },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('not_git');
      expect(r.message).toMatch(/not a git repository/);
      expect(r.message).not.toMatch(/^fatal:/);
    }
  });

  it('reports bad_ref for an unknown revision', async () => {
    const { repo } = makeRepo();
    const r = await runGit(['rev-list', '--count', 'nope...HEAD', '--'], {
      cwd: repo,
      timeoutMs: 5_000,
    });
    expect(r).toMatchObject({ ok: false, code: 'bad_ref', exitCode: 128 });
  });

  it('kills a hanging git and everything it spawned after timeoutMs', async () => {
    const root = tempDir();
    const pidFile = path.join(root, 'child.pid');
    const bin = fakeGitDir(`sleep 30 & echo $! > '${pidFile}'; wait`);
    const t0 = Date.now();
    const r = await runGit(['status'], {
      cwd: root,
      timeoutMs: 300,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    const elapsed = Date.now() - t0;
    expect(r).toMatchObject({ ok: false, code: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_500);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await waitFor(() => deadOrZombie(pid), 3_000, 'the grandchild sleep to die');
  });
});
