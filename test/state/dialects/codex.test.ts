/**
 * Codex CLI payloads (hook events, rollout `task_complete`, `notify`) as recorded from the
 * real Codex CLI 0.171.0 (test/agents/codex-real.test.ts drives it) → the lane's state.
 */
import { describe, expect, it } from 'vitest';
import {
  codexErrorClass,
  isCodexNotify,
  lastTurnFailure,
  notifyAsHook,
  turnFailureEvent,
} from '../../../src/state/dialects/codex.js';
import { EMPTY_FOLD, foldEvent, normalizeEvent } from '../../../src/state/dialects/index.js';
import type { EventFold } from '../../../src/state/types.js';

const S = '01a24732-e1c4-7db1-ba1e-6c4369218500';
const T = '01a24732-e1d6-7431-af94-b41e0f55a9bf';
const ROLLOUT = `/home/dev/.codex/sessions/2026/12/05/rollout-2026-12-05T17-14-06-${S}.jsonl`;
const base = { session_id: S, transcript_path: ROLLOUT, cwd: '/wt/a', model: 'gpt-test' };

/** Recorded from codex exec (permission_mode as Codex reports it in exec). */
const HOOKS = {
  start: {
    ...base,
    hook_event_name: 'SessionStart',
    permission_mode: 'bypassPermissions',
    source: 'startup',
  },
  prompt: { ...base, turn_id: T, hook_event_name: 'UserPromptSubmit', prompt: 'make a file' },
  pre: {
    ...base,
    turn_id: T,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'touch made.txt' },
    tool_use_id: 'call_1',
  },
  stop: {
    ...base,
    turn_id: T,
    hook_event_name: 'Stop',
    stop_hook_active: false,
    last_assistant_message: 'all done',
  },
  end: { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  interrupt: { ...base, turn_id: T, hook_event_name: 'Interrupt' },
  permission: {
    ...base,
    turn_id: T,
    hook_event_name: 'PermissionRequest',
    tool_name: 'Bash',
    tool_input: { command: 'rm -rf build', description: 'need to write' },
  },
};

/** The rollout record of a turn that hit a 429 (Codex 0.171.0, retries off). */
const FAILED_429 = JSON.stringify({
  timestamp: '2026-12-05T17:14:07.282Z',
  type: 'event_msg',
  payload: {
    type: 'task_complete',
    turn_id: T,
    last_agent_message: null,
    error: {
      message: 'exceeded retry limit, last status: 429 Too Many Requests',
      codex_error_info: { response_too_many_failed_attempts: { http_status_code: 429 } },
    },
    started_at: 1796490846,
    completed_at: 1796490847,
  },
});
const OK = JSON.stringify({
  timestamp: '2026-12-05T17:13:00.962Z',
  type: 'event_msg',
  payload: {
    type: 'task_complete',
    turn_id: 'other',
    last_agent_message: 'done',
    completed_at: 1796490780,
  },
});

/** The `notify` argv payload (recorded). */
const NOTIFY = {
  type: 'agent-turn-complete',
  'thread-id': S,
  'turn-id': T,
  cwd: '/wt/a',
  client: 'codex_exec',
  'input-messages': ['make a file'],
  'last-assistant-message': 'all done',
};

function fold(lines: readonly Record<string, unknown>[], start: EventFold = EMPTY_FOLD): EventFold {
  let f = start;
  lines.forEach((raw, i) => {
    const ev = normalizeEvent(raw, {
      file: 'hook-events.jsonl',
      line: i + 1,
      at: 1_000 + i,
      dialect: 'auto',
    });
    if ('error' in ev) throw new Error(ev.error);
    f = foldEvent(f, ev, { worktreePaths: ['/wt/a'] });
  });
  return f;
}

describe('Codex rollout: the last task_complete', () => {
  it('a 429 turn → rate_limit with the status, the turn and its end time', () => {
    const f = lastTurnFailure(['{"type":"session_meta"}', OK, 'not json', FAILED_429, '']);
    expect(f).toEqual({
      turnId: T,
      failureClass: 'rate_limit',
      message: 'exceeded retry limit, last status: 429 Too Many Requests',
      httpStatus: 429,
      at: new Date(1796490847 * 1000).toISOString(),
      info: { response_too_many_failed_attempts: { http_status_code: 429 } },
    });
  });

  it('a later successful turn, no turn at all, or garbage → null', () => {
    expect(lastTurnFailure([FAILED_429, OK])).toBeNull();
    expect(lastTurnFailure([])).toBeNull();
    expect(lastTurnFailure(['{"type":"event_msg","payload":"task_complete"}', '[1,2'])).toBeNull();
  });

  it('classes by status, by codex_error_info names, else by message', () => {
    const err = (info: unknown, message = 'x') => ({ message, codex_error_info: info });
    expect(codexErrorClass(err({ a: { http_status_code: 401 } }))).toBe('auth');
    expect(codexErrorClass(err({ a: { http_status_code: 402 } }))).toBe('billing');
    expect(codexErrorClass(err({ a: { http_status_code: 503 } }))).toBe('server_error');
    expect(codexErrorClass(err({ a: { http_status_code: 400 } }))).toBe('invalid_request');
    expect(codexErrorClass(err('usage_limit_exceeded'))).toBe('rate_limit');
    expect(codexErrorClass(err({ unauthorized: null }))).toBe('auth');
    expect(codexErrorClass(err('context_window_exceeded'))).toBe('invalid_request');
    expect(codexErrorClass(err(null, 'stream disconnected'))).toBe('infra');
    expect(codexErrorClass('nope')).toBe('infra');
  });
});

