/**
 * Claude Code hook payloads (`{session_id, transcript_path, cwd, hook_event_name, …}`, one
 * per line; `laneboard hook` adds `received_at`, the shell capture wraps the payload as
 * `{"received_at":…,"payload":{…}}`). Classifies each hook into an agent status, a failure
 * class and a readable detail (bridge contract "Foreign dialects" 3; field names as
 * recorded from Claude Code 2.1.330; the full table per agent family is docs/agents.md).
 * Codex CLI hooks use the same payload shape and names (plus `Interrupt`).
 */
import { asString, clip, isRecord, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** What a hook payload means for the lane. */
export interface HookMeaning {
  /**
   * Agent status it implies (`ready`, `running`, `idle`, `waiting_for_input`,
   * `interrupted`, `tool_permission_required`, `blocked`, `failed`, `finished`), or null.
   */
  readonly status: string | null;
  /**
   * Blocker class it raises (`permission`, `input_required`, `rate_limit`, `auth`,
   * `billing`, `server_error`, `invalid_request`, `infra`), or null.
   */
  readonly failureClass: string | null;
  readonly detail: string | null;
}

/**
 * The hook name a Codex `notify` payload (`agent-turn-complete`) is recorded under
 * (./codex.ts `notifyAsHook`): it means what `Stop` means.
 */
export const CODEX_NOTIFY = 'CodexNotify';

/** Hook events that are tool chatter, not "meaningful" (they still mean "running"). */
export const TOOL_HOOKS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse']);

/**
 * One short line about a tool call: its command / file / pattern / url / description,
 * whitespace folded, clipped (tool name ≤ 60 chars, value ≤ 100). Control characters are
 * left to the renderer's sanitizer.
 */
export function toolBrief(raw: JsonRecord): string {
  const tool = clip(asString(prop(raw, 'tool_name')) ?? 'tool', 60);
  const input = prop(raw, 'tool_input');
  if (!isRecord(input)) return tool;
  for (const key of [
    'command',
    'file_path',
    'absolute_path',
    'pattern',
    'url',
    'description',
    'path',
  ]) {
    const v = asString(prop(input, key));
    if (v !== null) return `${tool}: ${clip(v.replace(/\s+/g, ' '), 100)}`;
  }
  return tool;
}

/** A prompt was submitted (`prompt`, clipped to one line): running. Shared with Gemini CLI. */
export function promptMeaning(raw: JsonRecord): HookMeaning {
  const prompt = asString(prop(raw, 'prompt'));
  return {
    status: 'running',
    failureClass: null,
    detail:
      prompt !== null ? `prompt: ${clip(prompt.replace(/\s+/g, ' '), 120)}` : 'prompt submitted',
  };
}

/** A turn ended well: idle, with the agent's last message from field `key` as the detail. */
export function turnEndMeaning(raw: JsonRecord, key: string): HookMeaning {
  const msg = asString(prop(raw, key));
  return {
    status: 'idle',
    failureClass: null,
    detail: msg !== null ? clip(msg, 300) : 'turn finished',
  };
}

const PERMISSION_RE = /permission/i;
const INPUT_RE = /waiting for (your )?input|needs your input|awaiting (your )?input/i;

function notificationMeaning(raw: JsonRecord): HookMeaning {
  const type = asString(prop(raw, 'notification_type'));
  const message = asString(prop(raw, 'message'));
  const detail = message !== null ? clip(message, 300) : type;
  const permission: HookMeaning = {
    status: 'tool_permission_required',
    failureClass: 'permission',
    detail: detail ?? 'permission requested',
  };
  // idle_prompt: "waiting for your input", sent messageIdleNotifThresholdMs (60 s) after
  // Stop or StopFailure. The agent waits for you; nothing is broken (no blocker).
  const waiting: HookMeaning = {
    status: 'waiting_for_input',
    failureClass: null,
    detail: detail ?? 'waiting for your input',
  };
  if (type === 'permission_prompt') return permission;
  if (type === 'idle_prompt') return waiting;
  if (type === 'elicitation_dialog')
    return { status: 'idle', failureClass: 'input_required', detail: detail ?? 'input requested' };
  if (message !== null && PERMISSION_RE.test(message)) return permission;
  if (message !== null && INPUT_RE.test(message)) return waiting;
  return { status: null, failureClass: null, detail };
}

/**
 * Claude Code StopFailure `error` values (2.1.330: rate_limit, authentication_failed,
 * oauth_org_not_allowed, billing_error, invalid_request, server_error, max_output_tokens,
 * unknown) → failure class. Unknown values → `infra`.
 */
export function stopFailureClass(error: string | null): string {
  if (error === null) return 'infra';
  if (/rate.?limit|usage.?limit|429/i.test(error)) return 'rate_limit';
  if (/auth|oauth|401|403/i.test(error)) return 'auth';
  if (/billing|credit|402/i.test(error)) return 'billing';
  if (/server|overload|5\d\d/i.test(error)) return 'server_error';
  if (/invalid.?request|400|413/i.test(error)) return 'invalid_request';
  return 'infra';
}

function stopFailureMeaning(raw: JsonRecord): HookMeaning {
  const error = asString(prop(raw, 'error'));
  const message = asString(prop(raw, 'last_assistant_message'));
  const text = [error, message !== null ? clip(message, 300) : null]
    .filter((x) => x !== null)
    .join(': ');
  const failureClass = stopFailureClass(error);
  return {
    status: failureClass === 'rate_limit' ? 'blocked' : 'failed',
    failureClass,
    detail: text.length > 0 ? text : 'turn failed',
  };
}

/**
 * Meaning of a hook payload by `hook_event_name` (`name`): SessionStart→ready;
 * UserPromptSubmit / PreToolUse / PostToolUse(Failure) / SubagentStart→running;
 * Notification→permission (permission_prompt), waiting_for_input without a blocker
 * (idle_prompt), input_required (elicitation_dialog), else by message text;
 * PermissionRequest→permission with the tool and its command/file; Stop→idle (detail =
 * `last_assistant_message`; Codex `notify` agent-turn-complete, recorded as CodexNotify, the
 * same); StopFailure→rate_limit / auth / billing / server_error /
 * invalid_request / infra by `error` ({@link stopFailureClass}); Interrupt (Codex)→
 * interrupted; SessionEnd→finished; anything else → no status change.
 */
export function hookMeaning(name: string, raw: JsonRecord): HookMeaning {
  switch (name) {
    case 'SessionStart': {
      const src = asString(prop(raw, 'source'));
      return {
        status: 'ready',
        failureClass: null,
        detail: `session started${src ? ` (${clip(src, 40)})` : ''}`,
      };
    }
    case 'UserPromptSubmit':
      return promptMeaning(raw);
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return { status: 'running', failureClass: null, detail: toolBrief(raw) };
    case 'Notification':
      return notificationMeaning(raw);
    case 'PermissionRequest':
      return {
        status: 'tool_permission_required',
        failureClass: 'permission',
        detail: `permission requested: ${toolBrief(raw)}`,
      };
    case 'Stop':
      return turnEndMeaning(raw, 'last_assistant_message');
    case CODEX_NOTIFY:
      if (asString(prop(raw, 'notify_type')) !== 'agent-turn-complete')
        return { status: null, failureClass: null, detail: null };
      return turnEndMeaning(raw, 'last_assistant_message');
    case 'StopFailure':
      return stopFailureMeaning(raw);
    case 'Interrupt':
      return { status: 'interrupted', failureClass: null, detail: 'interrupted by the user' };
    case 'SessionEnd': {
      const reason = asString(prop(raw, 'reason'));
      return {
        status: 'finished',
        failureClass: null,
        detail: `session ended${reason ? ` (${clip(reason, 40)})` : ''}`,
      };
    }
    default:
      return { status: null, failureClass: null, detail: null };
  }
}
