/**
 * Claude Code hook fixtures end to end: each fixture file (or its first N lines) copied
 * into a real bridge dir, read by the real bridge reader into a real store, asserted via
 * the selectors and the --json snapshot.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupLaneEnvs,
  copyFixture,
  freshStore,
  laneSnap,
  laneView,
  makeLaneEnv,
  readInto,
  type LaneEnv,
} from '../helpers/dialects-e2e-env.js';

const T = Date.parse('2026-11-20T10:15:00Z');
const ISO_T = new Date(T).toISOString();
const HOOKS = 'claude-code-hooks/hook-events.jsonl';
const TURN = 'claude-code-hooks/captured-2.1.330-turn.jsonl';
const STOPFAIL = 'claude-code-hooks/captured-2.1.330-stopfailure.jsonl';

afterEach(cleanupLaneEnvs);

/** Fresh store, first `lines` lines of `rel` as the lane's hook-events.jsonl, read once. */
async function upTo(env: LaneEnv, rel: string, lines: number): Promise<void> {
  freshStore(env, T);
  copyFixture(env, rel, path.join(env.bridge, 'hook-events.jsonl'), lines);
  await readInto(env, T);
}

/** Source of a fixture line: every one is a hook payload, so who said it is the hook. */
const src = (line: number, event: string) => ({
  file: 'hook-events.jsonl',
  at: ISO_T,
  line,
  event,
  via: 'hook',
});

describe('hook-events.jsonl fixture (lane worktree = the fixture’s /home/dev/wt/auth)', () => {
  it('maps every hook to the contract status, blockers and next actions, line by line', async () => {
    const env = makeLaneEnv('auth', T);

    await upTo(env, HOOKS, 1);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'ready',
      kind: 'ready',
      sessionId: 'abc123',
      dialect: 'claude-hooks',
      phase: 'session started (startup)',
      source: src(1, 'hook.SessionStart'),
    });
    expect(s.blockers).toEqual([]);

    await upTo(env, HOOKS, 2);
    expect(laneSnap(env).agent).toMatchObject({
      status: 'running',
      kind: 'running',
      phase: 'prompt: Add exponential backoff to the retry helper',
    });

    await upTo(env, HOOKS, 4);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'running', phase: 'Bash: npm test' });
    // Tool chatter is not "meaningful": the last event is still the prompt.
    expect(s.lastEvent?.name).toBe('hook.UserPromptSubmit');
    expect(laneView(env).recentEvents.map((e) => e.name)).toEqual([
      'hook.SessionStart',
      'hook.UserPromptSubmit',
      'hook.PreToolUse',
      'hook.PostToolUse',
    ]);

    await upTo(env, HOOKS, 5);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'tool_permission_required', kind: 'blocked' });
    expect(s.blockers).toEqual([
      {
        failureClass: 'permission',
        detail: 'Claude needs your permission to use Bash',
        nextAction: "approve or deny the pending tool request in the agent's session",
        source: src(5, 'hook.Notification'),
        since: ISO_T,
        resetAt: null,
      },
    ]);

    await upTo(env, HOOKS, 6);
    s = laneSnap(env);
    // idle_prompt ("waiting for your input") is no blocker, and never hides an open
    // permission prompt.
    expect(s.agent).toMatchObject({ status: 'tool_permission_required', kind: 'blocked' });
    expect(s.blockers.map((b) => [b.failureClass, b.detail, b.nextAction])).toEqual([
      [
        'permission',
        'Claude needs your permission to use Bash',
        "approve or deny the pending tool request in the agent's session",
      ],
    ]);

    await upTo(env, HOOKS, 7);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'idle',
      phase: 'Backoff implemented; 2 tests still fail in backoff.test.ts.',
      notes: {
        lastMessage: 'Backoff implemented; 2 tests still fail in backoff.test.ts.',
        transcriptPath: '/home/dev/.claude/projects/-home-dev-wt-auth/abc123.jsonl',
      },
    });
    // Stop ends the permission prompt; the agent now waits for the next instruction.
    expect(s.blockers).toEqual([]);

    await upTo(env, HOOKS, 8);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'running' });
    expect(s.blockers).toEqual([
      {
        failureClass: 'workspace_mismatch',
        detail: `agent wrote in ${env.root}/wt/other-lane, outside the lane's worktree ${env.worktree}`,
        nextAction:
          "check what the agent changed outside the lane's worktree, restart it in the worktree, then clear (c)",
        source: src(8, 'hook.PostToolUse'),
        since: ISO_T,
        resetAt: null,
      },
    ]);

    await upTo(env, HOOKS, 9);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'finished',
      kind: 'finished',
      phase: 'session ended (other)',
      source: src(9, 'hook.SessionEnd'),
    });
    // SessionEnd clears what the session had, never the sticky mismatch.
    expect(s.blockers.map((b) => b.failureClass)).toEqual(['workspace_mismatch']);
    expect(s.mergeReady).toBe(false);
    expect(s.mergeReasons).toContain('blocked');
    expect(s.lastEvent).toMatchObject({ name: 'hook.SessionEnd', detail: 'session ended (other)' });
    // The payload's fields the board does not interpret stay visible under raw.
    expect(s.raw.extras.lastEvent).toMatchObject({
      name: 'hook.SessionEnd',
      file: 'hook-events.jsonl',
      line: 9,
      data: { session_id: 'abc123', reason: 'other', hook_event_name: 'SessionEnd' },
    });

    env.store.dispatch({ type: 'lane/clearBlockers', laneId: 'auth', at: T + 1 });
    expect(laneSnap(env).blockers).toEqual([]);
  });
});

