import {
  watch,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  type FSWatcher,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeLane } from '../../../src/runtime/git/probe.js';
import type { Action, ActionOf } from '../../../src/state/actions.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  laneConfig,
  makeRepo,
  tempDir,
  waitFor,
} from '../../helpers/git-fixtures.js';

const opts = { timeoutMs: 5_000, at: () => 1_700_000_000_000 };

function expectOk(action: Action): ActionOf<'git/ok'> {
  if (action.type !== 'git/ok') throw new Error(`expected git/ok, got ${JSON.stringify(action)}`);
  return action;
}

function expectError(action: Action): ActionOf<'git/error'> {
  if (action.type !== 'git/error')
    throw new Error(`expected git/error, got ${JSON.stringify(action)}`);
  return action;
}

/** Repo with main + a linked worktree on lane/a that is 2 ahead / 3 behind main. */
function twoAheadThreeBehind() {
  const { root, repo } = makeRepo();
  const wt = path.join(root, 'wt-a');
  git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', wt, 'main');
  commitFile(wt, 'lane 1', 'lane.txt');
  commitFile(wt, 'lane 2', 'lane.txt');
  commitFile(repo, 'main 1', 'main.txt');
  commitFile(repo, 'main 2', 'main.txt');
  commitFile(repo, 'main 3', 'main.txt');
  return { root, repo, wt, lane: laneConfig({ repo, worktree: wt }) };
}

const watchers: FSWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
  cleanupTempDirs();
});

