import { rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeLanes } from '../../../src/runtime/git/batch-probe.js';
import type { LaneConfig } from '../../../src/state/config-types.js';
import { commitAt, expectSameAsSingle, gitAt, tick } from '../../helpers/git-batch-fixtures.js';
import { cleanupTempDirs, git, laneConfig, makeRepo } from '../../helpers/git-fixtures.js';

/** Add a linked worktree `<root>/<name>` on a new branch `lane/<name>` at `start`. */
function addLane(repo: string, root: string, name: string, start: string, base = 'main') {
  const wt = path.join(root, name);
  git(repo, 'worktree', 'add', '-q', '-b', `lane/${name}`, wt, start);
  return { wt, lane: laneConfig({ id: name, repo, worktree: wt, branch: `lane/${name}`, base }) };
}

/**
 * One repository holding most shapes the probe meets (see the lane names). Commit dates
 * come from a fake clock: some commits share a date (git's tie rule decides the order of
 * missing subjects), some interleave across a merged side branch.
 */
function shapesRepo(): { repo: string; root: string; lanes: LaneConfig[] } {
  const { root, repo } = makeRepo();
  const lanes: LaneConfig[] = [];
  tick();
  const c1 = commitAt(repo, 'main 1');
  gitAt(repo, 'tag', '-a', 'v1', '-m', 'release 1');
  gitAt(repo, 'tag', 'lw');
  gitAt(repo, 'branch', 'develop');
  const early = addLane(repo, root, 'diverged', c1);
  lanes.push(early.lane);
  tick();
  commitAt(early.wt, 'diverged 1');
  commitAt(early.wt, 'diverged 2'); // same date as the previous one
  const merged = addLane(repo, root, 'merged', c1);
  lanes.push(merged.lane);
  tick();
  commitAt(merged.wt, 'merged own 1');

  // main: two commits on one date, then a side branch merged with interleaved dates.
  commitAt(repo, 'main 2');
  commitAt(repo, 'main 3');
  const beforeFeature = gitAt(repo, 'rev-parse', 'HEAD');
  const premerge = addLane(repo, root, 'premerge', beforeFeature);
  lanes.push(premerge.lane);
  gitAt(repo, 'checkout', '-q', '-b', 'feature');
  tick(10);
  commitAt(repo, 'feature 1');
  gitAt(repo, 'checkout', '-q', 'main');
  tick(5);
  commitAt(repo, 'main 4');
  gitAt(repo, 'checkout', '-q', 'feature');
  tick(10);
  commitAt(repo, 'feature 2');
  gitAt(repo, 'checkout', '-q', 'main');
  tick(1);
  commitAt(repo, 'main 5');
  tick(1);
  gitAt(repo, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  // A merge whose commits all share one date (tie rule only).
  const beforeTie = gitAt(repo, 'rev-parse', 'HEAD');
  const pretie = addLane(repo, root, 'pretie', beforeTie);
  lanes.push(pretie.lane);
  tick();
  gitAt(repo, 'checkout', '-q', '-b', 'tie');
  commitAt(repo, 'tie a');
  commitAt(repo, 'tie b');
  gitAt(repo, 'checkout', '-q', 'main');
  commitAt(repo, 'tie main');
  gitAt(repo, 'merge', '-q', '--no-ff', '-m', 'merge tie', 'tie');
  commitAt(repo, ''); // an empty subject is skipped, like firstLines does

  // The diverged-and-merged lane takes main in, then main moves on.
  tick();
  gitAt(merged.wt, 'merge', '-q', '--no-ff', '-m', 'merge main into lane', 'main');
  commitAt(merged.wt, 'merged own 2');
  tick();
  commitAt(repo, 'main 6');
  commitAt(repo, 'main 7');

  // Criss-cross: lane `cross` against base `crossbase`, two merge bases.
  gitAt(repo, 'branch', 'crossbase', 'main');
  const cross = addLane(repo, root, 'cross', 'main', 'crossbase');
  lanes.push(cross.lane);
  tick();
  const p1 = (() => {
    gitAt(repo, 'checkout', '-q', 'crossbase');
    return commitAt(repo, 'cross base 1');
  })();
  const q1 = commitAt(cross.wt, 'cross lane 1');
  tick();
  gitAt(repo, 'merge', '-q', '--no-ff', '-m', 'base takes lane', q1);
  gitAt(cross.wt, 'merge', '-q', '--no-ff', '-m', 'lane takes base', p1);
  tick();
  commitAt(repo, 'cross base 3');
  commitAt(cross.wt, 'cross lane 3');
  gitAt(repo, 'checkout', '-q', 'main');
  expect(gitAt(repo, 'merge-base', '--all', 'crossbase', 'lane/cross').split('\n')).toHaveLength(2);

  // Lanes on other bases.
  tick();
  commitAt(repo, 'main 8');
  gitAt(repo, 'checkout', '-q', 'develop');
  commitAt(repo, 'develop 1');
  commitAt(repo, 'develop 2');
  gitAt(repo, 'checkout', '-q', 'main');
  lanes.push(addLane(repo, root, 'ondevelop', 'main', 'develop').lane);
  lanes.push(addLane(repo, root, 'ontag', 'main~2', 'v1').lane);
  lanes.push(addLane(repo, root, 'onlightweight', 'main', 'lw').lane);
  lanes.push(addLane(repo, root, 'ontilde', 'main~3', 'main~1').lane);
  lanes.push(addLane(repo, root, 'same', 'main').lane);
  lanes.push(addLane(repo, root, 'behindonly', 'main~4').lane);
  const ahead = addLane(repo, root, 'aheadonly', 'main');
  commitAt(ahead.wt, 'ahead only 1');
  lanes.push(ahead.lane);

  // Detached HEAD and an unborn branch in linked worktrees.
  const det = path.join(root, 'detached');
  git(repo, 'worktree', 'add', '-q', '--detach', det, 'main~2');
  lanes.push(laneConfig({ id: 'detached', repo, worktree: det, branch: 'x' }));
  const unborn = path.join(root, 'unborn');
  git(repo, 'worktree', 'add', '-q', '--detach', unborn, 'main');
  git(unborn, 'checkout', '-q', '--orphan', 'lane/unborn');
  lanes.push(laneConfig({ id: 'unborn', repo, worktree: unborn, branch: 'lane/unborn' }));

  // Bad bases: missing, not a name, per-worktree, and a missing worktree.
  lanes.push(addLane(repo, root, 'nobase', 'main', 'no/such/base').lane);
  lanes.push(addLane(repo, root, 'optbase', 'main', '--all').lane);
  lanes.push(addLane(repo, root, 'rangebase', 'main', 'main..develop').lane);
  lanes.push(addLane(repo, root, 'emptybase', 'main', '').lane);
  lanes.push(addLane(repo, root, 'headbase', 'main~1', 'HEAD~1').lane);
  lanes.push(addLane(repo, root, 'toodeep', 'main', 'main~999').lane);
  lanes.push(laneConfig({ id: 'missing', repo, worktree: path.join(root, 'not-there') }));

  // Status shapes: renames (one from a file literally named `# branch.oid x`), odd names,
  // untracked, unstaged; a conflict; an upstream; the main worktree itself.
  const files = addLane(repo, root, 'files', 'main');
  writeFileSync(path.join(files.wt, '# branch.oid x'), 'tricky\n');
  writeFileSync(path.join(files.wt, 'plain.txt'), 'plain\n');
  commitAt(files.wt, 'odd names');
  git(files.wt, 'mv', '# branch.oid x', 'renamed one');
  git(files.wt, 'mv', 'plain.txt', 'with\nnewline');
  writeFileSync(path.join(files.wt, '# branch.oid y'), 'untracked\n');
  writeFileSync(path.join(files.wt, 'spaced name.txt'), 'untracked\n');
  writeFileSync(path.join(files.wt, 'README.md'), 'changed\n');
  lanes.push(files.lane);
  const conflict = addLane(repo, root, 'conflict', 'main~1');
  writeFileSync(path.join(conflict.wt, 'main-8.txt'), 'other side\n');
  commitAt(conflict.wt, 'conflicting');
  expect(() => gitAt(conflict.wt, 'merge', '-q', 'main')).toThrow();
  lanes.push(conflict.lane);
  const up = addLane(repo, root, 'upstream', 'main~2');
  commitAt(up.wt, 'upstream own');
  git(up.wt, 'branch', '--set-upstream-to=main');
  lanes.push(up.lane);
  lanes.push(laneConfig({ id: 'mainwt', repo, worktree: repo, branch: 'main', base: 'develop' }));
  return { repo, root, lanes };
}

describe('probeLanes equals probeLane lane by lane', () => {
  let shapes: ReturnType<typeof shapesRepo>;
  beforeAll(() => {
    shapes = shapesRepo();
  });
  afterAll(() => cleanupTempDirs());

  it('for every shape in one repository, in few processes', async () => {
    const r = await expectSameAsSingle(shapes.lanes, { chunkSize: 8 });
    const byId = new Map(r.actions.map((a) => ['laneId' in a ? a.laneId : '', a]));
    // The interesting ones really are what their names say.
    const info = (id: string) => {
      const a = byId.get(id);
      if (a?.type !== 'git/ok') throw new Error(`${id}: ${JSON.stringify(a)}`);
      return a.info;
    };
    expect(info('premerge').missing).toEqual([
      'feature 1',
      'main 4',
      'feature 2',
      'main 5',
      'merge feature',
    ]);
    expect(info('pretie').missing.length).toBe(5);
    expect(info('cross').ahead).toBeGreaterThan(0);
    expect(info('files').dirty).toEqual({ staged: 2, unstaged: 1, untracked: 2, conflicted: 0 });
    expect(info('conflict').dirty.conflicted).toBeGreaterThan(0);
    expect(info('upstream').upstreamBehind).toBeGreaterThan(0);
    expect(info('nobase').baseError).toMatch(/not found/);
    expect(info('detached').branch).toBeNull();
    expect(byId.get('unborn')).toMatchObject({ type: 'git/error', code: 'other' });
    expect(byId.get('missing')).toMatchObject({ type: 'git/error', code: 'no_worktree' });
    // Only the lanes this path cannot answer were probed alone: the missing worktree and
    // the per-worktree base; the rest took 4 statuses (chunks of 8) and 4 freshness calls.
    expect(r.stats.fallbackLanes).toBe(2);
    expect(r.stats.batchSpawns).toBeLessThanOrEqual(Math.ceil(shapes.lanes.length / 8) + 4);
    expect(r.chunks.length).toBeGreaterThan(1);
  });

  it('falls back lane by lane when the commit listing exceeds the cap', async () => {
    const r = await expectSameAsSingle(shapes.lanes, { maxListedCommits: 3 });
    expect(r.stats.fallbackLanes).toBeGreaterThan(10);
  });

  it('with one process at a time and one lane per chunk', async () => {
    await expectSameAsSingle(shapes.lanes.slice(0, 6), { concurrency: 1, chunkSize: 1 });
  });
});

describe('probeLanes', () => {
  afterEach(() => cleanupTempDirs());

  it('handles lanes of two repositories and an unrelated (orphan) history', async () => {
    const one = makeRepo();
    const two = makeRepo();
    const lanes: LaneConfig[] = [];
    for (const [k, { repo, root }] of [one, two].entries()) {
      tick();
      commitAt(repo, `r${k} main 1`);
      const a = addLane(repo, root, `r${k}a`, 'main~1');
      commitAt(a.wt, `r${k} lane`);
      lanes.push(a.lane);
      commitAt(repo, `r${k} main 2`);
      lanes.push(addLane(repo, root, `r${k}b`, 'main').lane);
    }
    // An orphan branch in repo two: no common ancestor with main at all.
    const orphan = addLane(two.repo, two.root, 'orphan', 'main');
    git(orphan.wt, 'checkout', '-q', '--orphan', 'lane/orphan2');
    git(orphan.wt, 'rm', '-rfq', '.');
    commitAt(orphan.wt, 'orphan 1');
    commitAt(orphan.wt, 'orphan 2');
    lanes.push(orphan.lane);
    const r = await expectSameAsSingle(lanes);
    expect(r.stats.fallbackLanes).toBe(0);
    const o = r.actions.at(-1);
    expect(o?.type === 'git/ok' && [o.info.ahead, o.info.behind]).toEqual([2, 3]);
  });

  it('probes alone a worktree deleted before the batch, the others stay batched', async () => {
    const { repo, root } = makeRepo();
    const lanes = ['a', 'b', 'c', 'd'].map((n) => addLane(repo, root, n, 'main').lane);
    rmSync(path.join(root, 'b'), { recursive: true, force: true });
    const r = await expectSameAsSingle(lanes);
    expect(r.actions[1]).toMatchObject({ type: 'git/error', code: 'no_worktree' });
    expect(r.actions.filter((a) => a.type === 'git/ok')).toHaveLength(3);
    expect(r.stats.fallbackLanes).toBe(1);
  });

  it('never rewrites a stat-dirty index (GIT_OPTIONAL_LOCKS reaches for-each-repo children)', async () => {
    const { repo, root } = makeRepo();
    const a = addLane(repo, root, 'a', 'main');
    const index = git(a.wt, 'rev-parse', '--path-format=absolute', '--git-path', 'index');
    // Same content, new mtime: a status allowed to take optional locks refreshes the index.
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(a.wt, 'README.md'), future, future);
    const before = statSync(index).mtimeMs;
    const r = await probeLanes([a.lane], { timeoutMs: 10_000, at: () => 1 });
    expect(r.actions[0]?.type).toBe('git/ok');
    expect(r.stats.fallbackLanes).toBe(0);
    expect(statSync(index).mtimeMs).toBe(before);
    // Control: a plain git status (optional locks on) does rewrite it.
    git(a.wt, 'status', '--porcelain');
    expect(statSync(index).mtimeMs).not.toBe(before);
  });
});
