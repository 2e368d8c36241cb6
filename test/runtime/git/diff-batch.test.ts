/**
 * The batched diff runner (src/runtime/git/diff-batch.ts) ≡ one `git diff --shortstat`
 * per worktree: on real worktrees (dirty, clean, a change that reverts the lane's commit so
 * the diff is empty, a removed worktree) each call answers what the plain runner answers,
 * and a batch that can be attributed runs one process for all of them.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEachRunner, splitLines } from '../../../src/runtime/git/diff-batch.js';
import { diffStatArgs, type DiffRunner } from '../../../src/runtime/git/diff-stat.js';
import { runGit } from '../../../src/runtime/git/run-git.js';
import { cleanupTempDirs, commitFile, git, makeRepo } from '../../helpers/git-fixtures.js';

afterEach(cleanupTempDirs);

const OPTS = {
  timeoutMs: 10_000,
  env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
};

/** A repo with `n` worktrees on their own branch, each with a commit and a dirty file. */
function fixture(n: number): string[] {
  const { root, repo } = makeRepo();
  const wts: string[] = [];
  for (let i = 0; i < n; i++) {
    const wt = path.join(root, `wt${i}`);
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${i}`, wt, 'main');
    commitFile(wt, `lane ${i}`, `f${i}.txt`, `lane ${i}\n`);
    appendFileSync(path.join(wt, 'README.md'), `change ${i}\n`.repeat(i + 1));
    wts.push(wt);
  }
  return wts;
}

/** A plain runner that counts its processes. */
function counting(): { run: DiffRunner; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: (args, opts) => {
      calls.push([...args]);
      return runGit(args, opts);
    },
  };
}

async function both(wts: readonly string[]) {
  const args = diffStatArgs('main');
  const plain = await Promise.all(wts.map((cwd) => runGit(args, { cwd, ...OPTS })));
  const c = counting();
  const each = createEachRunner(c.run);
  const batched = await Promise.all(wts.map((cwd) => each(args, { cwd, ...OPTS })));
  return { plain, batched, calls: c.calls };
}

describe('createEachRunner', () => {
  it('answers each worktree as git diff in it would, with one process', async () => {
    const { plain, batched, calls } = await both(fixture(4));
    expect(batched.map((r) => r.ok && r.stdout)).toEqual(plain.map((r) => r.ok && r.stdout));
    expect(batched.every((r) => r.ok && /files? changed/.test(r.stdout))).toBe(true);
    expect(calls.length).toBe(1);
    expect(calls[0]).toContain('for-each-repo');
  });

  it('falls back to one process per worktree when a diff is empty (no line to attribute)', async () => {
    const wts = fixture(3);
    // Lane 1: undo its own commit in the worktree and drop the dirty change → empty diff.
    const wt = wts[1] as string;
    rmSync(path.join(wt, 'f1.txt'));
    git(wt, 'checkout', '--', 'README.md');
    const { plain, batched, calls } = await both(wts);
    expect(plain[1]?.ok && plain[1].stdout).toBe('');
    expect(batched.map((r) => r.ok && r.stdout)).toEqual(plain.map((r) => r.ok && r.stdout));
    expect(calls.length).toBe(1 + 3);
  });

  it('gives the plain answer for a removed worktree and for the others', async () => {
    const wts = fixture(3);
    rmSync(wts[0] as string, { recursive: true, force: true });
    const { plain, batched } = await both(wts);
    expect(plain[0]?.ok).toBe(false);
    expect(batched[0]?.ok).toBe(false);
    expect(batched.slice(1).map((r) => r.ok && r.stdout)).toEqual(
      plain.slice(1).map((r) => r.ok && r.stdout),
    );
  });

  it('splits only output with one line per worktree', () => {
    expect(splitLines(' 1 file changed\n 2 files changed\n', 2)).toEqual([
      ' 1 file changed\n',
      ' 2 files changed\n',
    ]);
    expect(splitLines(' 1 file changed\n', 2)).toBeNull();
    expect(splitLines('', 1)).toBeNull();
  });
});
