#!/usr/bin/env node
// Creates the demo repository used by the shipped lanes.yaml, under the git-ignored
// `.laneboard/demo/` directory: a tiny Node project on `main` plus one branch per demo
// lane (green, red, behind, crashy, blocked). It never touches any other repository or
// branch. Idempotent: an existing demo repo is left as it is (`--reset` recreates it).
// The lane worktrees themselves are created by laneboard (`worktree: { create: true }`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, '.laneboard', 'demo');
const repo = join(demo, 'repo');

if (process.argv.includes('--reset')) {
  // Worktrees are registered in the demo repo only, so removing the folder is enough.
  rmSync(demo, { recursive: true, force: true });
  rmSync(join(root, '.laneboard', 'lanes'), { recursive: true, force: true });
  rmSync(join(root, '.laneboard', 'supervisor.json'), { force: true });
}
if (existsSync(join(repo, '.git'))) process.exit(0);

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'laneboard demo',
  GIT_AUTHOR_EMAIL: 'demo@laneboard.invalid',
  GIT_COMMITTER_NAME: 'laneboard demo',
  GIT_COMMITTER_EMAIL: 'demo@laneboard.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (...args) =>
  execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const write = (path, text) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const commit = (msg) => {
  git('add', '-A');
  git('commit', '-q', '-m', msg);
};

mkdirSync(repo, { recursive: true });
git('init', '-q', '-b', 'main');
git('config', 'commit.gpgsign', 'false');
write('package.json', '{ "name": "demo-retry", "type": "module", "private": true }\n');
write('src/retry.js', 'export function delay(attempt) {\n  return 100 * attempt;\n}\n');
write(
  'test/retry.test.js',
  [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { delay } from '../src/retry.js';",
    '',
    "test('first retry waits 100 ms', () => assert.equal(delay(1), 100));",
    "test('delay grows with attempts', () => assert.ok(delay(3) > delay(2)));",
    '',
  ].join('\n'),
);
commit('retry helper with linear delay');

// lane/behind starts here; main then moves on by 3 commits, so it is 3 behind.
git('branch', 'lane/behind');
write('README.md', '# demo-retry\n');
commit('docs: readme');
write('src/jitter.js', 'export const JITTER = 0.2;\n');
commit('feat: jitter constant');
write('.editorconfig', 'root = true\n');
commit('chore: editorconfig');
for (const lane of ['green', 'red', 'crashy', 'blocked']) git('branch', `lane/${lane}`);

// green: a passing change, one commit ahead of main.
git('checkout', '-q', 'lane/green');
write('src/cap.js', 'export function cap(ms) {\n  return Math.min(ms, 30_000);\n}\n');
write(
  'test/cap.test.js',
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { cap } from '../src/cap.js';\n\ntest('caps at 30 s', () => assert.equal(cap(99_999), 30_000));\n",
);
commit('feat: cap retry delay at 30 s');

// red: a change that breaks a test.
git('checkout', '-q', 'lane/red');
write('src/retry.js', 'export function delay(attempt) {\n  return 2 ** attempt * 100;\n}\n');
commit('feat: exponential delay (breaks the first-retry test)');
git('checkout', '-q', 'main');
console.log(`demo repository created at ${repo}`);
