/**
 * Fault injection: git faults while the board runs, through the real git watcher and
 * bridge watcher → store → Ink <App>: a lane's worktree deleted under the board, and the
 * `git` executable disappearing from PATH. The lane keeps its last good git facts with
 * `git_error` beside them (freshness "unknown", never "fresh"), the healthy lane keeps
 * updating, and the lane recovers when the fault goes away.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, commitFile, git, tempDir } from '../helpers/git-fixtures.js';
import {
  controlsIn,
  rowOf,
  startPipeline,
  until,
  type Pipeline,
} from '../helpers/faults-pipeline.js';

let p: Pipeline | null = null;
afterEach(async () => {
  await p?.dispose();
  p = null;
  cleanupTempDirs();
});

/** A repo with `main` and one worktree per id at `<dir>/wt/<id>` on `lane/<id>`. */
function repoWithWorktrees(ids: readonly string[]): { repo: string; wt: Record<string, string> } {
  const dir = tempDir('lb-faults-git-');
  const repo = join(dir, 'repo');
  git(dir, 'init', '-q', '-b', 'main', repo);
  commitFile(repo, 'initial');
  const wt: Record<string, string> = {};
  for (const id of ids) {
    wt[id] = join(dir, 'wt', id);
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${id}`, wt[id], 'main');
  }
  return { repo, wt };
}

const gitOf = (pl: Pipeline, id: string) => pl.store.getState().lanes[id]?.git;

describe('git faults while the board runs', () => {
  it('a worktree deleted under the board: git_error beside the last good facts; healthy lane unaffected', async () => {
    const { repo, wt } = repoWithWorktrees(['good', 'bad']);
    p = await startPipeline(['good', 'bad'], {
      lane: (id) => ({ repo, worktree: wt[id] ?? '', branch: `lane/${id}` }),
      git: { retryMs: 500 },
    });
    const pl = p;
    commitFile(wt.bad ?? '', 'bad lane work');
    await pl.waitForFrame(
      (f) => (rowOf(f, 'bad') ?? '').includes('↑1 ↓0 fresh'),
      'bad lane ahead 1',
    );
    await rm(wt.bad ?? '', { recursive: true, force: true });
    pl.git?.refresh('bad');
    await until(() => gitOf(pl, 'bad')?.status === 'error', 'git/error for the deleted worktree');
    const g = gitOf(pl, 'bad');
    expect(g?.status === 'error' && g.code).toBe('no_worktree');
    expect(g?.status === 'error' && g.last?.ahead).toBe(1); // last good facts kept
    const f = await pl.waitForFrame((x) => {
      const row = rowOf(x, 'bad') ?? '';
      return row.includes('unknown') && row.includes('git_error');
    }, 'bad row: freshness unknown + git_error');
    expect(rowOf(f, 'bad')).toContain('lane/bad'); // the branch is still shown
    // The healthy lane keeps updating: git and bridge.
    commitFile(wt.good ?? '', 'good lane work');
    pl.git?.refresh('good');
    await pl.waitForFrame(
      (x) => (rowOf(x, 'good') ?? '').includes('↑1 ↓0 fresh'),
      'good lane git update',
    );
    await pl.bumpHealthy('good');
    const d = await pl.openDetail('bad', (x) => x.includes('git_error'));
    expect(d).toMatch(/git: .*(does not exist|missing|no such)/i);
    await pl.closeDetail();
    // The worktree comes back: the lane recovers by itself (error lanes are retried).
    git(repo, 'worktree', 'prune');
    git(repo, 'worktree', 'add', '-q', wt.bad ?? '', 'lane/bad');
    await until(
      () => gitOf(pl, 'bad')?.status === 'ok',
      'git/ok after the worktree is back',
      10_000,
    );
    await pl.waitForFrame((x) => !(rowOf(x, 'bad') ?? '').includes('git_error'), 'no git_error');
    for (const fr of pl.frames()) expect(controlsIn(fr)).toEqual([]);
  });

  it('git missing from PATH while running: git_error on every lane, bridge updates continue, recovers', async () => {
    const { repo, wt } = repoWithWorktrees(['good', 'other']);
    const bin = tempDir('lb-faults-bin-');
    const gitPath = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    await mkdir(bin, { recursive: true });
    await symlink(gitPath, join(bin, 'git'));
    p = await startPipeline(['good', 'other'], {
      lane: (id) => ({ repo, worktree: wt[id] ?? '', branch: `lane/${id}` }),
      git: { env: { PATH: bin }, retryMs: 500 },
    });
    const pl = p;
    await until(() => gitOf(pl, 'other')?.status === 'ok', 'git ok at start');
    await rm(join(bin, 'git')); // git uninstalled under the running board
    commitFile(wt.other ?? '', 'work while git is gone');
    pl.git?.refresh('other');
    pl.git?.refresh('good');
    await until(
      () =>
        ['good', 'other'].every((id) => {
          const g = gitOf(pl, id);
          return g?.status === 'error' && g.code === 'git_missing';
        }),
      'git_missing on every lane',
    );
    await pl.waitForFrame(
      (x) => (rowOf(x, 'other') ?? '').includes('git_error'),
      'git_error on the row',
    );
    await pl.bumpHealthy('good'); // the bridge side is unaffected
    await pl.bumpHealthy('good');
    await symlink(gitPath, join(bin, 'git')); // reinstalled
    await until(
      () => {
        const g = gitOf(pl, 'other');
        return g?.status === 'ok' && g.info.ahead === 1;
      },
      'git ok again with the commit made meanwhile',
      10_000,
    );
    await pl.waitForFrame(
      (x) => (rowOf(x, 'other') ?? '').includes('↑1 ↓0 fresh'),
      'row recovered',
    );
  });
});
