import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWorktree } from '../../../src/runtime/git/worktree.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  laneConfig,
  makeRepo,
} from '../../helpers/git-fixtures.js';

const opts = { timeoutMs: 10_000 };

afterEach(() => cleanupTempDirs());

describe('ensureWorktree', () => {
  it('creates a worktree on a new branch from base, then is a no-op', async () => {
    const { root, repo } = makeRepo();
    const mainSha = git(repo, 'rev-parse', 'main');
    const worktree = path.join(root, 'lanes', 'new-lane');
    const lane = laneConfig({ repo, worktree, branch: 'lane/new', createWorktree: true });
    expect(await ensureWorktree(lane, opts)).toEqual({ ok: true, created: true });
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('lane/new');
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(mainSha);

    commitFile(worktree, 'lane work', 'x.txt');
    const laneSha = git(worktree, 'rev-parse', 'HEAD');
    expect(await ensureWorktree(lane, opts)).toEqual({ ok: true, created: false });
    expect(git(repo, 'rev-parse', 'lane/new')).toBe(laneSha);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  it('checks out an existing branch without moving it', async () => {
    const { root, repo } = makeRepo();
    git(repo, 'branch', 'lane/old');
    commitFile(repo, 'main moves on', 'm.txt');
    const oldSha = git(repo, 'rev-parse', 'lane/old');
    const worktree = path.join(root, 'wt-old');
    const lane = laneConfig({ repo, worktree, branch: 'lane/old', createWorktree: true });
    expect(await ensureWorktree(lane, opts)).toEqual({ ok: true, created: true });
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(oldSha);
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('lane/old');
  });

  it('does nothing without createWorktree, or when the path exists', async () => {
    const { root, repo } = makeRepo();
    const worktree = path.join(root, 'wt');
    expect(await ensureWorktree(laneConfig({ repo, worktree }), opts)).toEqual({
      ok: true,
      created: false,
    });
    expect(existsSync(worktree)).toBe(false);
    mkdirSync(worktree);
    expect(
      await ensureWorktree(laneConfig({ repo, worktree, createWorktree: true }), opts),
    ).toEqual({
      ok: true,
      created: false,
    });
    expect(() => git(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/lane/a')).toThrow();
  });

  it('reports a missing repo, a missing base and a bad branch name as errors', async () => {
    const { root, repo } = makeRepo();
    const noRepo = await ensureWorktree(
      laneConfig({
        repo: path.join(root, 'nope'),
        worktree: path.join(root, 'w1'),
        createWorktree: true,
      }),
      opts,
    );
    expect(noRepo.ok).toBe(false);
    const noBase = await ensureWorktree(
      laneConfig({
        repo,
        worktree: path.join(root, 'w2'),
        base: 'origin/nope',
        createWorktree: true,
      }),
      opts,
    );
    expect(noBase).toMatchObject({
      ok: false,
      error: expect.stringMatching(/worktree add failed/) as unknown,
    });
    const badBranch = await ensureWorktree(
      laneConfig({ repo, worktree: path.join(root, 'w3'), branch: '-f', createWorktree: true }),
      opts,
    );
    expect(badBranch).toEqual({ ok: false, error: `branch '-f' starts with "-"` });
    expect(existsSync(path.join(root, 'w2'))).toBe(false);
    expect(existsSync(path.join(root, 'w3'))).toBe(false);
  });
});
