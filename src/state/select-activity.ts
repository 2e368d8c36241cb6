/**
 * What an agent is doing right now, in one line, for the board's ACTIVITY column: the
 * phase the agent reports (native `state.json` `phase`, claw-code phases), else its last
 * tool call (Claude Code hook payloads `PreToolUse` / `PostToolUse`, shown as
 * `tool: command/file`), else its last message (`Stop` hook `last_assistant_message`), else
 * the detail of its last meaningful event. Pure; the text is untrusted and sanitized here
 * (one line, no escapes).
 */
import { sanitizeText } from './sanitize.js';
import type { LaneView } from './view-types.js';

/** Longest activity text kept (code points); the column cuts it to its width. */
const ACTIVITY_MAX = 300;

/** Event names that are tool calls (Claude Code hook payloads, see dialects/hooks.ts). */
const TOOL_EVENTS: ReadonlySet<string> = new Set([
  'hook.PreToolUse',
  'hook.PostToolUse',
  'hook.PostToolUseFailure',
]);

/** One piece of activity: where it came from and its text (sanitized, one line). */
export interface Activity {
  readonly kind: 'phase' | 'tool' | 'message' | 'event';
  readonly text: string;
}

/**
 * The activity of a lane view, or null when the agent has said nothing useful. The current
 * agent report's phase comes first (a Claude Code tool hook sets it to the tool call, which
 * is then kind `tool`); then the newest tool call event, the last message, the detail of
 * the last meaningful event.
 */
export function selectActivity(v: LaneView): Activity | null {
  const phase = v.agent.phase !== null ? sanitizeText(v.agent.phase, ACTIVITY_MAX) : '';
  if (phase !== '') {
    const tool = TOOL_EVENTS.has(v.agent.source?.event ?? '');
    return { kind: tool ? 'tool' : 'phase', text: phase };
  }
  for (let i = v.recentEvents.length - 1; i >= 0; i--) {
    const e = v.recentEvents[i];
    if (e === undefined || !TOOL_EVENTS.has(e.name)) continue;
    const text = sanitizeText(e.detail ?? e.name.slice(5), ACTIVITY_MAX);
    if (text !== '') return { kind: 'tool', text };
    break;
  }
  const message = sanitizeText(v.agent.notes.lastMessage ?? '', ACTIVITY_MAX);
  if (message !== '') return { kind: 'message', text: message };
  const detail = sanitizeText(v.lastEvent?.detail ?? '', ACTIVITY_MAX);
  return detail === '' ? null : { kind: 'event', text: detail };
}
