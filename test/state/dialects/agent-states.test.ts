import { describe, expect, it } from 'vitest';
import { EMPTY_FOLD, foldEvent, normalizeEvent } from '../../../src/state/dialects/index.js';
import type { EventFold } from '../../../src/state/types.js';

const ctx = { worktreePaths: ['/wt/a'] };

/** Fold raw lines (as parsed from hook-events.jsonl) one by one; throws on a read error. */
function fold(...lines: Record<string, unknown>[]): EventFold {
  let f = EMPTY_FOLD;
  lines.forEach((raw, i) => {
    const ev = normalizeEvent(raw, {
      file: 'hook-events.jsonl',
      line: i + 1,
      at: 1000 + i,
      dialect: 'auto',
    });
    if ('error' in ev) throw new Error(ev.error);
    f = foldEvent(f, ev, ctx);
  });
  return f;
}

const base = { session_id: 's1', cwd: '/wt/a', transcript_path: '/t/s1.jsonl' };
const h = (
  hook_event_name: string,
  more: Record<string, unknown> = {},
): Record<string, unknown> => ({
  ...base,
  hook_event_name,
  ...more,
});
const limited = h('StopFailure', {
  error: 'rate_limit',
  last_assistant_message:
    'API Error: Request rejected (429) · This request would exceed the rate limit',
});

describe('shell capture lines', () => {
  it('unwrap {"received_at","payload"} into the hook event, timed at received_at', () => {
    const ev = normalizeEvent(
      {
        received_at: '2026-12-05T12:00:00.250Z',
        payload: h('Stop', { last_assistant_message: 'ok' }),
      },
      { file: 'hook-events.jsonl', line: 1, at: 5, dialect: 'auto' },
    );
    expect(ev).toMatchObject({
      name: 'hook.Stop',
      dialect: 'claude-hooks',
      at: Date.UTC(2026, 11, 5, 12, 0, 0, 250),
      status: 'idle',
    });
  });

  it('an empty or non-object payload is a read error, not a crash', () => {
    const c = { file: 'hook-events.jsonl', line: 1, at: 5, dialect: 'auto' as const };
    expect(normalizeEvent({ received_at: 'x', payload: null }, c)).toEqual({
      error: 'hook capture received no payload on stdin',
    });
    expect(normalizeEvent({ received_at: 'x', payload: [1] }, c)).toEqual({
      error: 'hook capture payload is not a JSON object (got array)',
    });
    expect(normalizeEvent({ received_at: 'x', payload: { a: 1 } }, c)).toEqual({
      error: 'hook capture payload has no "hook_event_name"',
    });
  });
});

describe('Claude Code turn failures', () => {
  it('a headless 429 (StopFailure then SessionEnd) stays rate limited', () => {
    const f = fold(
      h('SessionStart'),
      h('UserPromptSubmit', { prompt: 'go' }),
      limited,
      h('SessionEnd', { reason: 'other' }),
    );
    expect(f.agent).toMatchObject({
      status: 'blocked',
      kind: 'blocked',
      phase: 'session ended (other)',
    });
    expect(Object.keys(f.blockers)).toEqual(['rate_limit']);
    expect(f.blockers.rate_limit?.source.event).toBe('hook.StopFailure');
  });

  it('StopFailure errors map to their classes', () => {
    const cls = (error: string): string[] =>
      Object.keys(fold(h('StopFailure', { error })).blockers);
    expect(cls('authentication_failed')).toEqual(['auth']);
    expect(cls('oauth_org_not_allowed')).toEqual(['auth']);
    expect(cls('billing_error')).toEqual(['billing']);
    expect(cls('server_error')).toEqual(['server_error']);
    expect(cls('invalid_request')).toEqual(['invalid_request']);
    expect(cls('max_output_tokens')).toEqual(['infra']);
    expect(fold(h('StopFailure', { error: 'billing_error' })).agent?.kind).toBe('failed');
  });

  it('idle_prompt after a 429 never flips the lane to waiting', () => {
    const f = fold(
      limited,
      h('Notification', {
        notification_type: 'idle_prompt',
        message: 'Claude is waiting for your input',
      }),
    );
    expect(f.agent?.status).toBe('blocked');
    expect(Object.keys(f.blockers)).toEqual(['rate_limit']);
  });

  it('a new session, a new prompt or a successful turn clears the rate limit', () => {
    expect(
      fold(limited, h('SessionEnd'), h('SessionStart', { session_id: 's2' })).blockers,
    ).toEqual({});
    expect(fold(limited, h('UserPromptSubmit', { prompt: 'continue' })).blockers).toEqual({});
    expect(fold(limited, h('Stop', { last_assistant_message: 'done' })).blockers).toEqual({});
  });

  it('a bare rate_limit (no error_details) during a turn that goes on does not stay', () => {
    const f = fold(
      h('UserPromptSubmit', { prompt: 'go' }),
      h('StopFailure', { error: 'rate_limit' }),
      h('PostToolUse', { tool_name: 'Task', tool_input: { description: 'helper' } }),
    );
    expect(f.blockers).toEqual({});
    expect(f.agent?.kind).toBe('running');
  });
});

describe('waiting, permission and interrupts', () => {
  it('idle_prompt is waiting for you: kind idle, no blocker', () => {
    const f = fold(
      h('Stop'),
      h('Notification', {
        notification_type: 'idle_prompt',
        message: 'Claude is waiting for your input',
      }),
    );
    expect(f.agent).toMatchObject({ status: 'waiting_for_input', kind: 'idle' });
    expect(f.blockers).toEqual({});
  });

  it('PermissionRequest keeps the tool and command; the later permission_prompt does not replace it', () => {
    const f = fold(
      h('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'rm -rf build' } }),
      h('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'rm -rf build' } }),
      h('Notification', {
        notification_type: 'permission_prompt',
        message: 'Claude needs your permission',
      }),
    );
    expect(f.blockers.permission).toMatchObject({
      detail: 'permission requested: Bash: rm -rf build',
      source: { event: 'hook.PermissionRequest', line: 2 },
    });
    expect(f.agent?.kind).toBe('blocked');
  });

  it('Interrupt (Codex) → interrupted, waiting for you; a pending permission is gone; a prompt resumes', () => {
    const f = fold(
      h('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'ls' } }),
      h('Interrupt'),
    );
    expect(f.agent).toMatchObject({ status: 'interrupted', kind: 'idle' });
    expect(f.blockers).toEqual({});
    const g = fold(h('Interrupt'), h('Notification', { notification_type: 'idle_prompt' }));
    expect(g.agent?.status).toBe('interrupted');
    expect(fold(h('Interrupt'), h('UserPromptSubmit', { prompt: 'go on' })).agent?.status).toBe(
      'running',
    );
  });
});
