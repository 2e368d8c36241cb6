#!/usr/bin/env node
// Creates the throwaway repository and lane worktrees a recipe's lanes.yaml points at:
//   node examples/recipes/setup-lane.mjs <recipe-dir> <lane-id>...
// makes <recipe-dir>/.work/repo (a git repo on `main` with one commit) and, per lane, a
// worktree <recipe-dir>/.work/wt/<lane-id> on branch lane/<lane-id>. Agent state dirs
// (.claw/, .claude/) are git-ignored there, as agents' users do. Idempotent: what exists
// is left alone. Never touches any other repository.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [dirArg, ...lanes] = process.argv.slice(2);
if (!dirArg || lanes.length === 0) {
  process.stderr.write('usage: setup-lane.mjs <recipe-dir> <lane-id>...\n');
  process.exit(2);
}
const work = join(resolve(dirArg), '.work');
const repo = join(work, 'repo');
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'laneboard recipe',
  GIT_AUTHOR_EMAIL: 'recipe@laneboard.invalid',
  GIT_COMMITTER_NAME: 'laneboard recipe',
  GIT_COMMITTER_EMAIL: 'recipe@laneboard.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();

if (!existsSync(join(repo, '.git'))) {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'README.md'), '# recipe repo\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  appendFileSync(join(repo, '.git', 'info', 'exclude'), '.claw/\n.claude/\n');
}
for (const id of lanes) {
  const wt = join(work, 'wt', id);
  if (!existsSync(wt)) git(repo, 'worktree', 'add', '-q', '-b', `lane/${id}`, wt, 'main');
  process.stdout.write(`${wt}\n`);
}
