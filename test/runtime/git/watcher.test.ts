import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitWatcher, type GitWatcher } from '../../../src/runtime/git/watcher.js';
import type { Action, ActionOf } from '../../../src/state/actions.js';
import { DEFAULT_SETTINGS, type LaneConfig } from '../../../src/state/config-types.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  laneConfig,
  makeRepo,
  waitFor,
} from '../../helpers/git-fixtures.js';

let watcher: GitWatcher | undefined;
afterEach(async () => {
  await watcher?.dispose();
  watcher = undefined;
  cleanupTempDirs();
});

/** Start a watcher over `lanes`, collecting dispatched actions. */
async function startWatcher(
  lanes: LaneConfig[],
  extra: { retryMs?: number; activityGapMs?: number } = {},
) {
  const actions: Action[] = [];
  watcher = createGitWatcher({
    lanes,
    settings: DEFAULT_SETTINGS,
    dispatch: (a) => actions.push(a),
    clock: { now: () => Date.now() },
    ...extra,
  });
  await watcher.start();
  const oks = (laneId: string) =>
    actions.filter((a): a is ActionOf<'git/ok'> => a.type === 'git/ok' && a.laneId === laneId);
  const latest = (laneId: string) => oks(laneId).at(-1)?.info;
  return { actions, oks, latest };
}

/** Repo with two linked worktrees (lanes a and b, base main). */
function twoLanes() {
  const { root, repo } = makeRepo();
  const wtA = path.join(root, 'wt-a');
  const wtB = path.join(root, 'wt-b');
  git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', wtA, 'main');
  git(repo, 'worktree', 'add', '-q', '-b', 'lane/b', wtB, 'main');
  const a = laneConfig({ id: 'a', repo, worktree: wtA, branch: 'lane/a' });
  const b = laneConfig({ id: 'b', repo, worktree: wtB, branch: 'lane/b' });
  return { root, repo, wtA, wtB, a, b };
}

describe('createGitWatcher', () => {
  it('probes every lane once at start', async () => {
    const { a, b, root, repo } = twoLanes();
    const gone = laneConfig({ id: 'gone', repo, worktree: path.join(root, 'nope') });
    const { actions } = await startWatcher([a, b, gone]);
    expect(actions.map((x) => [x.type, 'laneId' in x ? x.laneId : null]).sort()).toEqual([
      ['git/error', 'gone'],
      ['git/ok', 'a'],
      ['git/ok', 'b'],
    ]);
  });

  it('re-probes a lane after a commit in its worktree', async () => {
    const { a, b, wtA } = twoLanes();
    const { latest } = await startWatcher([a, b]);
    const sha = commitFile(wtA, 'work on a', 'a.txt');
    await waitFor(() => latest('a')?.head === sha, 5_000, 'git/ok with the new HEAD of lane a');
    expect(latest('a')).toMatchObject({ ahead: 1, behind: 0, dirty: { staged: 0, untracked: 0 } });
  });

  it('re-probes every lane based on main after a commit on main', async () => {
    const { a, b, repo } = twoLanes();
    const { latest } = await startWatcher([a, b]);
    expect(latest('a')?.behind).toBe(0);
    commitFile(repo, 'main moves', 'm.txt');
    await waitFor(
      () => latest('a')?.behind === 1 && latest('b')?.behind === 1,
      5_000,
      'both lanes 1 behind',
    );
    expect(latest('a')?.missing).toEqual(['main moves']);
    expect(latest('b')?.missing).toEqual(['main moves']);
  });

  it('sees staging (index) and HEAD changes, and refresh() picks up plain edits', async () => {
    const { a, wtA } = twoLanes();
    const { latest } = await startWatcher([a]);
    writeFileSync(path.join(wtA, 'README.md'), 'edited\n');
    watcher?.refresh('a');
    await waitFor(() => latest('a')?.dirty.unstaged === 1, 5_000, 'the unstaged edit');
    git(wtA, 'add', 'README.md');
    await waitFor(() => latest('a')?.dirty.staged === 1, 5_000, 'the staged edit (index watch)');
    git(wtA, 'checkout', '-q', '--detach');
    await waitFor(() => latest('a')?.branch === null, 5_000, 'detached HEAD (HEAD watch)');
  });

  it('recovers a lane whose worktree appears later, then watches it', async () => {
    const { root, repo } = makeRepo();
    const wt = path.join(root, 'later');
    const lane = laneConfig({ id: 'later', repo, worktree: wt, branch: 'lane/later' });
    const { actions, latest } = await startWatcher([lane], { retryMs: 100 });
    expect(actions[0]).toMatchObject({ type: 'git/error', code: 'no_worktree' });
    git(repo, 'worktree', 'add', '-q', '-b', 'lane/later', wt, 'main');
    await waitFor(() => latest('later') !== undefined, 5_000, 'git/ok after the worktree appeared');
    const sha = commitFile(wt, 'later work', 'l.txt');
    await waitFor(
      () => latest('later')?.head === sha,
      5_000,
      'the commit in the recovered worktree',
    );
  });

  it('dispatches nothing after dispose and ignores unknown lanes', async () => {
    const { a, wtA } = twoLanes();
    const { actions } = await startWatcher([a]);
    watcher?.refresh('no-such-lane');
    const w = watcher;
    watcher = undefined;
    await w?.dispose();
    const count = actions.length;
    commitFile(wtA, 'after dispose', 'x.txt');
    w?.refresh('a');
    await new Promise((r) => setTimeout(r, 250)); // longer than the debounce: nothing may arrive
    expect(actions).toHaveLength(count);
  });

  it('throttles activity refreshes per lane: one at once, one at the end of the gap', async () => {
    const { a, wtA } = twoLanes();
    const { oks, latest } = await startWatcher([a], { activityGapMs: 400 });
    const before = oks('a').length;
    watcher?.refresh('a');
    await waitFor(() => oks('a').length === before + 1, 5_000, 'leading probe');
    writeFileSync(path.join(wtA, 'edit.txt'), 'x');
    for (let i = 0; i < 5; i++) watcher?.refresh('a');
    await waitFor(() => latest('a')?.dirty.untracked === 1, 5_000, 'trailing probe sees the edit');
    expect(oks('a').length).toBe(before + 2);
  });
});
