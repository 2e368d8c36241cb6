/**
 * resolveGitDirs reads a worktree's metadata dirs from its `.git` entry without running
 * git, and agrees with `git rev-parse --git-dir --git-common-dir` on real repos.
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readGitDirsFromFilesSync, resolveGitDirs } from '../../../src/runtime/git/git-dirs.js';
import { cleanupTempDirs, git, makeRepo } from '../../helpers/git-fixtures.js';

afterEach(() => cleanupTempDirs());

function revParse(cwd: string): { gitDir: string; commonDir: string } {
  const [gitDir = '', commonDir = ''] = git(
    cwd,
    'rev-parse',
    '--path-format=absolute',
    '--git-dir',
    '--git-common-dir',
  )
    .trim()
    .split('\n');
  return { gitDir: realpathSync(gitDir), commonDir: realpathSync(commonDir) };
}

describe('resolveGitDirs', () => {
  it('matches git for the main worktree, a linked worktree and a subdirectory', async () => {
    const { root, repo } = makeRepo();
    const linked = path.join(root, 'wt-a');
    git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', linked, 'main');
    const sub = path.join(linked, 'pkg');
    mkdirSync(sub);
    for (const dir of [repo, linked, sub]) {
      const r = await resolveGitDirs(dir, { timeoutMs: 5_000 });
      expect(r).toEqual({ ok: true, ...revParse(dir) });
    }
  });

  it('reports a missing worktree and a directory outside any repository', async () => {
    const { root } = makeRepo();
    expect(await resolveGitDirs(path.join(root, 'nope'), { timeoutMs: 5_000 })).toMatchObject({
      ok: false,
      code: 'no_worktree',
    });
    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    const r = await resolveGitDirs(plain, {
      timeoutMs: 5_000,
      env: { GIT_CEILING_DIRECTORIES: root },
    });
    expect(r).toMatchObject({ ok: false, code: 'not_git' });
  });
});

describe('readGitDirsFromFilesSync', () => {
  it('agrees with resolveGitDirs for every layout, and is null for none', async () => {
    const { root, repo } = makeRepo();
    const linked = path.join(root, 'wt-b');
    git(repo, 'worktree', 'add', '-q', '-b', 'lane/b', linked, 'main');
    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    const bogus = path.join(root, 'bogus');
    mkdirSync(bogus);
    writeFileSync(path.join(bogus, '.git'), 'not a gitdir line\n');
    for (const dir of [repo, linked]) {
      expect(readGitDirsFromFilesSync(dir)).toEqual(revParse(dir));
      expect(await resolveGitDirs(dir, { timeoutMs: 5_000 })).toEqual({
        ok: true,
        ...revParse(dir),
      });
    }
    for (const dir of [plain, bogus, path.join(root, 'missing')]) {
      expect(readGitDirsFromFilesSync(dir)).toBeNull();
    }
  });
});
