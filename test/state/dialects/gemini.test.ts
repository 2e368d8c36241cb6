/**
 * Gemini CLI hook payloads → lane state. Payload shapes from the Gemini CLI hooks
 * reference (google-gemini/gemini-cli docs/hooks/reference.md: base fields session_id,
 * transcript_path, cwd, hook_event_name, timestamp) and its Notification source
 * (notification_type "ToolPermission", message, details = the tool confirmation details).
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FOLD,
  foldEvent,
  isMeaningful,
  normalizeEvent,
} from '../../../src/state/dialects/index.js';
import type { EventFold, LaneEvent } from '../../../src/state/types.js';

const base = {
  session_id: 'g-1',
  transcript_path: '/home/dev/.gemini/tmp/x/chats/session-g-1.json',
  cwd: '/wt/a',
  timestamp: '2026-12-05T10:00:00.000Z',
};
const G = {
  start: { ...base, hook_event_name: 'SessionStart', source: 'startup' },
  before: { ...base, hook_event_name: 'BeforeAgent', prompt: 'fix the failing test' },
  model: {
    ...base,
    hook_event_name: 'BeforeModel',
    llm_request: { model: 'gemini-2.5-pro', messages: [] },
  },
  tool: {
    ...base,
    hook_event_name: 'BeforeTool',
    tool_name: 'run_shell_command',
    tool_input: { command: 'npm test', description: 'run tests' },
  },
  read: {
    ...base,
    hook_event_name: 'AfterTool',
    tool_name: 'read_file',
    tool_input: { absolute_path: '/wt/a/src/x.ts' },
    tool_response: { llmContent: '…' },
  },
  askExec: {
    ...base,
    hook_event_name: 'Notification',
    notification_type: 'ToolPermission',
    message: 'Tool Run shell command requires execution',
    details: {
      type: 'exec',
      title: 'Run shell command',
      command: 'rm -rf build',
      rootCommand: 'rm',
    },
  },
  askEdit: {
    ...base,
    hook_event_name: 'Notification',
    notification_type: 'ToolPermission',
    message: 'Tool Edit File requires editing',
    details: {
      type: 'edit',
      title: 'Edit File',
      fileName: 'test.txt',
      filePath: '/wt/a/test.txt',
      isModifying: true,
    },
  },
  askUser: {
    ...base,
    hook_event_name: 'Notification',
    notification_type: 'ToolPermission',
    message: 'Which database should I use?',
    details: { type: 'ask_user', title: 'Question' },
  },
  after: {
    ...base,
    hook_event_name: 'AfterAgent',
    prompt: 'fix the failing test',
    prompt_response: 'Fixed: 3 passed.',
    stop_hook_active: false,
  },
  end: { ...base, hook_event_name: 'SessionEnd', reason: 'exit' },
};

const ev = (raw: Record<string, unknown>, line = 1): LaneEvent => {
  const e = normalizeEvent(raw, {
    file: 'hook-events.jsonl',
    line,
    at: 1_000 + line,
    dialect: 'auto',
  });
  if ('error' in e) throw new Error(e.error);
  return e;
};
const fold = (lines: Record<string, unknown>[], start: EventFold = EMPTY_FOLD): EventFold =>
  lines.reduce((f, raw, i) => foldEvent(f, ev(raw, i + 1), { worktreePaths: ['/wt/a'] }), start);

describe('Gemini CLI hooks → lane state', () => {
  it('SessionStart ready, BeforeAgent running with the prompt, BeforeTool running with the tool', () => {
    expect(fold([G.start]).agent?.status).toBe('ready');
    expect(fold([G.start, G.before]).agent).toMatchObject({
      status: 'running',
      phase: 'prompt: fix the failing test',
    });
    expect(fold([G.start, G.before, G.tool]).agent?.phase).toBe('run_shell_command: npm test');
    expect(fold([G.start, G.before, G.read]).agent?.phase).toBe('read_file: /wt/a/src/x.ts');
  });

  it('model and tool traffic is chatter: it never becomes the last meaningful event', () => {
    expect(isMeaningful(ev(G.model))).toBe(false);
    expect(isMeaningful(ev(G.tool))).toBe(false);
    expect(isMeaningful(ev(G.after))).toBe(true);
    expect(fold([G.start, G.before, G.model]).agent?.status).toBe('running');
  });

  it('Notification ToolPermission → permission blocker naming the tool and its command or file', () => {
    const f = fold([G.start, G.before, G.askExec]);
    expect(f.agent?.status).toBe('tool_permission_required');
    expect(f.blockers.permission?.detail).toBe(
      'permission requested: Run shell command: rm -rf build',
    );
    expect(fold([G.start, G.before, G.askEdit]).blockers.permission?.detail).toBe(
      'permission requested: Edit File: /wt/a/test.txt',
    );
  });

  it('the tool running after the prompt clears the permission blocker', () => {
    const f = fold([G.start, G.before, G.askExec, G.tool]);
    expect(f.agent?.status).toBe('running');
    expect(f.blockers).toEqual({});
  });

  it('ask_user → waiting on you (input_required), not a permission', () => {
    const f = fold([G.start, G.before, G.askUser]);
    expect(Object.keys(f.blockers)).toEqual(['input_required']);
  });

  it('AfterAgent → idle with prompt_response as the last message; SessionEnd → finished', () => {
    const f = fold([G.start, G.before, G.askExec, G.tool, G.after]);
    expect(f.agent).toMatchObject({ status: 'idle', notes: { lastMessage: 'Fixed: 3 passed.' } });
    expect(fold([G.end], f).agent?.status).toBe('finished');
  });

  it('other Notification types fall back to the shared mapping (no state change)', () => {
    const f = fold([
      G.start,
      G.before,
      { ...base, hook_event_name: 'Notification', notification_type: 'Other', message: 'hello' },
    ]);
    expect(f.agent?.status).toBe('running');
  });
});
