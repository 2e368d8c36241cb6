/**
 * The status + diff chain (src/runtime/git/lane-batch.ts) against real worktrees: each
 * worktree's status says what `git status -z` in it says, each dirty lane's diff what
 * `git diff` in it prints, with one process spawned from Node, through a removed worktree,
 * a broken index and a file name made to look like a marker, leaving no temp files behind;
 * and the diff-only chain (src/runtime/git/diff-batch.ts) likewise.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffStatArgs, parseShortstat } from '../../../src/runtime/git/diff-stat.js';
import { readDiffBatch } from '../../../src/runtime/git/diff-batch.js';
import { parseLaneBatch, readLaneBatch } from '../../../src/runtime/git/lane-batch.js';
import { parseStatusV2 } from '../../../src/runtime/git/parse.js';
import { expectSameAsSingle } from '../../helpers/git-batch-fixtures.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  GIT_TEST_ENV,
  laneConfig,
  makeRepo,
  tempDir,
} from '../../helpers/git-fixtures.js';

afterEach(() => cleanupTempDirs());

/** Add a linked worktree `<root>/<name>` on a new branch `lane/<name>` at `start`. */
function addLane(repo: string, root: string, name: string, start: string) {
  const wt = path.join(root, name);
  git(repo, 'worktree', 'add', '-q', '-b', `lane/${name}`, wt, start);
  return { wt, lane: laneConfig({ id: name, repo, worktree: wt, branch: `lane/${name}` }) };
}

/** What git run alone in `wt` says: the status summary (-z, as probeLane reads it) and the diff. */
function alone(wt: string) {
  const run = (args: readonly string[]) =>
    execFileSync('git', args, { cwd: wt, encoding: 'utf8', env: GIT_TEST_ENV });
  const z = run(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal']);
  return { status: parseStatusV2(z), diff: parseShortstat(run(diffStatArgs('main'))) };
}

describe('readLaneBatch', () => {
  it('reads every worktree as git alone would, diffs only the dirty ones, with one spawn', async () => {
    const { repo, root } = makeRepo();
    const [clean, dirty, marker, gone, untracked] = ['a', 'b', 'c', 'd', 'e'].map(
      (n) => addLane(repo, root, n, 'main').wt,
    );
    commitFile(repo, 'main moves', 'main.txt'); // every lane is behind main by one
    appendFileSync(path.join(dirty as string, 'README.md'), 'one\ntwo\n');
    writeFileSync(path.join(dirty as string, 'staged.txt'), 's\n');
    git(dirty as string, 'add', 'staged.txt');
    // A tracked file whose name, unquoted, would read as a status marker line.
    const evil = 'x\n\x1es0\n\x1ed0';
    writeFileSync(path.join(marker as string, evil), 'e\n');
    git(marker as string, 'add', '--', evil);
    writeFileSync(path.join(untracked as string, 'new.txt'), 'n\n');
    const expected = [clean, dirty, marker, untracked].map((wt) => alone(wt as string));
    rmSync(gone as string, { recursive: true, force: true });

    const items = [clean, dirty, marker, gone, untracked].map((p) => ({
      path: p as string,
      base: 'main',
    }));
    // The chain's status files go to a private dir under os.tmpdir(), removed afterwards.
    const tmp = tempDir('lb-batch-tmp-');
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const r = await readLaneBatch([...items, { path: dirty as string, base: null }], {
      timeoutMs: 10_000,
      env: GIT_TEST_ENV,
    }).finally(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    });
    expect(readdirSync(tmp)).toEqual([]);
    expect(r.spawns).toBe(1);
    const got = r.entries.map((e) => ({
      status: e.status === null ? null : parseStatusV2(e.status, '\n'),
      diff: e.diff,
    }));
    const [eClean, eDirty, eMarker, eUntracked] = expected;
    expect(got).toEqual([
      { status: eClean?.status, diff: undefined }, // clean: no git diff run
      { status: eDirty?.status, diff: eDirty?.diff },
      { status: eMarker?.status, diff: eMarker?.diff },
      { status: null, diff: undefined }, // removed: probed alone by the caller
      { status: eUntracked?.status, diff: undefined }, // untracked files are not a diff
      { status: eDirty?.status, diff: undefined }, // no base: no diff
    ]);
    expect(eDirty?.diff).toEqual({ files: 2, insertions: 3, deletions: 0 });
    expect(eMarker?.diff).toEqual({ files: 1, insertions: 1, deletions: 0 });
  });

  it('a worktree whose status fails is probed alone; the rest of the chain is not', async () => {
    const { repo, root } = makeRepo();
    const lanes = ['a', 'b', 'c', 'd', 'e'].map((n) => addLane(repo, root, n, 'main').lane);
    const gitDir = git(
      lanes[2]?.worktree ?? '',
      'rev-parse',
      '--path-format=absolute',
      '--git-dir',
    );
    writeFileSync(path.join(gitDir, 'index'), 'not an index');
    const r = await expectSameAsSingle(lanes);
    expect(r.actions[2]).toMatchObject({ type: 'git/error', code: 'other' });
    expect(r.actions.filter((a) => a.type === 'git/ok')).toHaveLength(4);
    expect(r.stats.fallbackLanes).toBe(1);
  });
});

