import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createGitWatcher, type GitWatcher } from '../../../src/runtime/git/watcher.js';
import type { Action } from '../../../src/state/actions.js';
import { DEFAULT_SETTINGS } from '../../../src/state/config-types.js';
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

it('a refs dir moved away is reported (lane re-probed) and watched again once back', async () => {
  const { root, repo } = makeRepo();
  const wt = path.join(root, 'wt-a');
  git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', wt, 'main');
  const actions: Action[] = [];
  watcher = createGitWatcher({
    lanes: [laneConfig({ id: 'a', repo, worktree: wt, branch: 'lane/a' })],
    settings: DEFAULT_SETTINGS,
    dispatch: (a) => actions.push(a),
    clock: { now: () => Date.now() },
    debounceMs: 10,
    retryMs: 200,
  });
  await watcher.start();
  const probes = () => actions.filter((a) => a.type === 'git/ok' || a.type === 'git/error');
  expect(probes().map((a) => a.type)).toEqual(['git/ok']);
  // Moving the refs dir away names no ref: only the dir's own event ('' = unknown ref).
  const refs = path.join(repo, '.git', 'refs');
  renameSync(refs, `${refs}-away`);
  await waitFor(() => probes().length >= 2, 5_000, 'lane a re-probed while refs is away');
  renameSync(`${refs}-away`, refs);
  const sha = commitFile(repo, 'main moves', 'm.txt');
  git(repo, 'update-ref', 'refs/heads/lane/a', sha);
  await waitFor(
    () => probes().some((a) => a.type === 'git/ok' && a.info.head === sha),
    10_000,
    'the moved lane branch seen after refs came back',
  );
  expect(actions.filter((a) => a.type === 'board/notice')).toEqual([]);
});
