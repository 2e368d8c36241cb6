import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeLanes } from '../../../src/runtime/git/batch-probe.js';
import { parseShortstat } from '../../../src/runtime/git/diff-stat.js';
import { probeLane } from '../../../src/runtime/git/probe.js';
import type { Action } from '../../../src/state/actions.js';
import type { DiffStat } from '../../../src/state/types.js';
import { expectSameAsSingle } from '../../helpers/git-batch-fixtures.js';
import {
  cleanupTempDirs,
  commitFile,
  git,
  laneConfig,
  makeRepo,
} from '../../helpers/git-fixtures.js';

const opts = { timeoutMs: 10_000, at: () => 1 };

/** What git itself says: `git diff --shortstat $(git merge-base main HEAD)` in `wt`. */
function gitSays(wt: string): DiffStat | null {
  const mb = git(wt, 'merge-base', 'main', 'HEAD');
  return parseShortstat(git(wt, 'diff', '--shortstat', mb));
}

function diffOf(a: Action | undefined): DiffStat | null | undefined {
  if (a?.type !== 'git/ok') throw new Error(`expected git/ok, got ${JSON.stringify(a)}`);
  return a.info.diff;
}

/** One repository with lanes of every diff shape. */
function diffRepo() {
  const { root, repo } = makeRepo();
  commitFile(repo, 'base file', 'base.txt', 'one\ntwo\nthree\n');
  const add = (id: string, from = 'main') => {
    const wt = path.join(root, `wt-${id}`);
    git(repo, 'worktree', 'add', '-q', '-b', `lane/${id}`, wt, from);
    return { wt, lane: laneConfig({ id, repo, worktree: wt }) };
  };
  // Ahead with commits, plus uncommitted tracked changes and an untracked file (not counted).
  const work = add('work');
  commitFile(work.wt, 'lane change', 'base.txt', 'one\nTWO\nthree\nfour\n');
  commitFile(work.wt, 'new file', 'new.txt', 'a\nb\n');
  appendFileSync(path.join(work.wt, 'new.txt'), 'c\n');
  writeFileSync(path.join(work.wt, 'untracked.txt'), 'x\ny\n');
  // Only uncommitted changes (ahead 0): staged and unstaged both count.
  const dirty = add('dirty');
  writeFileSync(path.join(dirty.wt, 'base.txt'), 'one\n');
  writeFileSync(path.join(dirty.wt, 'staged.txt'), 's\n');
  git(dirty.wt, 'add', 'staged.txt');
  // Behind its base, nothing of its own: no diff of its own however far main moves.
  const behind = add('behind');
  // Behind its base with uncommitted tracked changes: only those count (merge base = HEAD).
  const behindDirty = add('behind-dirty');
  writeFileSync(path.join(behindDirty.wt, 'base.txt'), 'one\ntwo\nthree\nfour\n');
  // Diverged: its own commit counts against the merge base, main's later commits do not.
  const diverged = add('diverged');
  commitFile(diverged.wt, 'own', 'own.txt', '1\n2\n3\n');
  commitFile(repo, 'main moves', 'main.txt', 'm\nm\nm\nm\n');
  commitFile(repo, 'main moves again', 'base.txt', 'zero\n');
  // A base that does not exist: no merge base, diff unknown.
  const nobase = add('nobase');
  commitFile(nobase.wt, 'something', 'n.txt');
  const nobaseLane = { ...nobase.lane, base: 'no-such-branch' };
  const nb = { ...nobase, lane: nobaseLane };
  return { repo, work, dirty, behind, behindDirty, diverged, nobase: nb };
}