describe('captured Claude Code 2.1.330 sessions', () => {
  it('one full turn: ready → running (Bash) → idle with the last message → finished', async () => {
    const env = makeLaneEnv('lane-a', T);
    await upTo(env, TURN, 3);
    expect(laneSnap(env).agent).toMatchObject({
      status: 'running',
      phase: 'Bash: echo 1 passed',
      sessionId: '67fcb522-dd2d-416f-8f9b-1b1688c28e07',
    });

    await upTo(env, TURN, 5);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'idle',
      kind: 'idle',
      phase: 'Tests ran. Done: 1 passed.',
      notes: { lastMessage: 'Tests ran. Done: 1 passed.' },
    });
    expect(s.lastEvent).toMatchObject({ name: 'hook.Stop', detail: 'Tests ran. Done: 1 passed.' });
    // Real fields the board has no use for (prompt_id, effort, background_tasks…) are kept.
    expect(s.raw.extras.lastEvent).toMatchObject({
      name: 'hook.Stop',
      data: {
        prompt_id: '5113cbb1-43ea-47a3-97a0-84989228b6f1',
        effort: { level: 'medium' },
        stop_hook_active: false,
        background_tasks: [],
        session_crons: [],
      },
    });

    await upTo(env, TURN, 6);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'finished', kind: 'finished' });
    expect(s.blockers).toEqual([]);
    expect(s.problems).toEqual([]);
  });

  it('StopFailure: rate_limit blocks with a wait-for-reset action; server_error is a failed turn of its own class', async () => {
    const env = makeLaneEnv('lane-a', T);
    await upTo(env, STOPFAIL, 1);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'blocked',
      kind: 'blocked',
      sessionId: '7db7cbc1-83f9-4cdc-95e6-0c46a121b996',
    });
    expect(s.blockers).toEqual([
      {
        failureClass: 'rate_limit',
        detail: 'rate_limit: API Error: Request rejected (429) · Rate limited',
        nextAction: 'wait for the limit to reset, then resume the same session',
        source: src(1, 'hook.StopFailure'),
        since: ISO_T,
        resetAt: null,
      },
    ]);

    await upTo(env, STOPFAIL, 2);
    s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'failed',
      kind: 'failed',
      sessionId: '471d3a3a-b25d-4000-b587-9100c61da0fb',
    });
    expect(s.blockers.map((b) => [b.failureClass, b.detail, b.nextAction])).toEqual([
      [
        'rate_limit',
        'rate_limit: API Error: Request rejected (429) · Rate limited',
        'wait for the limit to reset, then resume the same session',
      ],
      [
        'server_error',
        'server_error: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
        'the model API failed or was overloaded: resume the session (r) in a moment',
      ],
    ]);
    expect(s.mergeReasons).toEqual(
      expect.arrayContaining(['tests not green', 'blocked', 'agent not finished']),
    );
  });
});
