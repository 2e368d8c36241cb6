import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readStatusBatch,
  splitStatusSections,
  STATUS_ARGS,
} from '../../../src/runtime/git/status-batch.js';
import { expectSameAsSingle } from '../../helpers/git-batch-fixtures.js';
import {
  cleanupTempDirs,
  git,
  GIT_TEST_ENV,
  laneConfig,
  makeRepo,
} from '../../helpers/git-fixtures.js';

/** Add a linked worktree `<root>/<name>` on a new branch `lane/<name>` at `start`. */
function addLane(repo: string, root: string, name: string, start: string) {
  const wt = path.join(root, name);
  git(repo, 'worktree', 'add', '-q', '-b', `lane/${name}`, wt, start);
  return { wt, lane: laneConfig({ id: name, repo, worktree: wt, branch: `lane/${name}` }) };
}

describe('readStatusBatch', () => {
  afterEach(() => cleanupTempDirs());

  it('keeps the worktrees around one that fails in the middle of a chunk', async () => {
    const { repo, root } = makeRepo();
    const wts = ['a', 'b', 'c', 'd', 'e'].map((n) => addLane(repo, root, n, 'main').wt);
    writeFileSync(path.join(wts[0] ?? '', 'untracked.txt'), 'x\n');
    const alone = wts.map((wt) =>
      execFileSync('git', STATUS_ARGS, { cwd: wt, encoding: 'utf8', env: GIT_TEST_ENV }),
    );
    rmSync(wts[2] ?? '', { recursive: true, force: true });
    const r = await readStatusBatch(wts, { timeoutMs: 10_000 });
    // git names the path it could not enter, so the one before it is trusted too.
    expect(r.sections).toEqual([alone[0], alone[1], null, alone[3], alone[4]]);
    expect(r.spawns).toBe(2);
  });

  it('probes alone a worktree whose status fails (and the uncertain one before it)', async () => {
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
    expect(r.stats.fallbackLanes).toBe(2);
  });
});

describe('splitStatusSections', () => {
  it('splits at each header and skips the original path of a rename whatever it says', () => {
    const one = '# branch.oid aaa\0# branch.head x\0? # branch.oid y\0';
    const two =
      '# branch.oid bbb\0# branch.head y\0' +
      '2 R. N... 100644 100644 100644 1 1 R100 new\0# branch.oid z\0';
    expect(splitStatusSections(one + two)).toEqual([one, two]);
    expect(splitStatusSections('junk\0' + one)).toBeNull();
    expect(splitStatusSections('')).toEqual([]);
  });
});
