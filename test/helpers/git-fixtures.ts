/**
 * Test helpers for the git runtime tests: real temp repositories, synchronous git with a
 * fixed identity and no user/system config, a condition poller, and LaneConfig builders.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LaneConfig } from '../../src/state/config-types.js';
import { eventually } from './wait.js';

/** Environment for test-side git: fixed identity, no global/system config, fixed dates irrelevant. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/** Run git synchronously in `cwd`; returns stdout without the final newline; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_TEST_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).replace(/\n$/, '');
}

/** Temp dirs created by {@link tempDir}; remove them with {@link cleanupTempDirs} in afterEach. */
const created: string[] = [];

/** A new empty temp directory (realpath'd, so paths compare with what git prints). */
export function tempDir(prefix = 'lb-git-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return execFileSync('realpath', [dir], { encoding: 'utf8' }).trim();
}

/** Remove every temp dir made by {@link tempDir}. */
export function cleanupTempDirs(): void {
  // Retries: a board just killed in its terminal may still have a git process writing in
  // the repo, and rm then meets ENOTEMPTY (Node retries ENOTEMPTY/EBUSY with these).
  for (const dir of created.splice(0))
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/** Write `content` to `file` in `cwd` and commit it (all changes) with `subject`; returns the new sha. */
export function commitFile(
  cwd: string,
  subject: string,
  file = 'file.txt',
  content = `${subject}\n`,
): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', subject);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** A fresh repo at `<tmp>/repo` on branch main with one commit; returns the tmp root and repo path. */
export function makeRepo(): { root: string; repo: string } {
  const root = tempDir();
  const repo = path.join(root, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env: GIT_TEST_ENV });
  commitFile(repo, 'initial', 'README.md');
  return { root, repo };
}

/** A LaneConfig with test defaults; `worktree` and `repo` are required. */
export function laneConfig(
  over: Partial<LaneConfig> & Pick<LaneConfig, 'repo' | 'worktree'>,
): LaneConfig {
  return {
    id: 'lane-a',
    branch: 'lane/a',
    base: 'main',
    command: null,
    env: {},
    bridge: path.join(over.worktree, '..', '.bridge'),
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
}

/** Poll `cond` every 10 ms (vi.waitFor, ./wait.ts) until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitFor(
  cond: () => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  await eventually(cond, {
    timeoutMs,
    message: (ms) => `timed out after ${ms} ms waiting for ${what}`,
  });
}

/**
 * A temp project with a repository `repo` (one commit on `main`), two worktrees `wt/a` and
 * `wt/b` on `lane/a` / `lane/b`, and a `lanes.yaml` naming them as lanes `a` and `b`.
 * `laneAExtra` is appended inside lane a's flow mapping (e.g. `', approvals: board'`).
 * Returns the project directory (real path); the caller removes it.
 */
export function twoLaneProject(prefix: string, laneAExtra = ''): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  const repo = path.join(dir, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env: GIT_TEST_ENV });
  commitFile(repo, 'initial', 'README.md');
  for (const id of ['a', 'b'])
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${id}`, path.join(dir, 'wt', id), 'main');
  writeFileSync(
    path.join(dir, 'lanes.yaml'),
    [
      'version: 1',
      'defaults: { repo: ./repo }',
      'lanes:',
      `  - { id: a, worktree: ./wt/a, branch: lane/a${laneAExtra} }`,
      '  - { id: b, worktree: ./wt/b, branch: lane/b }',
      '',
    ].join('\n'),
  );
  return dir;
}
