import { describe, expect, it } from 'vitest';
import {
  agentBlockers,
  normalizeClawState,
  normalizeStateDoc,
} from '../../../src/state/dialects/index.js';
import type { AgentReport } from '../../../src/state/types.js';
import { fixtureEvents, foldAll, readFixtureJson } from '../../helpers/dialect-fixtures.js';

const UPDATED_MS = 1775280637_000;

function clawReport(at = UPDATED_MS + 74_000): AgentReport {
  const rep = normalizeStateDoc(readFixtureJson('claw-code/worker-state.json'), {
    file: 'state.json',
    at,
    dialect: 'auto',
  });
  if ('error' in rep) throw new Error(rep.error);
  return rep;
}

describe('claw-code worker-state.json', () => {
  it('is detected by shape and normalized', () => {
    const rep = clawReport();
    expect(rep.dialect).toBe('claw-code');
    expect(rep.status).toBe('trust_required');
    expect(rep.kind).toBe('blocked');
    expect(rep.heartbeatAt).toBe(UPDATED_MS);
    expect(rep.phase).toBe('trust prompt detected');
    expect(rep.blocker).toBeNull();
    expect(rep.workspaceRoot).toBeNull();
    expect(rep.notes).toMatchObject({
      workerId: 'worker_69d0a1fd_1',
      ready: 'false',
      trustGateCleared: 'false',
      promptInFlight: 'false',
      lastEvent: 'trust_required: trust prompt detected',
      since: new Date(UPDATED_MS).toISOString(),
    });
    expect(rep.extras).toEqual({});
    expect(rep.source).toEqual({ file: 'state.json', at: UPDATED_MS + 74_000 });
  });

  it('normalizeClawState reads the same file the same way', () => {
    const rep = normalizeClawState(readFixtureJson('claw-code/worker-state.json'), {
      file: '.claw/worker-state.json',
      at: 5,
      dialect: 'auto',
    });
    expect('error' in rep ? rep.error : rep.status).toBe('trust_required');
  });

  it('trust_required for more than 60 s is a trust_gate stall, not before', () => {
    const rep = clawReport();
    expect(agentBlockers(rep, UPDATED_MS + 30_000)).toEqual([]);
    expect(agentBlockers(rep, UPDATED_MS + 60_000)).toEqual([]);
    const [b, ...rest] = agentBlockers(rep, UPDATED_MS + 74_000);
    expect(rest).toEqual([]);
    expect(b).toMatchObject({
      failureClass: 'trust_gate',
      detail: 'trust prompt unanswered for 74 s',
      nextAction: "answer the trust prompt in the agent's session (or allowlist the worktree)",
      since: UPDATED_MS,
      source: { file: 'state.json' },
    });
    expect(agentBlockers(rep, UPDATED_MS + 3_725_000)[0]?.detail).toBe(
      'trust prompt unanswered for 1h 2m',
    );
  });

  it('falls back to seconds_since_update and is_ready when fields are missing', () => {
    const rep = normalizeStateDoc(
      { worker_id: 'w', is_ready: true, seconds_since_update: 10 },
      { file: 's', at: 100_000, dialect: 'auto' },
    );
    if ('error' in rep) throw new Error(rep.error);
    expect(rep.status).toBe('ready_for_prompt');
    expect(rep.kind).toBe('ready');
    expect(rep.heartbeatAt).toBe(90_000);
  });
});

describe('claw-code lane-events.jsonl', () => {
  const events = fixtureEvents('claw-code/lane-events.jsonl', 42);
  const folds = foldAll(events, { worktreePaths: ['/home/dev/wt/lane-a'] });

  it('normalizes every line with its time and source', () => {
    expect(events.map((e) => e.name)).toEqual([
      'lane.started',
      'lane.blocked',
      'branch.stale_against_main',
      'lane.commit.created',
      'branch.workspace_mismatch',
      'lane.failed',
      'lane.finished',
    ]);
    expect(events.every((e) => e.dialect === 'claw-code')).toBe(true);
    expect(events[0]?.at).toBe(1775230717_000);
    expect(events[1]?.at).toBe(Date.UTC(2026, 3, 4));
    expect(events[2]?.at).toBe(1775260900_000);
    expect(events[6]?.source).toEqual({
      file: 'lane-events.jsonl',
      at: 42,
      line: 7,
      event: 'lane.finished',
    });
    expect(events[6]?.status).toBe('completed');
  });

  it('lane.started → running', () => {
    expect(folds[0]?.agent).toMatchObject({
      status: 'running',
      kind: 'running',
      heartbeatAt: 1775230717_000,
      dialect: 'claw-code',
    });
    expect(folds[0]?.blockers).toEqual({});
  });

  it('lane.blocked renders the blocked.* subphase readably', () => {
    const f = folds[1];
    expect(f?.agent?.kind).toBe('blocked');
    expect(f?.blockers.mcp_startup).toMatchObject({
      failureClass: 'mcp_startup',
      detail: 'MCP handshake failed: test-server (attempt 1) — broken server',
      nextAction: 'check the MCP server configuration, then restart the worker (r)',
      since: Date.UTC(2026, 3, 4),
      source: { file: 'lane-events.jsonl', line: 2, event: 'lane.blocked', at: 42 },
    });
  });

  it('branch.stale_against_main → branch_divergence with the missing commits and recommended action', () => {
    expect(folds[2]?.blockers.branch_divergence).toMatchObject({
      detail: 'behind main by 3 (missing: fix: flaky socket; fix: retry cap; docs: usage)',
      nextAction: 'merge or rebase main before workspace tests',
      since: 1775260900_000,
    });
  });

  it('lane.commit.created is meaningful but changes no state', () => {
    expect(folds[3]?.lastMeaningful?.name).toBe('lane.commit.created');
    expect(folds[3]?.blockers).toBe(folds[2]?.blockers);
    expect(folds[3]?.agent).toBe(folds[2]?.agent);
  });

  it('branch.workspace_mismatch → sticky workspace_mismatch with expected vs actual root', () => {
    expect(folds[4]?.blockers.workspace_mismatch).toMatchObject({
      detail: 'agent works in /tmp/repo-b, expected /tmp/repo-a',
      nextAction:
        "check what the agent changed outside the lane's worktree, restart it in the worktree, then clear (c)",
    });
    expect(folds[4]?.agent?.workspaceRoot).toBe('/tmp/repo-b');
  });

  it('lane.failed → failed + test blocker', () => {
    expect(folds[5]?.agent).toMatchObject({ status: 'failed', kind: 'failed' });
    expect(folds[5]?.blockers.test).toMatchObject({
      detail: '2 tests failed',
      nextAction: 'fix the failing tests, then rerun them',
    });
  });

  it('lane.finished → finished, clears every blocker except the sticky workspace mismatch', () => {
    const f = folds[6];
    expect(f?.agent).toMatchObject({
      status: 'finished',
      kind: 'finished',
      phase: 'Finished successfully in commit abc123',
    });
    expect(Object.keys(f?.blockers ?? {})).toEqual(['workspace_mismatch']);
    expect(f?.count).toBe(7);
    expect(f?.recent.map((e) => e.source.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(f?.lastMeaningful?.name).toBe('lane.finished');
    expect(f?.tests).toBeNull();
  });
});
