/**
 * Gemini CLI hook payloads (pure). Source: the published hooks reference of
 * google-gemini/gemini-cli (`docs/hooks/reference.md`) and its hook system source
 * (`fireToolNotificationEvent` → `Notification` with `notification_type:
 * "ToolPermission"`, `message` and `details` = the serialized tool confirmation details:
 * `{type:"exec", title, command, rootCommand}`, `{type:"edit", title, fileName, filePath,
 * …}`, `{type:"mcp", serverName, toolName, …}`, `{type:"info", urls}`, `{type:"ask_user",
 * …}`); fired only when a confirmation dialog is really shown. Base fields of every event:
 * `session_id, transcript_path, cwd, hook_event_name, timestamp`. Gemini CLI has no error
 * and no interrupt event: a failed or interrupted turn leaves the last state standing.
 *
 * Events → meaning: SessionStart (`source`) → ready (shared with Claude Code);
 * BeforeAgent (`prompt`) → running; BeforeTool / AfterTool (`tool_name`, `tool_input`) →
 * running with the tool; AfterAgent (`prompt_response`) → idle (like Stop);
 * Notification ToolPermission → permission blocker with the tool and its command / file
 * (`ask_user` → input_required); SessionEnd → finished (shared); BeforeModel, AfterModel
 * (per streamed chunk), BeforeToolSelection, PreCompress → no state change.
 */
import type { HookMeaning } from './hooks.js';
import { promptMeaning, toolBrief, turnEndMeaning } from './hooks.js';
import { asString, clip, isRecord, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** Gemini CLI events that are chatter (tool / model traffic): never the lane's "last event". */
export const GEMINI_CHATTER: ReadonlySet<string> = new Set([
  'BeforeTool',
  'AfterTool',
  'BeforeModel',
  'AfterModel',
  'BeforeToolSelection',
]);

/** Gemini CLI events that end a turn successfully (fold like Claude Code's Stop). */
export const GEMINI_TURN_END = 'AfterAgent';

/** One line about a tool confirmation's `details` (title and command / file / server / url). */
function permissionBrief(details: JsonRecord, message: string | null): string {
  const title = asString(prop(details, 'title')) ?? asString(prop(details, 'toolName'));
  const urls = prop(details, 'urls');
  const what =
    asString(prop(details, 'command')) ??
    asString(prop(details, 'filePath')) ??
    asString(prop(details, 'fileName')) ??
    asString(prop(details, 'serverName')) ??
    (Array.isArray(urls) ? asString(urls[0]) : null);
  const parts = [
    title !== null ? clip(title, 60) : null,
    what !== null ? clip(what.replace(/\s+/g, ' '), 100) : null,
  ]
    .filter((x) => x !== null)
    .join(': ');
  return parts.length > 0 ? parts : clip(message ?? 'tool', 160);
}

/**
 * Meaning of a Gemini CLI hook payload named `name`, or null when the name is not a
 * Gemini-only event (SessionStart, SessionEnd and other Notification types are left to
 * the shared Claude Code mapping).
 */
export function geminiMeaning(name: string, raw: JsonRecord): HookMeaning | null {
  switch (name) {
    case 'BeforeAgent':
      return promptMeaning(raw);
    case 'BeforeTool':
    case 'AfterTool':
      return { status: 'running', failureClass: null, detail: toolBrief(raw) };
    case GEMINI_TURN_END:
      return turnEndMeaning(raw, 'prompt_response');
    case 'BeforeModel':
    case 'AfterModel':
    case 'BeforeToolSelection':
    case 'PreCompress':
      return { status: null, failureClass: null, detail: null };
    case 'Notification': {
      if (asString(prop(raw, 'notification_type')) !== 'ToolPermission') return null;
      const details = prop(raw, 'details');
      const d = isRecord(details) ? details : {};
      const message = asString(prop(raw, 'message'));
      if (asString(prop(d, 'type')) === 'ask_user')
        return {
          status: 'idle',
          failureClass: 'input_required',
          detail: clip(message ?? 'question for you', 300),
        };
      return {
        status: 'tool_permission_required',
        failureClass: 'permission',
        detail: `permission requested: ${permissionBrief(d, message)}`,
      };
    }
    default:
      return null;
  }
}
