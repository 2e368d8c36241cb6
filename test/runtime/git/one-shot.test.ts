/**
 * The `--json` probe path (probeLanes with `oneShot`: large chains, status into files,
 * src/runtime/git/lane-batch.ts) against the plain git commands a user would type in each
 * worktree, on a real repository with clean, dirty (unstaged, staged, both, untracked
 * only, conflicted), ahead, behind and diverged lanes. The expected values are read with
 * porcelain v1 and rev-list here, not with the probe's parsers.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeLanes } from '../../../src/runtime/git/batch-probe.js';
import type { LaneConfig } from '../../../src/state/config-types.js';
import * as fx from '../../helpers/git-fixtures.js';

const { commitFile, git } = fx;

afterEach(() => fx.cleanupTempDirs());

/** What plain git says in `wt` about the fields the probe reports. */
function plain(wt: string) {
  const z = git(wt, 'status', '--porcelain=v1', '-z', '--untracked-files=normal');
  const dirty = { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 };
  const recs = z.split('\0');
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i] ?? '';
    if (r.length < 3) continue;
    const xy = r.slice(0, 2);
    if (xy === '??') dirty.untracked++;
    else if (/^(DD|AU|UD|UA|DU|AA|UU)$/.test(xy)) dirty.conflicted++;
    else {
      if (xy[0] !== ' ') dirty.staged++;
      if (xy[1] !== ' ') dirty.unstaged++;
    }
    if (xy[0] === 'R' || xy[0] === 'C') i++; // the original path follows
  }
  const [behind, ahead] = git(wt, 'rev-list', '--left-right', '--count', 'main...HEAD')
    .split(/\s+/)
    .map(Number);
  const stat = git(wt, 'diff', '--shortstat', '--merge-base', 'main');
  const n = (re: RegExp) => Number(re.exec(stat)?.[1] ?? 0);
  return {
    head: git(wt, 'rev-parse', 'HEAD'),
    branch: git(wt, 'symbolic-ref', '--short', 'HEAD'),
    ahead,
    behind,
    dirty,
    diff: {
      files: n(/(\d+) files? changed/),
      insertions: n(/(\d+) insertions?/),
      deletions: n(/(\d+) deletions?/),
    },
  };
}

describe('probeLanes oneShot (laneboard --json)', () => {
  it('reports what plain git commands report in every worktree', async () => {
    const { repo, root } = fx.makeRepo();
    const base = git(repo, 'rev-parse', 'HEAD');
    commitFile(repo, 'main 2', 'main2.txt');
    const lanes: LaneConfig[] = [];
    const add = (name: string, start: string) => {
      const wt = path.join(root, name);
      git(repo, 'worktree', 'add', '-q', '-b', `lane/${name}`, wt, start);
      lanes.push(fx.laneConfig({ id: name, repo, worktree: wt, branch: `lane/${name}` }));
      return wt;
    };
    add('clean', 'main');
    const behind = add('behind', base);
    appendFileSync(path.join(behind, 'README.md'), 'behind and dirty\n');
    const ahead = add('ahead', 'main');
    commitFile(ahead, 'own work', 'own.txt');
    const diverged = add('diverged', base);
    commitFile(diverged, 'old work', 'old.txt');
    appendFileSync(path.join(diverged, 'old.txt'), 'more\nand more\n');
    const unstaged = add('unstaged', 'main');
    appendFileSync(path.join(unstaged, 'README.md'), 'x\n');
    const staged = add('staged', 'main');
    writeFileSync(path.join(staged, 'new.txt'), 'n\n');
    git(staged, 'add', 'new.txt');
    appendFileSync(path.join(staged, 'new.txt'), 'then unstaged\n');
    git(staged, 'mv', 'main2.txt', 'renamed.txt');
    const untracked = add('untracked', 'main');
    writeFileSync(path.join(untracked, 'u.txt'), 'u\n');
    const conflicted = add('conflicted', 'main');
    commitFile(conflicted, 'ours', 'main2.txt');
    git(repo, 'branch', 'theirs', 'main');
    commitFile(repo, 'theirs', 'main2.txt');
    try {
      git(conflicted, 'merge', '-q', 'main');
    } catch {
      /* the conflict is the point */
    }
    // oneShot chains hold at least 25 worktrees: these eight lanes are one chain.
    const r = await probeLanes(lanes, { timeoutMs: 10_000, at: () => 1, oneShot: true });
    expect(r.stats.fallbackLanes).toBe(0);
    for (const [i, lane] of lanes.entries()) {
      const a = r.actions[i];
      expect(a?.type, lane.id).toBe('git/ok');
      if (a?.type !== 'git/ok') continue;
      const { head, branch, ahead: up, behind: down, dirty, diff } = a.info;
      expect({ lane: lane.id, head, branch, ahead: up, behind: down, dirty, diff }).toEqual({
        lane: lane.id,
        ...plain(lane.worktree),
      });
    }
    // The set covers each shape (a guard against a fixture that stopped making one).
    const info = (id: string) => {
      const a = r.actions[lanes.findIndex((l) => l.id === id)];
      return a?.type === 'git/ok' ? a.info : null;
    };
    expect(info('clean')?.dirty).toEqual({ staged: 0, unstaged: 0, untracked: 0, conflicted: 0 });
    expect(info('diverged')).toMatchObject({ ahead: 1, behind: 2 });
    expect(info('staged')?.dirty).toMatchObject({ staged: 2, unstaged: 1 });
    expect(info('conflicted')?.dirty.conflicted).toBe(1);
    expect(info('untracked')?.dirty.untracked).toBe(1);
  });
});