describe('diff stats (git.diff)', () => {
  let r: ReturnType<typeof diffRepo>;
  beforeAll(() => {
    r = diffRepo();
  });
  afterAll(() => cleanupTempDirs());

  it('parses shortstat output, empty output being no change', () => {
    expect(parseShortstat('')).toEqual({ files: 0, insertions: 0, deletions: 0 });
    expect(parseShortstat(' 1 file changed, 1 insertion(+)\n')).toEqual({
      files: 1,
      insertions: 1,
      deletions: 0,
    });
    expect(parseShortstat(' 2 files changed, 3 deletions(-)')).toEqual({
      files: 2,
      insertions: 0,
      deletions: 3,
    });
    expect(parseShortstat(' 3 files changed, 10 insertions(+), 2 deletions(-)')).toEqual({
      files: 3,
      insertions: 10,
      deletions: 2,
    });
    expect(parseShortstat('fatal: nonsense')).toBeNull();
  });

  it('counts committed and uncommitted tracked changes against the merge base, as git does', async () => {
    const work = diffOf(await probeLane(r.work.lane, opts));
    // base.txt: TWO replaces two, four added; new.txt: a b c (c uncommitted); untracked.txt not counted.
    expect(work).toEqual({ files: 2, insertions: 5, deletions: 1 });
    expect(work).toEqual(gitSays(r.work.wt));
    const dirty = diffOf(await probeLane(r.dirty.lane, opts));
    expect(dirty).toEqual({ files: 2, insertions: 1, deletions: 2 });
    expect(dirty).toEqual(gitSays(r.dirty.wt));
  });

  it('a lane behind its base has no diff of its own; a diverged one only its own commits', async () => {
    const behind = await probeLane(r.behind.lane, opts);
    expect(behind).toMatchObject({ type: 'git/ok', info: { ahead: 0, behind: 2 } });
    expect(diffOf(behind)).toEqual({ files: 0, insertions: 0, deletions: 0 });
    expect(gitSays(r.behind.wt)).toEqual({ files: 0, insertions: 0, deletions: 0 });
    const diverged = diffOf(await probeLane(r.diverged.lane, opts));
    expect(diverged).toEqual({ files: 1, insertions: 3, deletions: 0 });
    expect(diverged).toEqual(gitSays(r.diverged.wt));
  });

  it('is unknown (null) when the base ref does not exist', async () => {
    expect(diffOf(await probeLane(r.nobase.lane, opts))).toBeNull();
  });

  it('the batch computes the same diff stats, and follows new changes', async () => {
    const lanes = [r.work, r.dirty, r.behind, r.diverged, r.nobase, r.behindDirty].map(
      (x) => x.lane,
    );
    const first = await expectSameAsSingle(lanes);
    expect(diffOf(first.actions[0])).toEqual({ files: 2, insertions: 5, deletions: 1 });
    expect(first.actions[5]).toMatchObject({ info: { ahead: 0, behind: 2 } });
    expect(diffOf(first.actions[5])).toEqual({ files: 1, insertions: 1, deletions: 0 });
    expect(diffOf(first.actions[5])).toEqual(gitSays(r.behindDirty.wt));
    // A commit on the clean diverged lane changes its cached stats; a deletion on the dirty one too.
    commitFile(r.diverged.wt, 'own 2', 'own2.txt', 'x\n');
    rmSync(path.join(r.dirty.wt, 'staged.txt'));
    const again = await probeLanes(lanes, opts);
    expect(diffOf(again.actions[3])).toEqual({ files: 2, insertions: 4, deletions: 0 });
    expect(diffOf(again.actions[1])).toEqual(gitSays(r.dirty.wt));
  });

  it('diffsAfter (a board\u2019s first read): every row first, then the dirty lanes\u2019 diffs from git, after all statuses', async () => {
    const lanes = [r.work, r.dirty, r.behind, r.diverged, r.nobase, r.behindDirty].map(
      (x) => x.lane,
    );
    const together = await probeLanes(lanes, { ...opts, chunkSize: 2 });
    const seen: { id: string; diff: DiffStat | null | undefined; hasDiff: boolean }[] = [];
    let firstsAtGate = -1;
    const later = await probeLanes(
      lanes,
      {
        ...opts,
        chunkSize: 2,
        // The diffs wait for this: every lane's first report is in by then.
        diffsAfter: () => {
          firstsAtGate = seen.length;
          return Promise.resolve();
        },
      },
      (actions) => {
        for (const a of actions) {
          if (a.type === 'git/ok')
            seen.push({ id: a.laneId, diff: a.info.diff, hasDiff: 'diff' in a.info });
        }
      },
    );
    // The final actions are those of the one-chain probe.
    expect(later.actions).toEqual(together.actions);
    // Lanes with uncommitted tracked changes (work, dirty, behind-dirty) come twice: first
    // without diff, and only after every lane's first report; the others once, with it.
    expect(firstsAtGate).toBe(lanes.length);
    const firsts = seen.slice(0, lanes.length);
    expect(firsts.map((x) => x.id).sort()).toEqual(lanes.map((l) => l.id).sort());
    const pending = firsts.filter((x) => !x.hasDiff).map((x) => x.id);
    expect(pending.sort()).toEqual(['behind-dirty', 'dirty', 'work']);
    const follow = seen.slice(lanes.length);
    expect(follow.map((x) => x.id).sort()).toEqual(pending);
    for (const x of follow) {
      const wt = [r.work, r.dirty, r.behindDirty].find((y) => y.lane.id === x.id)?.wt ?? '';
      expect(x.diff).toEqual(gitSays(wt));
    }
    // Status chains (3 chunks of 2), diff chains (the 3 dirty lanes in one), and the
    // repository's freshness processes; nothing probed alone.
    expect(later.stats.fallbackLanes).toBe(0);
    expect(later.stats.batchSpawns).toBe(together.stats.batchSpawns + 1);
  });

  it('diff stats off (settings.diff_stats: false): diff unknown, no git spawned for it', async () => {
    const lanes = [r.work, r.dirty, r.behind, r.diverged].map((x) => x.lane);
    const trace = path.join(r.repo, '..', 'git-trace.log');
    /** git commands run by a probe (GIT_TRACE lines naming a built-in). */
    const traced = async (diffStats: boolean) => {
      rmSync(trace, { force: true });
      const env = { ...process.env, GIT_TRACE: trace };
      const res = await probeLanes(lanes, { ...opts, env, diffStats });
      const single = await probeLane(r.work.lane, { ...opts, env, diffStats });
      let log = '';
      try {
        log = readFileSync(trace, 'utf8');
      } catch {
        // no git ran
      }
      return { res, single, diffs: log.split('\n').filter((l) => /built-in: git diff/.test(l)) };
    };
    const off = await traced(false);
    expect(off.res.actions.map((a) => (a.type === 'git/ok' ? a.info.diff : 'error'))).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(diffOf(off.single)).toBeNull();
    expect(off.diffs).toEqual([]);
    // With them on, the dirty lanes run git diff (the control: the trace does see them).
    const on = await traced(true);
    expect(on.diffs.length).toBeGreaterThan(0);
    // The rest of the git facts are the same.
    const facts = (x: typeof on.res) =>
      x.actions.map((a) => (a.type === 'git/ok' ? { ...a.info, diff: null } : a));
    expect(facts(off.res)).toEqual(facts(on.res));
  });
});
