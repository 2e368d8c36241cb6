import { describe, expect, it } from 'vitest';
import {
  EMPTY_FOLD,
  foldEvent,
  normalizeEvent,
  RECENT_LIMIT,
} from '../../../src/state/dialects/index.js';
import type { EventFold, LaneEvent } from '../../../src/state/types.js';

const ctx = { worktreePaths: ['/wt/a'] };

function ev(raw: Record<string, unknown>, line = 1, at = 100): LaneEvent {
  const e = normalizeEvent(raw, { file: 'events.jsonl', line, at, dialect: 'auto' });
  if ('error' in e) throw new Error(e.error);
  return e;
}

function run(lines: Record<string, unknown>[]): EventFold {
  return lines.reduce<EventFold>((f, raw, i) => foldEvent(f, ev(raw, i + 1), ctx), EMPTY_FOLD);
}

/** Deep-freeze so any mutation inside foldEvent throws in strict mode. */
function freeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) freeze(v);
  }
  return x;
}

describe('foldEvent', () => {
  it('keeps a ring of the last 50 events, counts all, never mutates its input', () => {
    let fold = EMPTY_FOLD;
    for (let i = 1; i <= 120; i++) {
      const next = foldEvent(
        freeze(fold),
        freeze(ev({ event: 'lane.commit.created', data: { n: i } }, i)),
        ctx,
      );
      expect(next).not.toBe(fold);
      fold = next;
    }
    expect(RECENT_LIMIT).toBe(50);
    expect(fold.count).toBe(120);
    expect(fold.recent).toHaveLength(50);
    expect(fold.recent[0]?.source.line).toBe(71);
    expect(fold.recent[49]?.source.line).toBe(120);
    expect(EMPTY_FOLD).toEqual({
      agent: null,
      blockers: {},
      tests: null,
      acked: [],
      recent: [],
      lastMeaningful: null,
      count: 0,
    });
  });

  it('steer.acknowledged pushes data.id onto acked (once)', () => {
    const f = run([
      { event: 'steer.acknowledged', data: { id: 'm-1' } },
      { event: 'steer.acknowledged', data: { id: 'm-2' } },
      { event: 'steer.acknowledged', data: { id: 'm-1' } },
      { event: 'steer.acknowledged', data: { id: { nested: true } } },
      { event: 'steer.acknowledged' },
    ]);
    expect(f.acked).toEqual(['m-1', 'm-2']);
    expect(f.count).toBe(5);
    expect(f.lastMeaningful?.name).toBe('steer.acknowledged');
    expect(f.recent[0]?.dialect).toBe('native');
  });

  it('lane.red / lane.green set tests; green clears test and compile blockers only', () => {
    const red = run([
      { event: 'lane.failed', status: 'failed', failureClass: 'compile', detail: 'E0308' },
      { event: 'lane.blocked', status: 'blocked', failureClass: 'tool_runtime', detail: 'x' },
      {
        event: 'lane.red',
        status: 'red',
        emittedAt: '1775261000',
        data: { failed: 2, passed: 40, level: 'package', commit: 'abc' },
      },
    ]);
    expect(red.tests).toMatchObject({
      status: 'red',
      failed: 2,
      passed: 40,
      level: 'package',
      commit: 'abc',
    });
    expect(red.tests?.source.at).toBe(1775261000_000);
    const green = foldEvent(
      red,
      ev({ event: 'lane.green', status: 'green', data: { greenLevel: 'targeted' } }, 4),
      ctx,
    );
    expect(green.tests).toMatchObject({ status: 'green', level: 'targeted_tests', failed: null });
    expect(Object.keys(green.blockers)).toEqual(['tool_runtime']);
  });

  it('lane.started / lane.ready clear agent-state blockers but not code or sticky ones', () => {
    const f = run([
      { event: 'lane.blocked', status: 'blocked', failureClass: 'trust_gate', detail: 'trust' },
      { event: 'lane.failed', status: 'failed', failureClass: 'test', detail: '1 failing' },
      { event: 'branch.workspace_mismatch', status: 'blocked', data: {} },
      { event: 'lane.prompt_misdelivery', status: 'blocked' },
      { event: 'lane.ready', status: 'ready' },
    ]);
    expect(Object.keys(f.blockers).sort()).toEqual(['test', 'workspace_mismatch']);
    expect(f.agent).toMatchObject({ status: 'ready', kind: 'ready' });
    expect(f.blockers.workspace_mismatch?.detail).toBe('session workspace mismatch');
  });

  it('lane.blocked without failureClass takes the class from the subphase; unknown subphases render compactly', () => {
    const f = run([
      {
        event: 'lane.blocked',
        status: 'blocked',
        data: { 'blocked.trust_prompt': { gate_repo: '/r' } },
      },
    ]);
    expect(f.blockers.trust_gate?.detail).toBe('trust prompt waiting: /r');
    const g = run([
      {
        event: 'lane.blocked',
        status: 'blocked',
        data: { subphase: { 'blocked.test_hang': { elapsed_secs: 300, test_name: 'it hangs' } } },
      },
    ]);
    expect(g.blockers.test?.detail).toBe('tests hanging for 5m 0s: it hangs');
    const h = run([
      {
        event: 'lane.blocked',
        status: 'blocked',
        detail: 'd',
        data: { 'blocked.warp_core': { temp: 9000 } },
      },
    ]);
    expect(h.blockers.blocked?.detail).toBe('blocked at warp_core {"temp":9000} — d');
    const i = run([{ event: 'lane.blocked' }]);
    expect(i.blockers.blocked).toMatchObject({ detail: 'blocked' });
  });

  it('all terminal names finish the lane', () => {
    for (const name of [
      'lane.finished',
      'lane.merged',
      'lane.closed',
      'lane.superseded',
      'lane.reconciled',
    ]) {
      const f = run([{ event: 'lane.blocked', failureClass: 'infra' }, { event: name }]);
      expect(f.agent?.kind).toBe('finished');
      expect(f.blockers).toEqual({});
    }
  });

  it('unknown events and statuses are kept verbatim; an unknown blocking event raises its class', () => {
    const f = run([
      { event: 'ship.prepared', status: 'shipping', data: { a: 1 } },
      {
        event: 'lane.teleported',
        status: 'blocked',
        failureClass: 'quantum',
        detail: 'stuck between worlds',
      },
    ]);
    expect(f.recent.map((e) => `${e.name}/${e.status ?? ''}`)).toEqual([
      'ship.prepared/shipping',
      'lane.teleported/blocked',
    ]);
    expect(f.blockers.quantum).toMatchObject({
      failureClass: 'quantum',
      detail: 'stuck between worlds',
    });
    expect(f.agent).toBeNull();
  });

  it('branch.stale_against_main lists at most 5 missing commits and falls back to defaults', () => {
    const missingCommits = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const f = run([
      {
        event: 'branch.stale_against_main',
        data: { commitsBehind: 8, commitsAhead: 2, mainRef: 'origin/main', missingCommits },
      },
    ]);
    expect(f.blockers.branch_divergence).toMatchObject({
      detail: 'behind origin/main by 8, ahead by 2 (missing: c0; c1; c2; c3; c4, +3 more)',
      nextAction: 'merge or rebase origin/main into the branch, then rerun the tests',
    });
  });
});
