import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitWatcher, type GitWatcher } from '../../../src/runtime/git/watcher.js';
import type { Action } from '../../../src/state/actions.js';
import { DEFAULT_SETTINGS, type LaneConfig } from '../../../src/state/config-types.js';
import { expectSameAsSingle } from '../../helpers/git-batch-fixtures.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  laneConfig,
  makeRepo,
  tempDir,
  waitFor,
} from '../../helpers/git-fixtures.js';

let watcher: GitWatcher | undefined;
afterEach(async () => {
  await watcher?.dispose();
  watcher = undefined;
  cleanupTempDirs();
});

/**
 * A directory with a `git` that logs its arguments to `log` (NUL-separated: the batch's
 * script spans lines) and runs the real git. Only processes spawned from Node go through
 * it: git puts its own exec path first in PATH for the commands of its alias.
 */
function spyGit(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const dir = tempDir('lb-spygit-');
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(
    path.join(dir, 'git'),
    `#!/bin/sh\nprintf '%s\\0' "$*" >> '${log}'\nexec '${real}' "$@"\n`,
    {
      mode: 0o755,
    },
  );
  return {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\0')
        .filter((l) => l.length > 0),
  };
}

/** A repo with `n` lane worktrees (`wt<i>` on `lane/<i>` from main); `each` runs per worktree. */
function lanesInRepo(
  n: number,
  each: (wt: string, i: number) => void = () => undefined,
): { repo: string; lanes: LaneConfig[] } {
  const { root, repo } = makeRepo();
  const lanes = Array.from({ length: n }, (_, i) => {
    const wt = path.join(root, `wt${i}`);
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${i}`, wt, 'main');
    each(wt, i);
    return laneConfig({ id: `l${i}`, repo, worktree: wt, branch: `lane/${i}` });
  });
  return { repo, lanes };
}

/** Start a watcher over `lanes` with a logging git; resolves after its first probe. */
async function startSpied(
  lanes: LaneConfig[],
): Promise<{ spy: ReturnType<typeof spyGit>; actions: Action[] }> {
  const spy = spyGit();
  const actions: Action[] = [];
  watcher = createGitWatcher({
    lanes,
    settings: DEFAULT_SETTINGS,
    dispatch: (a) => actions.push(a),
    clock: { now: () => Date.now() },
    env: spy.env,
  });
  await watcher.start();
  return { spy, actions };
}

describe('createGitWatcher start (batched)', () => {
  it('probes 12 lanes with a handful of git processes and the same result as probeLane', async () => {
    const { repo, lanes } = lanesInRepo(12, (wt, i) => {
      if (i % 3 === 0) commitFile(wt, `lane ${i}`, 'lane.txt');
    });
    commitFile(repo, 'main moves', 'main.txt');
    const { spy, actions } = await startSpied(lanes);
    // Statuses in one chain, freshness in four, the committed diff stats of the four lanes
    // with commits of their own in one diff-tree: no per-lane process from Node.
    const calls = spy.calls();
    expect(calls.filter((c) => c.includes('laneboard-batch'))).toHaveLength(1);
    expect(calls.filter((c) => / rev-list | rev-parse /.test(c))).toEqual([]);
    expect(calls.filter((c) => c.includes('diff-tree'))).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(5 + 1);
    const { actions: single } = await expectSameAsSingle(lanes);
    expect(actions.map((a) => ({ ...a, at: 0 }))).toEqual(single.map((a) => ({ ...a, at: 0 })));

    // Later changes are still probed lane by lane.
    commitFile(lanes[1]?.worktree ?? '', 'later', 'later.txt');
    await waitFor(
      () => actions.some((a) => a.type === 'git/ok' && a.laneId === 'l1' && a.info.ahead === 1),
      5_000,
      'lane l1 re-probed after its commit',
    );
  });
});

describe('createGitWatcher refreshes (batched)', () => {
  it('lanes due together are re-probed by one batch, with the same result as probeLane', async () => {
    const { lanes } = lanesInRepo(8);
    const { spy, actions } = await startSpied(lanes);
    const before = spy.calls().length;
    // Agents edit files in every worktree (no git metadata changes): activity refreshes.
    for (const [i, lane] of lanes.entries()) {
      writeFileSync(path.join(lane.worktree, `edit${i}.txt`), 'x\n');
      watcher?.refresh(lane.id);
    }
    await waitFor(
      () =>
        lanes.every((l) =>
          actions.some(
            (a) => a.type === 'git/ok' && a.laneId === l.id && a.info.dirty.untracked === 1,
          ),
        ),
      5_000,
      'every lane re-probed with its new untracked file',
    );
    const later = spy.calls().slice(before);
    // Debounce timers of one burst may fire over two turns: one or two batches, never a
    // probe per lane (8 lanes alone would be 16 processes, with a rev-list each).
    expect(later.filter((c) => c.includes('laneboard-batch')).length).toBeLessThanOrEqual(2);
    expect(later.filter((c) => / rev-list | rev-parse /.test(c))).toEqual([]);
    expect(later.length).toBeLessThanOrEqual(8);
    const last = new Map(actions.map((a) => ['laneId' in a ? a.laneId : '', a] as const));
    const { actions: single } = await expectSameAsSingle(lanes);
    expect(lanes.map((l) => ({ ...last.get(l.id), at: 0 }))).toEqual(
      single.map((a) => ({ ...a, at: 0 })),
    );
  });
});

describe('createGitWatcher start: diff stats after the drawn rows (a board draws)', () => {
  it('with `applied` the dirty lanes come first without diff stats, then with them; without it once', async () => {
    const { lanes } = lanesInRepo(4, (wt, i) => {
      if (i % 2 === 0) writeFileSync(path.join(wt, 'README.md'), `change ${i}\n`);
    });
    const run = async (applied?: () => Promise<void>) => {
      const actions: Action[] = [];
      let gateAt = -1;
      const w = createGitWatcher({
        lanes,
        settings: DEFAULT_SETTINGS,
        dispatch: (a) => actions.push(a),
        clock: { now: () => Date.now() },
        ...(applied
          ? {
              applied: () => {
                gateAt = actions.length;
                return applied();
              },
            }
          : {}),
      });
      watcher = w;
      await w.start();
      await w.dispose();
      watcher = undefined;
      const oks = actions.flatMap((a) => (a.type === 'git/ok' ? [a] : []));
      return { oks, gateAt };
    };
    const one = await run();
    expect(one.oks).toHaveLength(4);
    expect(one.oks.every((a) => a.info.diff !== undefined)).toBe(true);
    const drawn = await run(() => new Promise((r) => setImmediate(r)));
    // Four rows before the gate (the dirty lanes l0 and l2 without diff), then l0 and l2 again.
    expect(drawn.gateAt).toBe(4);
    const firsts = drawn.oks.slice(0, 4);
    expect(
      firsts
        .filter((a) => a.info.diff === undefined)
        .map((a) => a.laneId)
        .sort(),
    ).toEqual(['l0', 'l2']);
    const again = drawn.oks.slice(4);
    expect(again.map((a) => a.laneId).sort()).toEqual(['l0', 'l2']);
    const final = new Map(drawn.oks.map((a) => [a.laneId, a.info.diff]));
    expect(final).toEqual(new Map(one.oks.map((a) => [a.laneId, a.info.diff])));
    expect(final.get('l0')).toEqual({ files: 1, insertions: 1, deletions: 1 });
  });
});
