import { describe, expect, it } from 'vitest';
import { EMPTY_FOLD, foldEvent, normalizeEvent } from '../../../src/state/dialects/index.js';
import type { LaneEvent } from '../../../src/state/types.js';
import { fixtureEvents, foldAll } from '../../helpers/dialect-fixtures.js';

const PERMISSION_NEXT = "approve or deny the pending tool request in the agent's session";

function hook(payload: Record<string, unknown>, line = 1, at = 500): LaneEvent {
  const ev = normalizeEvent(
    { session_id: 's1', cwd: '/wt/a', ...payload },
    { file: 'events.jsonl', line, at, dialect: 'auto' },
  );
  if ('error' in ev) throw new Error(ev.error);
  return ev;
}

describe('claude-code-hooks/hook-events.jsonl', () => {
  const at = 1_700_000_000_000;
  const events = fixtureEvents('claude-code-hooks/hook-events.jsonl', at);
  const folds = foldAll(events, { worktreePaths: ['/home/dev/wt/auth'] });

  it('names events hook.<HookEventName>, times them at observe time without received_at', () => {
    expect(events.map((e) => e.name)).toEqual([
      'hook.SessionStart',
      'hook.UserPromptSubmit',
      'hook.PreToolUse',
      'hook.PostToolUse',
      'hook.Notification',
      'hook.Notification',
      'hook.Stop',
      'hook.PostToolUse',
      'hook.SessionEnd',
    ]);
    expect(events.every((e) => e.dialect === 'claude-hooks' && e.at === at)).toBe(true);
    expect(events[2]?.detail).toBe('Bash: npm test');
  });

  it('SessionStart → ready with the session id', () => {
    expect(folds[0]?.agent).toMatchObject({
      status: 'ready',
      kind: 'ready',
      sessionId: 'abc123',
      workspaceRoot: '/home/dev/wt/auth',
      dialect: 'claude-hooks',
    });
    expect(folds[0]?.blockers).toEqual({});
  });

  it('prompt and tool use → running; tool use is not meaningful', () => {
    expect(folds[1]?.agent?.kind).toBe('running');
    expect(folds[3]?.agent?.kind).toBe('running');
    expect(folds[3]?.lastMeaningful?.name).toBe('hook.UserPromptSubmit');
    expect(folds[3]?.lastMeaningful?.source.line).toBe(2);
  });

  it('Notification permission_prompt → permission blocker', () => {
    expect(folds[4]?.agent).toMatchObject({ status: 'tool_permission_required', kind: 'blocked' });
    expect(folds[4]?.blockers.permission).toMatchObject({
      failureClass: 'permission',
      detail: 'Claude needs your permission to use Bash',
      nextAction: PERMISSION_NEXT,
      source: { file: 'hook-events.jsonl', line: 5, event: 'hook.Notification', at },
      since: at,
    });
  });

  it('Notification idle_prompt is no blocker and does not hide the open permission prompt', () => {
    expect(folds[5]?.agent).toMatchObject({ status: 'tool_permission_required', kind: 'blocked' });
    expect(Object.keys(folds[5]?.blockers ?? {})).toEqual(['permission']);
  });

  it('Stop → idle with the last assistant message; permission cleared', () => {
    expect(folds[6]?.agent).toMatchObject({ status: 'idle', kind: 'idle' });
    expect(folds[6]?.agent?.notes.lastMessage).toBe(
      'Backoff implemented; 2 tests still fail in backoff.test.ts.',
    );
    expect(Object.keys(folds[6]?.blockers ?? {})).toEqual([]);
    expect(folds[6]?.lastMeaningful?.name).toBe('hook.Stop');
  });

  it('a hook cwd outside the worktree → sticky workspace_mismatch', () => {
    expect(folds[7]?.blockers.workspace_mismatch).toMatchObject({
      detail:
        "agent wrote in /home/dev/wt/other-lane, outside the lane's worktree /home/dev/wt/auth",
      source: { line: 8, event: 'hook.PostToolUse' },
    });
    expect(folds[7]?.blockers.input_required).toBeUndefined();
    expect(folds[7]?.lastMeaningful?.name).toBe('hook.Stop');
  });

  it('SessionEnd → finished; only the sticky blocker remains', () => {
    expect(folds[8]?.agent).toMatchObject({
      status: 'finished',
      kind: 'finished',
      phase: 'session ended (other)',
    });
    expect(folds[8]?.agent?.notes.lastMessage).toBe(
      'Backoff implemented; 2 tests still fail in backoff.test.ts.',
    );
    expect(Object.keys(folds[8]?.blockers ?? {})).toEqual(['workspace_mismatch']);
    expect(folds[8]?.count).toBe(9);
  });
});

