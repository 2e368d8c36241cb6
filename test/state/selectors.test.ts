/**
 * Pure tier: reducer + selectors over real action sequences (no I/O). Freshness verdicts,
 * test staleness against HEAD, the blocker list (stale branch before blame, supervisor,
 * bridge errors after the grace period, workspace mismatch until cleared), merge
 * readiness, steering delivery and view memoization.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import type { LaneConfig } from '../../src/state/config-types.js';
import { freshnessOf } from '../../src/state/select-git.js';
import { selectCounts, selectLaneView, selectRepoGroups } from '../../src/state/selectors.js';
import { createBoardStore } from '../../src/state/store.js';
import type { GitInfo, WorkerState } from '../../src/state/types.js';

const HEAD = 'c956f78aa0d4e5b1c2d3e4f5a6b7c8d9e0f1a2b3';
const T0 = Date.parse('2026-11-20T10:00:00Z');

function lane(id: string, over: Partial<LaneConfig> = {}): LaneConfig {
  return {
    id,
    repo: '/r/app',
    worktree: `/wt/${id}`,
    branch: `lane/${id}`,
    base: 'main',
    command: ['agent'],
    env: {},
    bridge: `/b/${id}`,
    autostart: true,
    restart: 'on-failure',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
}

function git(over: Partial<GitInfo> = {}): GitInfo {
  return {
    branch: 'lane/a',
    head: HEAD,
    dirty: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 },
    base: 'main',
    ahead: 1,
    behind: 0,
    baseError: null,
    missing: [],
    upstream: null,
    upstreamAhead: null,
    upstreamBehind: null,
    ...over,
  };
}

function worker(over: Partial<WorkerState> = {}): WorkerState {
  return {
    phase: 'running',
    pid: 4242,
    restarts: 0,
    startedAt: T0,
    exitCode: null,
    signal: null,
    nextStartAt: null,
    error: null,
    operatorStopped: false,
    adopted: false,
    ...over,
  };
}

function result(status: 'green' | 'red', commit: string | null, level = 'package'): unknown {
  return {
    schema: 'laneboard.result/1',
    ok: status === 'green',
    finishedAt: '2026-11-20T10:00:00Z',
    tests: { status, level, passed: 4, failed: status === 'red' ? 2 : 0, commit },
  };
}

function finishedState(): unknown {
  return {
    schema: 'laneboard.state/1',
    status: 'finished',
    workspaceRoot: '/wt/a',
    updatedAt: '2026-11-20T10:00:00Z',
  };
}

function boardWith(...lanes: LaneConfig[]) {
  const store = createBoardStore();
  store.dispatch({ type: 'lanes/configured', lanes, settings: DEFAULT_SETTINGS, at: T0 });
  return store;
}

describe('freshness', () => {
  it('follows the bridge contract: behind 0 fresh, behind only stale, both diverged, unknown on null', () => {
    expect(freshnessOf(3, 0)).toBe('fresh');
    expect(freshnessOf(0, 2)).toBe('stale');
    expect(freshnessOf(1, 2)).toBe('diverged');
    expect(freshnessOf(null, 2)).toBe('unknown');
  });

  it('is unknown, never fresh, on a git error even when earlier numbers were fresh', () => {
    const s = boardWith(lane('a'));
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git(), at: T0 });
    expect(selectLaneView(s.getState(), 'a').git.freshness).toBe('fresh');
    s.dispatch({
      type: 'git/error',
      laneId: 'a',
      error: 'git not found',
      code: 'git_missing',
      at: T0 + 1,
    });
    const v = selectLaneView(s.getState(), 'a');
    expect(v.git.freshness).toBe('unknown');
    expect(v.git.ahead).toBe(1);
    expect(v.blockers.map((b) => b.failureClass)).toContain('git_error');
  });
});

describe('tests and merge readiness', () => {
  it('marks a green result for another commit as stale and never merge-ready', () => {
    const s = boardWith(lane('a'));
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git(), at: T0 });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'state',
      file: 'state.json',
      raw: finishedState(),
      at: T0,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'result',
      file: 'result.json',
      raw: result('green', 'deadbee'),
      at: T0,
    });
    const v = selectLaneView(s.getState(), 'a');
    expect(v.tests).toMatchObject({ status: 'green', stale: true, commit: 'deadbee' });
    expect(v.mergeReady).toBe(false);
    expect(v.mergeReasons).toContain('green result is not for the current HEAD');
  });

  it('is merge-ready with a current green at the required level, fresh, clean, finished', () => {
    const s = boardWith(lane('a'));
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git(), at: T0 });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'state',
      file: 'state.json',
      raw: finishedState(),
      at: T0,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'result',
      file: 'result.json',
      raw: result('green', 'c956f78'),
      at: T0,
    });
    const v = selectLaneView(s.getState(), 'a');
    expect(v.tests.stale).toBe(false);
    expect(v.mergeReasons).toEqual([]);
    expect(v.mergeReady).toBe(true);
  });

  it('is not merge-ready below the required green level or when dirty', () => {
    const s = boardWith(lane('a', { requiredLevel: 'workspace' }));
    s.dispatch({
      type: 'git/ok',
      laneId: 'a',
      info: git({ dirty: { staged: 0, unstaged: 2, untracked: 1, conflicted: 0 } }),
      at: T0,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'state',
      file: 'state.json',
      raw: finishedState(),
      at: T0,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'result',
      file: 'result.json',
      raw: result('green', HEAD, 'targeted'),
      at: T0,
    });
    const v = selectLaneView(s.getState(), 'a');
    expect(v.git.dirty).toBe(3);
    expect(v.mergeReasons).toEqual(['green level below workspace', 'worktree dirty']);
  });
});

describe('blockers', () => {
  it('says "red, but N commits behind main: rebase before debugging" for a red lane behind its base', () => {
    const s = boardWith(lane('a'));
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git({ ahead: 0, behind: 3 }), at: T0 });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'result',
      file: 'result.json',
      raw: result('red', HEAD),
      at: T0,
    });
    const b = selectLaneView(s.getState(), 'a').blockers.find(
      (x) => x.failureClass === 'stale_branch',
    );
    expect(b?.detail).toBe('red, but 3 commits behind main: rebase before debugging');
    expect(b?.source.file).toBe('git');
  });

  it('turns a crash loop and a worker that cannot start into blockers with next actions', () => {
    const s = boardWith(lane('a'), lane('b'));
    s.dispatch({
      type: 'worker/updated',
      laneId: 'a',
      worker: worker({ phase: 'crash_loop', pid: null, restarts: 6, exitCode: 1 }),
      at: T0,
    });
    s.dispatch({
      type: 'worker/updated',
      laneId: 'b',
      worker: worker({ phase: 'failed_to_start', pid: null, error: 'command not found: agnt' }),
      at: T0,
    });
    const a = selectLaneView(s.getState(), 'a').blockers[0];
    const b = selectLaneView(s.getState(), 'b').blockers[0];
    expect(a?.failureClass).toBe('crash_loop');
    expect(a?.nextAction).toMatch(/r to restart/);
    expect(b).toMatchObject({
      failureClass: 'worker_error',
      detail: 'worker cannot start: command not found: agnt',
    });
    expect(selectCounts(s.getState()).crashed).toBe(2);
  });

  it('keeps the last good state through an unreadable file and raises bridge_error only after the grace period', () => {
    const s = boardWith(lane('a'));
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'state',
      file: 'state.json',
      raw: { status: 'running', phase: 'p1', updatedAt: T0 / 1000 },
      at: T0,
    });
    s.dispatch({
      type: 'bridge/docError',
      laneId: 'a',
      kind: 'state',
      message: 'not valid JSON',
      at: T0 + 100,
    });
    let v = selectLaneView(s.getState(), 'a');
    expect(v.agent.phase).toBe('p1');
    expect(v.blockers.some((b) => b.failureClass === 'bridge_error')).toBe(false);
    expect(v.problems).toEqual(['state.json: not valid JSON']);
    s.dispatch({ type: 'clock/tick', at: T0 + 5_000 });
    v = selectLaneView(s.getState(), 'a');
    expect(v.agent.phase).toBe('p1');
    expect(v.blockers.find((b) => b.failureClass === 'bridge_error')?.detail).toBe(
      'state.json: not valid JSON',
    );
  });

  it('raises workspace_mismatch for a workspaceRoot outside the worktree until the operator clears it', () => {
    const s = boardWith(lane('a'));
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git(), at: T0 });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'state',
      file: 'state.json',
      raw: { ...(finishedState() as object), workspaceRoot: '/wt/other' },
      at: T0,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'a',
      kind: 'result',
      file: 'result.json',
      raw: result('green', HEAD),
      at: T0,
    });
    let v = selectLaneView(s.getState(), 'a');
    expect(v.blockers[0]?.failureClass).toBe('workspace_mismatch');
    expect(v.mergeReady).toBe(false);
    s.dispatch({ type: 'lane/clearBlockers', laneId: 'a', at: T0 + 10 });
    v = selectLaneView(s.getState(), 'a');
    expect(v.blockers).toEqual([]);
    expect(v.mergeReady).toBe(true);
  });
});

describe('steering delivery', () => {
  it('goes pending → delivered on steer.acknowledged, or not_delivered after the timeout', () => {
    const s = boardWith(lane('a'));
    const msg = (id: string) => ({
      id,
      text: `do ${id}`,
      sentAt: T0,
      via: 'inbox' as const,
      state: 'pending' as const,
      error: null,
      ackAt: null,
    });
    s.dispatch({ type: 'steer/sent', laneId: 'a', message: msg('m1'), at: T0 });
    s.dispatch({ type: 'steer/sent', laneId: 'a', message: msg('m2'), at: T0 });
    expect(selectLaneView(s.getState(), 'a').steering.map((m) => m.delivery)).toEqual([
      'pending',
      'pending',
    ]);
    s.dispatch({
      type: 'bridge/events',
      laneId: 'a',
      lines: [
        {
          ok: true,
          line: 1,
          file: 'events.jsonl',
          value: {
            event: 'steer.acknowledged',
            emittedAt: '2026-11-20T10:00:01Z',
            data: { id: 'm1' },
          },
        },
      ],
      at: T0 + 1_000,
    });
    s.dispatch({ type: 'clock/tick', at: T0 + DEFAULT_SETTINGS.steerTimeoutMs + 1 });
    const v = selectLaneView(s.getState(), 'a');
    expect(v.steering.map((m) => m.delivery)).toEqual(['delivered', 'not_delivered']);
    expect(v.blockers.find((b) => b.failureClass === 'steer_undelivered')?.detail).toContain(
      'do m2',
    );
  });
});

describe('memoization and grouping', () => {
  it('returns the same view object until that lane or the clock changes', () => {
    const s = boardWith(lane('a'), lane('b'));
    const a1 = selectLaneView(s.getState(), 'a');
    s.dispatch({ type: 'git/ok', laneId: 'b', info: git(), at: T0 });
    expect(selectLaneView(s.getState(), 'a')).toBe(a1);
    s.dispatch({ type: 'git/ok', laneId: 'a', info: git(), at: T0 });
    expect(selectLaneView(s.getState(), 'a')).not.toBe(a1);
  });

  it('groups lanes by repo in lanes.yaml order with a stable reference', () => {
    const s = boardWith(lane('a'), lane('b', { repo: '/r/lib' }), lane('c'));
    const g = selectRepoGroups(s.getState());
    expect(g).toEqual([
      { repo: '/r/app', laneIds: ['a', 'c'] },
      { repo: '/r/lib', laneIds: ['b'] },
    ]);
    s.dispatch({ type: 'clock/tick', at: T0 + 1 });
    expect(selectRepoGroups(s.getState())).toBe(g);
  });

  it('ignores actions for unknown lanes without changing the state', () => {
    const s = boardWith(lane('a'));
    const before = s.getState();
    s.dispatch({ type: 'git/ok', laneId: 'zzz', info: git(), at: T0 });
    expect(s.getState()).toBe(before);
  });
});