describe('readDiffBatch', () => {
  it('prints what git diff alone prints in each worktree, with one spawn; a removed one is null', async () => {
    const { repo, root } = makeRepo();
    const [clean, dirty, marker, gone] = ['a', 'b', 'c', 'd'].map(
      (n) => addLane(repo, root, n, 'main').wt,
    );
    commitFile(repo, 'main moves', 'main.txt');
    appendFileSync(path.join(dirty as string, 'README.md'), 'one\ntwo\n');
    const evil = 'x\n\x1es0\n\x1ed0';
    writeFileSync(path.join(marker as string, evil), 'e\n');
    git(marker as string, 'add', '--', evil);
    const expected = [clean, dirty, marker].map((wt) => alone(wt as string).diff);
    rmSync(gone as string, { recursive: true, force: true });
    const r = await readDiffBatch(
      [clean, dirty, marker, gone].map((p) => ({ path: p as string, base: 'main' })),
      { timeoutMs: 10_000, env: GIT_TEST_ENV },
    );
    expect(r).toEqual({ diffs: [...expected, null], spawns: 1 });
    expect(expected).toEqual([
      { files: 0, insertions: 0, deletions: 0 },
      { files: 1, insertions: 2, deletions: 0 },
      { files: 1, insertions: 1, deletions: 0 },
    ]);
    expect(await readDiffBatch([], { timeoutMs: 1000 })).toEqual({ diffs: [], spawns: 0 });
  });
});

describe('parseLaneBatch', () => {
  it('takes a part only once its marker is printed; a cut chain keeps what finished', () => {
    const full =
      `\x1es0\n 1 file changed, 2 insertions(+)\n\n\x1ed0\n` +
      `\x1es0\nfatal: bad\n\n\x1ed128\n` +
      `\x1es128\n`;
    expect(parseLaneBatch(full, 3)).toEqual([
      { statusOk: true, diff: { files: 1, insertions: 2, deletions: 0 } },
      { statusOk: true, diff: null },
      { statusOk: false, diff: undefined },
    ]);
    // Cut inside the second lane's diff, then inside its marker line.
    const cut = `\x1es0\n\n\x1ed0\n\x1es0\n 3 files changed\n\n\x1e`;
    expect(parseLaneBatch(cut, 2)).toEqual([
      { statusOk: true, diff: { files: 0, insertions: 0, deletions: 0 } },
      { statusOk: true, diff: undefined },
    ]);
    // Not the chain's output: more statuses than worktrees, a diff before any status.
    expect(parseLaneBatch(`\x1es0\n\x1es0\n`, 1)).toBeNull();
    expect(parseLaneBatch('\x1ed0\n', 1)).toBeNull();
  });
});
