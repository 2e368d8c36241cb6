import { describe, expect, it } from 'vitest';
import {
  agentBlockers,
  normalizeResultDoc,
  normalizeStateDoc,
} from '../../../src/state/dialects/index.js';

const ctx = { file: 'state.json', at: 7, dialect: 'auto' as const };

/** The bridge contract's native state.json example. */
const NATIVE_STATE = {
  schema: 'laneboard.state/1',
  status: 'running',
  phase: 'implementing retry policy',
  sessionId: 'sess-8f2c',
  workspaceRoot: '/home/dev/wt/auth-refactor',
  branch: 'lane/auth-refactor',
  headCommit: 'c956f78',
  blocker: {
    failureClass: 'rate_limit',
    detail: 'usage limit reached',
    since: '2026-11-20T10:14:00Z',
    resetAt: '2026-11-20T11:00:00Z',
    nextAction: 'wait for reset, then resume the same session',
  },
  checkpoint: { at: '2026-11-20T10:13:40Z', summary: 'tests for backoff added' },
  pid: 4242,
  updatedAt: '2026-11-20T10:15:01Z',
  future: { x: 1 },
};

/** The bridge contract's native result.json example. */
const NATIVE_RESULT = {
  schema: 'laneboard.result/1',
  ok: false,
  finishedAt: '2026-11-20T10:30:12Z',
  summary: 'Summary:\n- Current work: retry policy\n- 2 tests fail in backoff.test.ts',
  tests: {
    status: 'red',
    level: 'package',
    passed: 41,
    failed: 2,
    skipped: 0,
    command: 'npm test -- src/retry',
    exitCode: 1,
    commit: 'c956f78',
  },
  failureClass: 'test',
  detail: 'backoff.test.ts: expected 2000, got 1000',
  commit: { commit: 'c956f78', branch: 'lane/auth-refactor' },
};

describe('native state.json', () => {
  it('normalizes the contract example', () => {
    const rep = normalizeStateDoc(NATIVE_STATE, ctx);
    if ('error' in rep) throw new Error(rep.error);
    expect(rep).toMatchObject({
      dialect: 'native',
      status: 'running',
      kind: 'running',
      phase: 'implementing retry policy',
      sessionId: 'sess-8f2c',
      workspaceRoot: '/home/dev/wt/auth-refactor',
      heartbeatAt: Date.UTC(2026, 10, 20, 10, 15, 1),
      blocker: {
        failureClass: 'rate_limit',
        detail: 'usage limit reached',
        since: Date.UTC(2026, 10, 20, 10, 14),
        resetAt: Date.UTC(2026, 10, 20, 11),
        nextAction: 'wait for reset, then resume the same session',
        source: { file: 'state.json', at: 7 },
      },
    });
    expect(rep.notes).toMatchObject({
      checkpoint: 'tests for backoff added',
      checkpointAt: '2026-11-20T10:13:40.000Z',
      branch: 'lane/auth-refactor',
      headCommit: 'c956f78',
      pid: '4242',
    });
    expect(rep.extras).toEqual({ future: { x: 1 } });
    // native blocker is given as is (no live countdown rewrite)
    expect(agentBlockers(rep, Date.UTC(2026, 10, 20, 10, 30))).toEqual([rep.blocker]);
  });

  it('status vocabulary → kind; unknown statuses kept verbatim', () => {
    const kinds = Object.fromEntries(
      [
        'spawning',
        'trust_required',
        'tool_permission_required',
        'ready_for_prompt',
        'idle',
        'running',
        'blocked',
        'finished',
        'completed',
        'failed',
        'dancing',
      ].map((status) => {
        const rep = normalizeStateDoc({ schema: 'laneboard.state/1', status }, ctx);
        return [status, 'error' in rep ? rep.error : `${rep.status}/${rep.kind}`];
      }),
    );
    expect(kinds).toEqual({
      spawning: 'spawning/starting',
      trust_required: 'trust_required/blocked',
      tool_permission_required: 'tool_permission_required/blocked',
      ready_for_prompt: 'ready_for_prompt/ready',
      idle: 'idle/idle',
      running: 'running/running',
      blocked: 'blocked/blocked',
      finished: 'finished/finished',
      completed: 'completed/finished',
      failed: 'failed/failed',
      dancing: 'dancing/unknown',
    });
  });

  it('tool_permission_required without a blocker ⇒ permission blocker', () => {
    const rep = normalizeStateDoc(
      { status: 'tool_permission_required', phase: 'Bash: rm -rf dist', updatedAt: 1000 },
      ctx,
    );
    if ('error' in rep) throw new Error(rep.error);
    expect(agentBlockers(rep, 5_000_000)).toEqual([
      {
        failureClass: 'permission',
        detail: 'Bash: rm -rf dist',
        nextAction: "approve or deny the pending tool request in the agent's session",
        source: { file: 'state.json', at: 7 },
        since: 1_000_000,
      },
    ]);
  });

  it('a blocker with an unknown class keeps it verbatim with a generic next action', () => {
    const rep = normalizeStateDoc(
      { status: 'blocked', updatedAt: 1, blocker: { failureClass: 'quantum_flux', detail: 'x' } },
      ctx,
    );
    if ('error' in rep) throw new Error(rep.error);
    expect(rep.blocker?.failureClass).toBe('quantum_flux');
    expect(rep.blocker?.nextAction).toMatch(/inspect/);
  });
});

describe('native result.json', () => {
  it('normalizes the contract example', () => {
    const res = normalizeResultDoc(NATIVE_RESULT, { file: 'result.json', at: 3, dialect: 'auto' });
    expect(res).toEqual({
      dialect: 'native',
      ok: false,
      finishedAt: Date.UTC(2026, 10, 20, 10, 30, 12),
      summary: NATIVE_RESULT.summary,
      tests: {
        status: 'red',
        level: 'package',
        passed: 41,
        failed: 2,
        skipped: 0,
        command: 'npm test -- src/retry',
        exitCode: 1,
        commit: 'c956f78',
        source: { file: 'result.json', at: 3 },
      },
      failureClass: 'test',
      detail: 'backoff.test.ts: expected 2000, got 1000',
      commit: 'c956f78',
      sessionId: null,
      extras: { 'commit.branch': 'lane/auth-refactor' },
      source: { file: 'result.json', at: 3 },
    });
  });

  it("accepts pi-crew's targeted level and a plain commit string", () => {
    const res = normalizeResultDoc(
      { ok: true, tests: { status: 'green', level: 'targeted' }, commit: 'abc' },
      { file: 'r', at: 1, dialect: 'auto' },
    );
    if ('error' in res) throw new Error(res.error);
    expect(res.tests).toMatchObject({ status: 'green', level: 'targeted_tests' });
    expect(res.commit).toBe('abc');
  });

  it('unknown test status is kept verbatim in extras; failed > 0 without status is red', () => {
    const a = normalizeResultDoc(
      { ok: false, tests: { status: 'flaky', level: 'galaxy' } },
      { file: 'r', at: 1, dialect: 'auto' },
    );
    if ('error' in a) throw new Error(a.error);
    expect(a.tests).toMatchObject({ status: 'unknown', level: 'galaxy' });
    expect(a.extras['tests.status']).toBe('flaky');
    const b = normalizeResultDoc({ tests: { failed: '3' } }, { file: 'r', at: 1, dialect: 'auto' });
    expect('error' in b ? null : b.tests).toMatchObject({ status: 'red', failed: 3 });
  });
});