describe('probeLane', () => {
  it('reports HEAD, branch, ahead/behind (same as rev-list) and missing subjects oldest first', async () => {
    const { wt, lane } = twoAheadThreeBehind();
    const action = expectOk(await probeLane(lane, opts));
    const [behind, ahead] = git(wt, 'rev-list', '--left-right', '--count', 'main...HEAD')
      .split(/\s+/)
      .map(Number);
    expect({ ahead, behind }).toEqual({ ahead: 2, behind: 3 });
    expect(action).toMatchObject({ laneId: 'lane-a', at: 1_700_000_000_000 });
    expect(action.info).toEqual({
      branch: 'lane/a',
      head: git(wt, 'rev-parse', 'HEAD'),
      dirty: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 },
      base: 'main',
      ahead,
      behind,
      baseError: null,
      missing: ['main 1', 'main 2', 'main 3'],
      upstream: null,
      upstreamAhead: null,
      upstreamBehind: null,
      // lane.txt written twice on the lane: one file, one line ("lane 2") against main.
      diff: { files: 1, insertions: 1, deletions: 0 },
    });
  });

  it('keeps only the 5 oldest missing subjects', async () => {
    const { repo, wt, lane } = twoAheadThreeBehind();
    for (let i = 4; i <= 8; i++) commitFile(repo, `main ${i}`, 'main.txt');
    const { info } = expectOk(await probeLane(lane, opts));
    expect(info.behind).toBe(8);
    expect(info.missing).toEqual(['main 1', 'main 2', 'main 3', 'main 4', 'main 5']);
    expect(git(wt, 'status', '--porcelain')).toBe('');
  });

  it('reports upstream and its ahead/behind from the branch.ab header', async () => {
    const { wt, lane } = twoAheadThreeBehind();
    git(wt, 'branch', '--set-upstream-to=main');
    const { info } = expectOk(await probeLane(lane, opts));
    expect(info).toMatchObject({ upstream: 'main', upstreamAhead: 2, upstreamBehind: 3 });
  });

  it('counts staged, unstaged and untracked entries', async () => {
    const { repo } = makeRepo();
    commitFile(repo, 'more', 'a.txt');
    commitFile(repo, 'more 2', 'b.txt');
    writeFileSync(path.join(repo, 'a.txt'), 'staged change\n');
    git(repo, 'add', 'a.txt');
    writeFileSync(path.join(repo, 'b.txt'), 'unstaged change\n');
    writeFileSync(path.join(repo, 'README.md'), 'staged\n');
    git(repo, 'add', 'README.md');
    writeFileSync(path.join(repo, 'README.md'), 'staged then changed again\n');
    writeFileSync(path.join(repo, 'new1.txt'), 'x');
    writeFileSync(path.join(repo, 'new2.txt'), 'y');
    const { info } = expectOk(
      await probeLane(laneConfig({ repo, worktree: repo, branch: 'main' }), opts),
    );
    expect(info.dirty).toEqual({ staged: 2, unstaged: 2, untracked: 2, conflicted: 0 });
    expect(info).toMatchObject({ branch: 'main', ahead: 0, behind: 0, missing: [] });
  });

  it('counts conflicted entries during a merge conflict', async () => {
    const { repo } = makeRepo();
    git(repo, 'checkout', '-q', '-b', 'other');
    commitFile(repo, 'other side', 'README.md', 'other\n');
    git(repo, 'checkout', '-q', 'main');
    commitFile(repo, 'main side', 'README.md', 'main\n');
    expect(() => git(repo, 'merge', '-q', 'other')).toThrow();
    const { info } = expectOk(
      await probeLane(laneConfig({ repo, worktree: repo, branch: 'main' }), opts),
    );
    expect(info.dirty.conflicted).toBe(1);
  });

  it('reports a detached HEAD as branch null with its sha', async () => {
    const { wt, lane } = twoAheadThreeBehind();
    git(wt, 'checkout', '-q', '--detach', 'HEAD~1');
    const { info } = expectOk(await probeLane(lane, opts));
    expect(info.branch).toBeNull();
    expect(info.head).toBe(git(wt, 'rev-parse', 'HEAD'));
    expect(info).toMatchObject({ ahead: 1, behind: 3 });
  });

  it('is still git/ok with a baseError when the base ref does not exist', async () => {
    const { lane } = twoAheadThreeBehind();
    const { info } = expectOk(await probeLane({ ...lane, base: 'origin/nope' }, opts));
    expect(info).toMatchObject({
      branch: 'lane/a',
      base: 'origin/nope',
      ahead: null,
      behind: null,
      missing: [],
      baseError: "base ref 'origin/nope' not found",
    });
  });

  it('treats a base that looks like an option as data, not an argument', async () => {
    const { lane } = twoAheadThreeBehind();
    const { info } = expectOk(await probeLane({ ...lane, base: '--output=/tmp/x' }, opts));
    expect(info.ahead).toBeNull();
    expect(info.baseError).toMatch(/^base ref '--output=\/tmp\/x' starts with "-"/);
  });

  it('is git/error not_git in a directory outside any repository', async () => {
    const dir = tempDir();
    const action = expectError(
      await probeLane(laneConfig({ repo: dir, worktree: dir }), {
        ...opts,
        env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) },
      }),
    );
    expect(action).toMatchObject({ code: 'not_git', laneId: 'lane-a', at: 1_700_000_000_000 });
  });

  it('is git/error no_worktree when the worktree is missing', async () => {
    const { root, repo } = makeRepo();
    const action = expectError(
      await probeLane(laneConfig({ repo, worktree: path.join(root, 'gone') }), opts),
    );
    expect(action.code).toBe('no_worktree');
    expect(action.error).toContain('gone');
  });

  it('is git/error git_missing when git is not on PATH', async () => {
    const { repo } = makeRepo();
    const action = expectError(
      await probeLane(laneConfig({ repo, worktree: repo }), {
        ...opts,
        env: { PATH: '/nonexistent' },
      }),
    );
    expect(action.code).toBe('git_missing');
  });

  it('is git/error timeout when git hangs, bounded by timeoutMs', async () => {
    const { repo } = makeRepo();
    const bin = path.join(tempDir(), 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'git'), '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const t0 = Date.now();
    const action = expectError(
      await probeLane(laneConfig({ repo, worktree: repo }), {
        ...opts,
        timeoutMs: 300,
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      }),
    );
    expect(action.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_500);
  });

  it('is git/error (not ok) for a repository without commits', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    const action = expectError(await probeLane(laneConfig({ repo: dir, worktree: dir }), opts));
    expect(action.code).toBe('other');
    expect(action.error).toMatch(/no commits yet/);
  });

  it('succeeds while someone holds index.lock and leaves the lock alone', async () => {
    const { wt, lane } = twoAheadThreeBehind();
    writeFileSync(path.join(wt, 'untracked.txt'), 'u');
    const gitDir = git(wt, 'rev-parse', '--path-format=absolute', '--git-dir');
    const lock = path.join(gitDir, 'index.lock');
    writeFileSync(lock, 'held by an agent');
    const { info } = expectOk(await probeLane(lane, opts));
    expect(info.dirty.untracked).toBe(1);
    expect(readFileSync(lock, 'utf8')).toBe('held by an agent');
    rmSync(lock);
  });

  it('never creates index.lock, even when the index is stat-dirty', async () => {
    const { wt, lane } = twoAheadThreeBehind();
    const gitDir = git(wt, 'rev-parse', '--path-format=absolute', '--git-dir');
    // Same content, new mtime: a locking `git status` would refresh and rewrite the index.
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(wt, 'lane.txt'), future, future);
    const seen: string[] = [];
    watchers.push(watch(gitDir, (_event, name) => seen.push(String(name))));
    for (let i = 0; i < 3; i++) expectOk(await probeLane(lane, opts));
    // Sanity check that the watch sees index.lock: a plain status (optional locks on) takes it.
    writeFileSync(path.join(gitDir, 'probe-marker'), '');
    git(wt, 'status', '--porcelain');
    await waitFor(() => seen.includes('index.lock'), 3_000, 'plain git status to take index.lock');
    const beforeMarker = seen.slice(0, seen.indexOf('probe-marker'));
    expect(beforeMarker).not.toContain('index.lock');
    expect(beforeMarker).not.toContain('index');
  });
});