describe('captured Claude Code 2.1.330 payloads', () => {
  it('a full turn: ready → running → idle → finished, no blockers', () => {
    const folds = foldAll(fixtureEvents('claude-code-hooks/captured-2.1.330-turn.jsonl'), {
      worktreePaths: ['/home/dev/wt/lane-a'],
    });
    expect(folds.map((f) => f.agent?.status)).toEqual([
      'ready',
      'running',
      'running',
      'running',
      'idle',
      'finished',
    ]);
    const last = folds[5];
    expect(last?.agent?.sessionId).toBe('67fcb522-dd2d-416f-8f9b-1b1688c28e07');
    expect(last?.agent?.notes.lastMessage).toBe('Tests ran. Done: 1 passed.');
    expect(last?.blockers).toEqual({});
    expect(last?.lastMeaningful?.name).toBe('hook.SessionEnd');
  });

  it('StopFailure rate_limit → rate_limit blocker; server_error → failed/server_error', () => {
    const events = fixtureEvents('claude-code-hooks/captured-2.1.330-stopfailure.jsonl');
    const ctx = { worktreePaths: ['/home/dev/wt/lane-a'] };
    const limited = foldEvent(EMPTY_FOLD, events[0] as LaneEvent, ctx);
    expect(limited.agent).toMatchObject({ status: 'blocked', kind: 'blocked' });
    expect(limited.blockers).toEqual({
      rate_limit: expect.objectContaining({
        failureClass: 'rate_limit',
        detail: 'rate_limit: API Error: Request rejected (429) · Rate limited',
        nextAction: 'wait for the limit to reset, then resume the same session',
      }) as unknown,
    });
    const failed = foldEvent(EMPTY_FOLD, events[1] as LaneEvent, ctx);
    expect(failed.agent).toMatchObject({ status: 'failed', kind: 'failed' });
    expect(failed.blockers).toEqual({
      server_error: expect.objectContaining({
        detail:
          'server_error: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
        nextAction: 'the model API failed or was overloaded: resume the session (r) in a moment',
      }) as unknown,
    });
  });
});

