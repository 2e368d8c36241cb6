/**
 * `laneboard add` / `remove` / `init` / zero-config `--json` through the built CLI on real
 * repositories: worktree and branch created from the base, worktree_setup (command and
 * copy of a git-ignored file), lanes.yaml byte-for-byte outside the changed entry,
 * refusals (dirty, commits on no other branch) with exit 1, --force, branch deleted only
 * when merged, exit codes of bad usage.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/e2e-cli.js';
import { cleanupTempDirs, commitFile, git, makeRepo, tempDir } from '../helpers/git-fixtures.js';

afterEach(() => cleanupTempDirs());

const HEADER = `# team lanes — keep this comment
version: 1
settings:
  worktree_setup:
    command: [/bin/sh, -c, 'echo set-up > setup.txt'] # runs in the new worktree
    copy: [.env, missing.env]

defaults:
  repo: . # this repository
  base: main

lanes:
  # the main checkout, observed
  - id: main
    worktree: .
    branch: main # never moved
`;

function project(): { root: string; repo: string; file: string } {
  const { root, repo } = makeRepo();
  writeFileSync(path.join(repo, '.gitignore'), '.env\nlanes.yaml\n.laneboard/\n');
  commitFile(repo, 'ignore', '.gitignore', '.env\nlanes.yaml\n.laneboard/\nsetup.txt\n');
  writeFileSync(path.join(repo, '.env'), 'SECRET=1\n');
  const file = path.join(repo, 'lanes.yaml');
  writeFileSync(file, HEADER);
  return { root, repo, file };
}

describe('laneboard add', () => {
  it('creates branch and worktree from the base, runs the setup, appends the entry keeping the file', async () => {
    const { root, repo, file } = project();
    const r = await runCli(['add', 'fix-login', '--command', 'claude'], { cwd: repo });
    expect(r.stderr).toContain('added lane fix-login');
    expect(r.code).toBe(0);
    const wt = path.join(root, 'repo-fix-login');
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('fix-login');
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', 'main'));
    expect(readFileSync(path.join(wt, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(readFileSync(path.join(wt, 'setup.txt'), 'utf8')).toBe('set-up\n');
    expect(readFileSync(file, 'utf8')).toBe(
      `${HEADER}  - id: fix-login\n    worktree: ../repo-fix-login\n    branch: fix-login\n    command: claude\n`,
    );
    const json = await runCli(['--json'], { cwd: repo });
    const snap = JSON.parse(json.stdout) as { lanes: { id: string; branch: string }[] };
    expect(snap.lanes.map((l) => [l.id, l.branch])).toEqual([
      ['main', 'main'],
      ['fix-login', 'fix-login'],
    ]);
  });

  it('takes --branch, --base and --path; refuses a taken id, a bad id and an existing path (exit 2)', async () => {
    const { root, repo, file } = project();
    commitFile(repo, 'second', 'b.txt');
    const first = git(repo, 'rev-parse', 'HEAD~1');
    git(repo, 'tag', 'v1', first);
    const r = await runCli(
      ['add', 'old', '--branch', 'lane/old', '--base', 'v1', '--path', '../elsewhere/old'],
      { cwd: repo },
    );
    expect(r.code).toBe(0);
    expect(git(path.join(root, 'elsewhere', 'old'), 'rev-parse', 'HEAD')).toBe(first);
    expect(readFileSync(file, 'utf8')).toContain(
      '  - id: old\n    worktree: ../elsewhere/old\n    branch: lane/old\n    base: v1\n',
    );
    const before = readFileSync(file, 'utf8');
    for (const args of [
      ['add', 'old'],
      ['add', 'bad id'],
      ['add', 'new', '--path', 'lanes.yaml'],
    ]) {
      const bad = await runCli(args, { cwd: repo });
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/laneboard: /);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('without lanes.yaml says to run init first (exit 2)', async () => {
    const { repo } = makeRepo();
    const r = await runCli(['add', 'x'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('laneboard init');
  });
});

describe('laneboard remove', () => {
  async function withLane(): Promise<{ root: string; repo: string; file: string; wt: string }> {
    const p = project();
    const r = await runCli(['add', 'feat'], { cwd: p.repo });
    expect(r.code).toBe(0);
    return { ...p, wt: path.join(p.root, 'repo-feat') };
  }

  it('removes worktree, merged branch and entry; the file is byte-for-byte the one before add', async () => {
    const { repo, file, wt } = await withLane();
    const r = await runCli(['remove', 'feat'], { cwd: repo });
    expect(r.stderr).toContain('deleted branch feat');
    expect(r.code).toBe(0);
    expect(existsSync(wt)).toBe(false);
    expect(git(repo, 'branch', '--list', 'feat')).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(HEADER);
  });

  it('refuses a dirty worktree (exit 1) and changes nothing; --force removes it', async () => {
    const { repo, file, wt } = await withLane();
    writeFileSync(path.join(wt, 'wip.txt'), 'work in progress\n');
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['remove', 'feat'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 uncommitted change.*--force/s);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(path.join(wt, 'wip.txt'))).toBe(true);
    const f = await runCli(['remove', 'feat', '--force'], { cwd: repo });
    expect(f.code).toBe(0);
    expect(existsSync(wt)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(HEADER);
  });

  it('refuses commits on no other branch (exit 1); --force keeps the unmerged branch', async () => {
    const { repo, file, wt } = await withLane();
    commitFile(wt, 'only here', 'only.txt');
    const r = await runCli(['remove', 'feat'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 commit on no other branch/);
    expect(r.stderr).toContain('only here');
    const f = await runCli(['remove', 'feat', '--force'], { cwd: repo });
    expect(f.code).toBe(0);
    expect(f.stderr).toContain('kept branch feat (not merged into main)');
    expect(git(repo, 'log', '-1', '--format=%s', 'feat')).toBe('only here');
    expect(readFileSync(file, 'utf8')).toBe(HEADER);
  });

  it('commits also on another branch are not lost: removed without --force, branch kept', async () => {
    const { repo, wt } = await withLane();
    commitFile(wt, 'shared', 'shared.txt');
    git(repo, 'branch', 'backup', 'feat');
    const r = await runCli(['remove', 'feat'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('kept branch feat');
  });

  it('an unknown lane is bad usage (exit 2)', async () => {
    const { repo } = project();
    expect((await runCli(['remove', 'nope'], { cwd: repo })).code).toBe(2);
  });
});

describe('zero config through the CLI', () => {
  it('--json in a repository with worktrees and no lanes.yaml: every worktree, nothing written', async () => {
    const { root, repo } = makeRepo();
    git(repo, 'worktree', 'add', '-q', '-b', 'a', path.join(root, 'wt-a'));
    git(repo, 'worktree', 'add', '-q', '-b', 'b', path.join(root, 'wt-b'));
    const r = await runCli(['--json'], { cwd: path.join(root, 'wt-b') });
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as {
      lanes: { id: string; branch: string }[];
      notices: { message: string }[];
    };
    expect(snap.lanes.map((l) => [l.id, l.branch])).toEqual([
      ['repo', 'main'],
      ['wt-a', 'a'],
      ['wt-b', 'b'],
    ]);
    expect(snap.notices[0]?.message).toMatch(/discovered 3 worktrees .*laneboard init/);
    expect(git(path.join(root, 'wt-b'), 'status', '--porcelain', '--ignored')).toBe('');
    const init = await runCli(['init'], { cwd: path.join(root, 'wt-b') });
    expect(init.code).toBe(0);
    expect((await runCli(['init'], { cwd: path.join(root, 'wt-b') })).code).toBe(2);
  });

  it('outside a repository and without lanes.yaml: exit 2 naming both ways forward', async () => {
    const r = await runCli(['--json'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
    expect(r.stderr).toMatch(/laneboard init/);
    expect(r.stderr).toMatch(/--config/);
  });
});
