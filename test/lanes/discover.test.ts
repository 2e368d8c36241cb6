/**
 * Zero-config discovery and `laneboard init` against real repositories: a repository with
 * linked worktrees (one detached), a bare repository with worktrees, a clone whose
 * default branch is the remote HEAD, clashing directory names; `init` output parsed back.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import {
  discover,
  discoveredConfig,
  laneIdsFor,
  parseWorktreeList,
} from '../../src/cli/discover.js';
import { loadConfigSource, NothingToShowError } from '../../src/cli/config-source.js';
import { runInit } from '../../src/cli/commands/init.js';
import { CommandError } from '../../src/cli/commands/lanes-file.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  GIT_TEST_ENV,
  makeRepo,
  tempDir,
} from '../helpers/git-fixtures.js';

afterEach(() => cleanupTempDirs());

/** A repo on main with worktrees `<root>/wt/feat` (branch feat, one commit ahead) and `<root>/wt/det` (detached). */
function repoWithWorktrees(): { root: string; repo: string } {
  const { root, repo } = makeRepo();
  git(repo, 'worktree', 'add', '-q', '-b', 'feat', path.join(root, 'wt', 'feat'));
  commitFile(path.join(root, 'wt', 'feat'), 'feature work', 'feat.txt');
  git(repo, 'worktree', 'add', '-q', '--detach', path.join(root, 'wt', 'det'));
  return { root, repo };
}

describe('parseWorktreeList / laneIdsFor', () => {
  it('reads porcelain -z records: branch, detached, bare, prunable', () => {
    const out =
      'worktree /r/.bare\0bare\0\0worktree /r/a\0HEAD abc\0branch refs/heads/x/y\0\0' +
      'worktree /r/b\0HEAD def\0detached\0prunable gitdir file points to non-existent location\0\0';
    expect(parseWorktreeList(out)).toEqual([
      { path: '/r/.bare', head: null, branch: null, bare: true, prunable: false },
      { path: '/r/a', head: 'abc', branch: 'x/y', bare: false, prunable: false },
      { path: '/r/b', head: 'def', branch: null, bare: false, prunable: true },
    ]);
  });

  it('makes ids from directory names, unique in order', () => {
    expect(laneIdsFor(['/a/app', '/b/app', '/c/my app!', '/d/app-2', '/e/--'])).toEqual([
      'app',
      'app-2',
      'my-app-',
      'app-2-2',
      'lane',
    ]);
  });
});

describe('discover', () => {
  it('lists every worktree of the repository from any of them, detached HEAD included', async () => {
    const { root, repo } = repoWithWorktrees();
    for (const cwd of [repo, path.join(root, 'wt', 'det'), path.join(root, 'wt', 'feat')]) {
      const d = await discover(cwd);
      expect(d).not.toBeNull();
      expect(d?.repo).toBe(repo);
      expect(d?.bare).toBe(false);
      expect(d?.base).toBe('main');
      expect(d?.worktrees.map((w) => [path.relative(root, w.path), w.branch])).toEqual([
        ['repo', 'main'],
        ['wt/det', null],
        ['wt/feat', 'feat'],
      ]);
    }
  });

  it('handles a bare repository with worktrees (the bare entry is no lane)', async () => {
    const { root, repo } = makeRepo();
    const bare = path.join(root, 'proj', '.bare');
    execFileSync('git', ['clone', '-q', '--bare', repo, bare], { env: GIT_TEST_ENV });
    writeFileSync(path.join(root, 'proj', '.git'), 'gitdir: ./.bare\n');
    git(bare, 'worktree', 'add', '-q', path.join(root, 'proj', 'main'), 'main');
    git(bare, 'worktree', 'add', '-q', '-b', 'fix', path.join(root, 'proj', 'fix'), 'main');
    const d = await discover(path.join(root, 'proj', 'fix'));
    expect(d?.repo).toBe(bare);
    expect(d?.bare).toBe(true);
    expect(d?.worktrees.map((w) => path.basename(w.path))).toEqual(['fix', 'main']);
    const config = discoveredConfig(d!, path.join(root, 'proj'));
    expect(config.lanes.map((l) => [l.id, l.branch, l.repo])).toEqual([
      ['fix', 'fix', bare],
      ['main', 'main', bare],
    ]);
  });

  it('measures against the remote HEAD when there is one, else main, else master', async () => {
    const { root, repo } = makeRepo();
    git(repo, 'branch', 'trunk');
    git(repo, 'symbolic-ref', 'HEAD', 'refs/heads/trunk');
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '-q', repo, clone], { env: GIT_TEST_ENV });
    expect((await discover(clone))?.base).toBe('origin/trunk');
    const m = makeRepo().repo;
    git(m, 'branch', '-m', 'main', 'master');
    expect((await discover(m))?.base).toBe('master');
  });

  it('returns null outside a repository', async () => {
    expect(await discover(tempDir())).toBeNull();
  });
});