describe('Codex hooks and the recorded failure → lane state', () => {
  const failure = turnFailureEvent(lastTurnFailure([FAILED_429])!, ROLLOUT, '2026-12-05T17:14:08Z');

  it('a 429 turn then SessionEnd: blocked with rate_limit, not finished', () => {
    const f = fold([HOOKS.start, HOOKS.prompt, failure, HOOKS.end]);
    expect(f.agent?.status).toBe('blocked');
    expect(f.blockers.rate_limit?.detail).toBe(
      'Codex turn failed: exceeded retry limit, last status: 429 Too Many Requests',
    );
  });

  it('a new prompt clears the rate limit; a tool call shows as the phase', () => {
    const f = fold([
      HOOKS.start,
      HOOKS.prompt,
      failure,
      HOOKS.end,
      HOOKS.start,
      HOOKS.prompt,
      HOOKS.pre,
    ]);
    expect(f.agent?.status).toBe('running');
    expect(f.agent?.phase).toBe('Bash: touch made.txt');
    expect(f.blockers).toEqual({});
  });

  it('a non-429 failure → failed with its class', () => {
    const e = turnFailureEvent(
      {
        turnId: 't',
        failureClass: 'auth',
        message: 'unauthorized',
        httpStatus: 401,
        at: null,
        info: null,
      },
      ROLLOUT,
      '2026-12-05T17:14:08Z',
    );
    expect(e).toMatchObject({
      event: 'lane.failed',
      status: 'failed',
      emittedAt: '2026-12-05T17:14:08Z',
    });
    const f = fold([HOOKS.start, HOOKS.prompt, e, HOOKS.end]);
    expect(f.agent?.status).toBe('failed');
    expect(Object.keys(f.blockers)).toEqual(['auth']);
  });

  it('PermissionRequest → permission blocker naming the tool; Interrupt → interrupted, clears it', () => {
    const asked = fold([HOOKS.start, HOOKS.prompt, HOOKS.permission]);
    expect(asked.agent?.status).toBe('tool_permission_required');
    expect(asked.blockers.permission?.detail).toBe('permission requested: Bash: rm -rf build');
    const stopped = fold([HOOKS.interrupt], asked);
    expect(stopped.agent?.status).toBe('interrupted');
    expect(stopped.blockers).toEqual({});
  });

  it('a subagent (agent_id) Stop changes nothing; its PermissionRequest still blocks', () => {
    const running = fold([HOOKS.start, HOOKS.prompt]);
    const sub = { agent_id: 'child-1', agent_type: 'worker' };
    expect(fold([{ ...HOOKS.stop, ...sub }], running).agent?.status).toBe('running');
    expect(fold([{ ...HOOKS.permission, ...sub }], running).blockers.permission).toBeDefined();
  });
});

describe('Codex notify (argv payload)', () => {
  it('is recognized and recorded as CodexNotify with the original kept', () => {
    expect(isCodexNotify(NOTIFY)).toBe(true);
    expect(isCodexNotify(HOOKS.stop)).toBe(false);
    expect(notifyAsHook(NOTIFY)).toMatchObject({
      hook_event_name: 'CodexNotify',
      notify_type: 'agent-turn-complete',
      session_id: S,
      turn_id: T,
      last_assistant_message: 'all done',
      notify: NOTIFY,
    });
  });

  it("the session's own turn → idle with the last message; a side thread changes nothing", () => {
    const running = fold([HOOKS.start, HOOKS.prompt]);
    const mine = fold([notifyAsHook(NOTIFY)], running);
    expect(mine.agent?.status).toBe('idle');
    expect(mine.agent?.notes?.lastMessage).toBe('all done');
    const side = fold([notifyAsHook({ ...NOTIFY, 'thread-id': 'side-thread' })], running);
    expect(side.agent?.status).toBe('running');
  });

  it('other notify types change no state', () => {
    const running = fold([HOOKS.start, HOOKS.prompt]);
    expect(
      fold([notifyAsHook({ ...NOTIFY, type: 'approval-requested' })], running).agent?.status,
    ).toBe('running');
  });
});