describe('hook mapping details', () => {
  const ctx = { worktreePaths: ['/wt/a', '/real/a'] };

  it('uses received_at / receivedAt as the event time', () => {
    expect(hook({ hook_event_name: 'Stop', received_at: '2026-01-01T00:00:00Z' }).at).toBe(
      Date.UTC(2026, 0, 1),
    );
    expect(hook({ hook_event_name: 'Stop', receivedAt: 1767225600 }).at).toBe(Date.UTC(2026, 0, 1));
    expect(hook({ hook_event_name: 'Stop', received_at: 'garbage' }).at).toBe(500);
  });

  it('PermissionRequest → permission; a later prompt clears it', () => {
    const f1 = foldEvent(
      EMPTY_FOLD,
      hook({
        hook_event_name: 'PermissionRequest',
        tool_name: 'Bash',
        tool_input: { command: 'rm -rf build' },
      }),
      ctx,
    );
    expect(f1.blockers.permission).toMatchObject({
      detail: 'permission requested: Bash: rm -rf build',
      nextAction: PERMISSION_NEXT,
    });
    const f2 = foldEvent(f1, hook({ hook_event_name: 'UserPromptSubmit', prompt: 'go' }, 2), ctx);
    expect(f2.blockers).toEqual({});
  });

  it('a permission message without notification_type is still a permission blocker', () => {
    const f = foldEvent(
      EMPTY_FOLD,
      hook({
        hook_event_name: 'Notification',
        message: 'Claude needs your permission to use Edit',
      }),
      ctx,
    );
    expect(Object.keys(f.blockers)).toEqual(['permission']);
    const g = foldEvent(
      EMPTY_FOLD,
      hook({ hook_event_name: 'Notification', message: 'Claude is waiting for your input' }),
      ctx,
    );
    expect(g.blockers).toEqual({});
    expect(g.agent?.status).toBe('waiting_for_input');
    const h = foldEvent(
      EMPTY_FOLD,
      hook({ hook_event_name: 'Notification', notification_type: 'auth_success', message: 'ok' }),
      ctx,
    );
    expect(h.blockers).toEqual({});
    expect(h.agent).toBeNull();
    expect(h.lastMeaningful?.name).toBe('hook.Notification');
  });

  it('cwd inside the worktree (realpath, trailing slash, subdir) is no mismatch; .. escaping is', () => {
    for (const cwd of ['/wt/a/', '/real/a/src', '/wt/a/./b/..']) {
      expect(
        foldEvent(EMPTY_FOLD, hook({ hook_event_name: 'PreToolUse', cwd }), ctx).blockers,
      ).toEqual({});
    }
    const f = foldEvent(
      EMPTY_FOLD,
      hook({ hook_event_name: 'PreToolUse', cwd: '/wt/a/../b' }),
      ctx,
    );
    expect(f.blockers.workspace_mismatch?.detail).toBe(
      "agent wrote in /wt/b, outside the lane's worktree /wt/a",
    );
  });

  it('workspace_mismatch stays through SessionEnd and keeps its first time for the same cwd', () => {
    const f1 = foldEvent(
      EMPTY_FOLD,
      hook({ hook_event_name: 'PreToolUse', cwd: '/x' }, 1, 10),
      ctx,
    );
    const f2 = foldEvent(f1, hook({ hook_event_name: 'PostToolUse', cwd: '/x' }, 2, 20), ctx);
    const f3 = foldEvent(f2, hook({ hook_event_name: 'SessionEnd' }, 3, 30), ctx);
    expect(f3.blockers.workspace_mismatch?.since).toBe(10);
    expect(f3.blockers.workspace_mismatch?.source.line).toBe(1);
  });

  it('no worktree paths ⇒ no workspace check', () => {
    expect(
      foldEvent(EMPTY_FOLD, hook({ hook_event_name: 'PreToolUse', cwd: '/x' }), {
        worktreePaths: [],
      }).blockers,
    ).toEqual({});
  });

  it('unknown hook names are kept verbatim and meaningful', () => {
    const ev = hook({ hook_event_name: 'FutureHook', foo: 1 });
    expect(ev.name).toBe('hook.FutureHook');
    const f = foldEvent(EMPTY_FOLD, ev, ctx);
    expect(f.recent).toEqual([ev]);
    expect(f.lastMeaningful).toBe(ev);
    expect(f.agent).toBeNull();
  });
});

describe('who said it (source.via)', () => {
  const ctx = { worktreePaths: [] };
  const lane = (raw: Record<string, unknown>): LaneEvent => {
    const ev = normalizeEvent(raw, {
      file: 'hook-events.jsonl',
      line: 3,
      at: 500,
      dialect: 'auto',
    });
    if ('error' in ev) throw new Error(ev.error);
    return ev;
  };

  it('hook, transcript, worker output, notify and rollout reach the agent state and blockers', () => {
    // A hook's own `source` (SessionStart: startup / resume) is still the hook.
    expect(hook({ hook_event_name: 'SessionStart', source: 'resume' }).source.via).toBe('hook');
    const asked = hook({ hook_event_name: 'PermissionRequest', tool_name: 'Bash' });
    expect(foldEvent(EMPTY_FOLD, asked, ctx).blockers.permission?.source.via).toBe('hook');
    const esc = hook({ hook_event_name: 'Interrupt', source: 'transcript' });
    expect(foldEvent(EMPTY_FOLD, esc, ctx).agent?.source).toMatchObject({
      via: 'transcript',
      file: 'events.jsonl',
      event: 'hook.Interrupt',
    });
    const out = hook({
      hook_event_name: 'StopFailure',
      error: 'rate_limit',
      source: 'worker output',
    });
    expect(foldEvent(EMPTY_FOLD, out, ctx).blockers.rate_limit?.source.via).toBe('worker output');
    expect(hook({ hook_event_name: 'CodexNotify' }).source.via).toBe('notify');
    const rollout = lane({
      event: 'lane.blocked',
      status: 'blocked',
      failureClass: 'rate_limit',
      data: { source: 'codex rollout task_complete.error' },
    });
    expect(foldEvent(EMPTY_FOLD, rollout, ctx).blockers.rate_limit?.source.via).toBe('rollout');
    // A worker's own lane event names no agent-side source.
    expect(lane({ event: 'lane.red', data: { source: 'ci' } }).source.via).toBeUndefined();
  });
});
