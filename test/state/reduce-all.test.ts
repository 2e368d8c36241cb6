/**
 * reduceAll (the store's batch path) ≡ folding reduce over the same actions: the fast
 * path (one copy of the lane map per run of lane actions) is checked against the plain
 * one on a mixed sequence, including unknown lanes, no-op actions and non-lane actions
 * between lane runs.
 */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/state/actions.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import type { LaneConfig } from '../../src/state/config-types.js';
import { initialBoardState, reduce, reduceAll } from '../../src/state/reducer.js';
import type { GitInfo } from '../../src/state/types.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');

function lane(id: string): LaneConfig {
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
  };
}

function git(branch: string): GitInfo {
  return {
    branch,
    head: 'c956f78aa0d4e5b1c2d3e4f5a6b7c8d9e0f1a2b3',
    dirty: { staged: 0, unstaged: 1, untracked: 0, conflicted: 0 },
    base: 'main',
    ahead: 1,
    behind: 0,
    baseError: null,
    missing: [],
    upstream: null,
    upstreamAhead: null,
    upstreamBehind: null,
  };
}

const state = (id: string, status: string, at: number): Action => ({
  type: 'bridge/doc',
  laneId: id,
  kind: 'state',
  file: 'state.json',
  raw: { schema: 'laneboard.state/1', status, updatedAt: new Date(at).toISOString() },
  at,
});

describe('reduceAll', () => {
  it('equals folding reduce over the same actions', () => {
    const lanes = ['a', 'b', 'c'].map(lane);
    const actions: Action[] = [
      { type: 'lanes/configured', lanes, settings: DEFAULT_SETTINGS, at: T0 },
      state('a', 'running', T0 + 1),
      { type: 'git/ok', laneId: 'b', info: git('lane/b'), at: T0 + 2 },
      { type: 'git/ok', laneId: 'nope', info: git('lane/x'), at: T0 + 2 },
      { type: 'clock/tick', at: T0 + 3 },
      state('a', 'finished', T0 + 4),
      { type: 'git/error', laneId: 'b', error: 'boom', code: 'timeout', at: T0 + 5 },
      { type: 'lane/mute', laneId: 'c', muted: false, at: T0 + 5 },
      { type: 'lane/mute', laneId: 'c', muted: true, at: T0 + 6 },
      { type: 'board/notice', message: 'hello', at: T0 + 7 },
      state('c', 'running', T0 + 8),
    ];
    const plain = actions.reduce(reduce, initialBoardState());
    const before = initialBoardState();
    const fast = reduceAll(before, actions);
    expect(fast).toEqual(plain);
    // The input state is never mutated.
    expect(before).toEqual(initialBoardState(before.now));
  });

  it('returns the same state when nothing changed', () => {
    const s = reduce(initialBoardState(), {
      type: 'lanes/configured',
      lanes: [lane('a')],
      settings: DEFAULT_SETTINGS,
      at: T0,
    });
    const noop: Action[] = [
      { type: 'lane/mute', laneId: 'a', muted: false, at: T0 },
      { type: 'git/ok', laneId: 'missing', info: git('x'), at: T0 },
      { type: 'clock/tick', at: s.now },
    ];
    expect(reduceAll(s, noop)).toBe(s);
  });

  it('leaves earlier states untouched while it folds', () => {
    const s = reduce(initialBoardState(), {
      type: 'lanes/configured',
      lanes: [lane('a'), lane('b')],
      settings: DEFAULT_SETTINGS,
      at: T0,
    });
    const lanesBefore = s.lanes;
    const aBefore = s.lanes.a;
    const next = reduceAll(s, [state('a', 'running', T0 + 1), state('b', 'idle', T0 + 2)]);
    expect(s.lanes).toBe(lanesBefore);
    expect(s.lanes.a).toBe(aBefore);
    expect(next.lanes).not.toBe(lanesBefore);
    expect(next.lanes.a).not.toBe(aBefore);
  });
});
