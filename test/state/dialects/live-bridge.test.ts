import { describe, expect, it } from 'vitest';
import {
  agentBlockers,
  normalizeResultDoc,
  normalizeStateDoc,
} from '../../../src/state/dialects/index.js';
import type { AgentReport } from '../../../src/state/types.js';
import { readFixtureJson } from '../../helpers/dialect-fixtures.js';

const UPDATED = Date.UTC(2026, 10, 20, 10, 14, 2);
const RESET = Date.UTC(2026, 10, 20, 11, 0, 0);

function state(at = UPDATED): AgentReport {
  const rep = normalizeStateDoc(readFixtureJson('live-bridge/state.json'), {
    file: 'state.json',
    at,
    dialect: 'auto',
  });
  if ('error' in rep) throw new Error(rep.error);
  return rep;
}

describe('live-bridge state.json', () => {
  it('is detected by shape and normalized', () => {
    const rep = state();
    expect(rep).toMatchObject({
      dialect: 'live-bridge',
      status: 'blocked',
      kind: 'blocked',
      phase: 'claude_usage_limit',
      sessionId: '5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11',
      workspaceRoot: null,
      heartbeatAt: UPDATED,
    });
    expect(rep.notes).toEqual({
      tmuxSession: 'slop-develop',
      transcriptPath:
        '/home/dev/.claude/projects/-home-dev-repo/5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11.jsonl',
      lane: 'develop',
      reason: 'claude_usage_limit',
      turn: '#7 waiting_reset since 2026-11-20T10:02:11.000Z',
    });
    expect(rep.extras).toEqual({
      turn: { id: 7, state: 'waiting_reset', started_at: '2026-11-20T10:02:11Z' },
    });
  });

  it('a usage-limit block is a rate_limit blocker counting down to reset_at', () => {
    const rep = state();
    expect(rep.blocker).toMatchObject({
      failureClass: 'rate_limit',
      detail: 'usage limit; resets in 45m 58s',
      resetAt: RESET,
      since: UPDATED,
      nextAction: 'wait for the limit to reset, then resume the same session',
    });
    expect(agentBlockers(rep, UPDATED)).toEqual([rep.blocker]);
    const later = agentBlockers(rep, RESET - 30 * 60_000);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({
      failureClass: 'rate_limit',
      detail: 'usage limit; resets in 30m 0s',
      resetAt: RESET,
    });
    const passed = agentBlockers(rep, RESET + 125_000)[0];
    expect(passed?.detail).toBe('usage limit; reset time passed 2m 5s ago');
    expect(passed?.nextAction).toMatch(/resume the same session/);
  });

  it('other blocked reasons and failures keep the reason verbatim', () => {
    const blocked = normalizeStateDoc(
      { status: 'blocked', reason: 'login_required', session_id: 'x' },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect('error' in blocked ? null : blocked.blocker).toMatchObject({
      failureClass: 'login_required',
      detail: 'blocked: login_required',
    });
    const failed = normalizeStateDoc(
      { status: 'failed', error: 'tmux died', tmux_session: 't' },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect('error' in failed ? null : failed.blocker).toMatchObject({
      failureClass: 'failed',
      detail: 'failed: tmux died',
    });
    const idle = normalizeStateDoc(
      { status: 'idle', session_id: 'x', updated_at: 1775280637 },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect('error' in idle ? null : idle).toMatchObject({
      kind: 'idle',
      blocker: null,
      heartbeatAt: 1775280637_000,
    });
  });
});

describe('live-bridge result.json', () => {
  it('sid → sessionId, res → summary', () => {
    const res = normalizeResultDoc(readFixtureJson('live-bridge/result.json'), {
      file: 'result.json',
      at: 9,
      dialect: 'auto',
    });
    expect(res).toEqual({
      dialect: 'live-bridge',
      ok: true,
      finishedAt: Date.UTC(2026, 10, 20, 10, 1, 55),
      summary:
        'Implemented the retry helper. Changed files: src/retry.ts, test/retry.test.ts. Verification: npm test -> 43 passed.',
      tests: null,
      failureClass: null,
      detail: null,
      commit: null,
      sessionId: '5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11',
      extras: { turn: 6 },
      source: { file: 'result.json', at: 9 },
    });
  });
});
