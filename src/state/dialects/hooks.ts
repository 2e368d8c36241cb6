/**
 * Claude Code hook payloads (`{session_id, transcript_path, cwd, hook_event_name, …}`, one
 * per line; `laneboard hook` adds `received_at`). Classifies each hook into an agent
 * status, a failure class and a readable detail (bridge contract "Foreign dialects" 3;
 * field names as recorded from Claude Code 2.1.330, see the fixtures' README).
 */
import { asString, clip, isRecord, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** What a hook payload means for the lane. */
export interface HookMeaning {
  /** Agent status it implies (`ready`, `running`, `idle`, `tool_permission_required`, `blocked`, `failed`, `finished`), or null. */
  readonly status: string | null;
  /** Blocker class it raises (`permission`, `input_required`, `rate_limit`, `infra`), or null. */
  readonly failureClass: string | null;
  readonly detail: string | null;
}

/** Hook events that are tool chatter, not "meaningful" (they still mean "running"). */
export const TOOL_HOOKS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse']);

/** One short line about a tool call: its command / file / pattern / url / description. */
export function toolBrief(raw: JsonRecord): string {
  const tool = clip(asString(prop(raw, 'tool_name')) ?? 'tool', 60);
  const input = prop(raw, 'tool_input');
  if (!isRecord(input)) return tool;
  for (const key of ['command', 'file_path', 'pattern', 'url', 'description', 'path']) {
    const v = asString(prop(input, key));
    if (v !== null) return `${tool}: ${clip(v.replace(/\s+/g, ' '), 100)}`;
  }
  return tool;
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
  const input: HookMeaning = {
    status: 'idle',
    failureClass: 'input_required',
    detail: detail ?? 'waiting for input',
  };
  if (type === 'permission_prompt') return permission;
  if (type === 'idle_prompt' || type === 'elicitation_dialog') return input;
  if (message !== null && PERMISSION_RE.test(message)) return permission;
  if (message !== null && INPUT_RE.test(message)) return input;
  return { status: null, failureClass: null, detail };
}

function stopFailureMeaning(raw: JsonRecord): HookMeaning {
  const error = asString(prop(raw, 'error'));
  const message = asString(prop(raw, 'last_assistant_message'));
  const text = [error, message !== null ? clip(message, 300) : null]
    .filter((x) => x !== null)
    .join(': ');
  if (error !== null && /rate.?limit|usage.?limit|429/i.test(error)) {
    return { status: 'blocked', failureClass: 'rate_limit', detail: text };
  }
  return {
    status: 'failed',
    failureClass: 'infra',
    detail: text.length > 0 ? text : 'turn failed',
  };
}

/**
 * Meaning of a hook payload by `hook_event_name` (`name`): SessionStart→ready;
 * UserPromptSubmit / PreToolUse / PostToolUse(Failure)→running; Notification→permission or
 * input_required by `notification_type` (or message text); PermissionRequest→permission;
 * Stop→idle (detail = `last_assistant_message`); StopFailure→rate_limit when `error`
 * says so, else failed/infra; SessionEnd→finished; anything else → no status change.
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
    case 'UserPromptSubmit': {
      const prompt = asString(prop(raw, 'prompt'));
      return {
        status: 'running',
        failureClass: null,
        detail:
          prompt !== null
            ? `prompt: ${clip(prompt.replace(/\s+/g, ' '), 120)}`
            : 'prompt submitted',
      };
    }
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
    case 'Stop': {
      const msg = asString(prop(raw, 'last_assistant_message'));
      return {
        status: 'idle',
        failureClass: null,
        detail: msg !== null ? clip(msg, 300) : 'turn finished',
      };
    }
    case 'StopFailure':
      return stopFailureMeaning(raw);
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