describe('loadConfigSource', () => {
  it('discovers when ./lanes.yaml is absent and --config was not given', async () => {
    const { root, repo } = repoWithWorktrees();
    const s = await loadConfigSource('lanes.yaml', false, repo);
    expect(s.origin).toBe('discovered');
    expect(s.banner).toMatch(/discovered 3 worktrees of .*laneboard init/);
    expect(s.config.lanes.map((l) => [l.id, l.branch, l.command, l.autostart])).toEqual([
      ['repo', 'main', null, false],
      ['det', 'HEAD', null, false],
      ['feat', 'feat', null, false],
    ]);
    expect(s.config.lanes[2]?.bridge).toBe(path.join(repo, '.laneboard', 'lanes', 'feat'));
    expect(s.config.lanes[2]?.worktree).toBe(path.join(root, 'wt', 'feat'));
  });

  it('outside a repository without lanes.yaml: NothingToShowError naming both ways forward', async () => {
    const dir = tempDir();
    const err = await loadConfigSource('lanes.yaml', false, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NothingToShowError);
    expect((err as Error).message).toMatch(/inside a git repository/);
    expect((err as Error).message).toMatch(/--config/);
  });

  it('an explicit --config never falls back to discovery', async () => {
    const { repo } = makeRepo();
    await expect(loadConfigSource('lanes.yaml', true, repo)).rejects.toThrow(/not found/);
  });
});

describe('laneboard init', () => {
  it('writes a commented lanes.yaml that parses back to the discovered lanes', async () => {
    const { repo } = repoWithWorktrees();
    const r = await runInit('lanes.yaml', repo);
    expect(r).toEqual({ file: path.join(repo, 'lanes.yaml'), lanes: 3 });
    const text = readFileSync(r.file, 'utf8');
    for (const key of ['command', 'restart', 'steer', 'on', 'worktree_setup']) {
      expect(text).toMatch(new RegExp(`^\\s*#\\s+${key}:`, 'm'));
    }
    const parsed = parseConfig(text, r.file);
    const discovered = (await loadConfigSource('lanes.yaml', false, repo)).config;
    const shape = (l: {
      id: string;
      repo: string;
      worktree: string;
      branch: string;
      base: string;
      bridge: string;
      command: unknown;
    }) => [l.id, l.repo, l.worktree, l.branch, l.base, l.bridge, l.command];
    expect(parsed.lanes.map(shape)).toEqual(discovered.lanes.map(shape));
  });

  it('refuses to overwrite an existing file (exit 2) and leaves it untouched', async () => {
    const { repo } = makeRepo();
    mkdirSync(path.join(repo, 'conf'));
    const file = path.join(repo, 'conf', 'lanes.yaml');
    writeFileSync(file, '# mine\n');
    const err = await runInit('conf/lanes.yaml', repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
  });

  it('refuses outside a repository (exit 2)', async () => {
    const err = await runInit('lanes.yaml', tempDir()).catch((e: unknown) => e);
    expect((err as CommandError).code).toBe(2);
  });
});
