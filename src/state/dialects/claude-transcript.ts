/**
 * Claude Code transcript reading (pure), as recorded from Claude Code 2.1.330 against a
 * scripted Messages API server. The transcript (the hooks' `transcript_path`,
 * `~/.claude/projects/<dir>/<session>.jsonl`) holds one JSON record per line; the ones
 * that matter here:
 *
 * - a user prompt: `{"type":"user","message":{"role":"user","content":"<text>"|[…]},…}`
 *   (rows whose content is only `tool_result` blocks, and `isMeta` rows, are not prompts);
 * - an API error that ended the turn: `{"type":"assistant","isApiErrorMessage":true,
 *   "error":"rate_limit","apiErrorStatus":429,"message":{…text of the error…},"uuid":…}`
 *   (the same `error` vocabulary as the `StopFailure` hook);
 * - an Esc interrupt: a user row whose text starts with `[Request interrupted by user`
 *   (`… for tool use]` while a tool ran). Claude Code fires no hook on Esc.
 *
 * {@link lastTurnOutcome} finds how the last turn ended; {@link transcriptEvent} turns it
 * into a hook-shaped payload (`StopFailure` or `Interrupt`, `source: "transcript"`) that
 * folds through the same state table as the live hooks.
 */
import { asNumber, asString, clip, isRecord, parseRecordLine, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** How the last turn of a transcript ended, when it did not end normally. */
export type TranscriptOutcome =
  | {
      readonly kind: 'api_error';
      /** Transcript row uuid (null when absent). */
      readonly uuid: string | null;
      /** The row's `error` (e.g. `rate_limit`, `authentication_failed`). */
      readonly error: string;
      /** `apiErrorStatus` (HTTP status, e.g. 429), or null. */
      readonly status: number | null;
      /** The error text shown to the user, clipped to 300 chars, or null. */
      readonly text: string | null;
      /** `rate_limit_info.resetsAt` (epoch seconds) when present (subscription accounts). */
      readonly resetsAt: number | null;
    }
  | { readonly kind: 'interrupted'; readonly uuid: string | null };

/** The marker Claude Code writes as a user row on an Esc interrupt. */
const INTERRUPT_MARKER = '[Request interrupted by user';

function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts = content
    .filter((b): b is JsonRecord => isRecord(b) && prop(b, 'type') === 'text')
    .map((b) => asString(prop(b, 'text')) ?? '');
  return texts.length > 0 ? texts.join('\n') : null;
}

/**
 * How the last turn in `lines` (transcript lines, oldest first; unparsable lines are
 * skipped) ended: an API error row or an interrupt marker after the last prompt, else
 * null (a normal answer, no turn, or not a Claude Code transcript). Never throws.
 */
export function lastTurnOutcome(lines: readonly string[]): TranscriptOutcome | null {
  let outcome: TranscriptOutcome | null = null;
  for (const line of lines) {
    const row = parseRecordLine(line);
    if (row === null) continue;
    const type = prop(row, 'type');
    const message = prop(row, 'message');
    const uuid = asString(prop(row, 'uuid'));
    if (type === 'assistant') {
      if (prop(row, 'isApiErrorMessage') === true) {
        const info = prop(row, 'rate_limit_info');
        outcome = {
          kind: 'api_error',
          uuid,
          error: asString(prop(row, 'error')) ?? 'unknown',
          status: asNumber(prop(row, 'apiErrorStatus')),
          text: isRecord(message)
            ? (() => {
                const t = textOf(prop(message, 'content'));
                return t !== null ? clip(t, 300) : null;
              })()
            : null,
          resetsAt: isRecord(info) ? asNumber(prop(info, 'resetsAt')) : null,
        };
      } else outcome = null;
    } else if (type === 'user' && isRecord(message) && prop(row, 'isMeta') !== true) {
      const text = textOf(prop(message, 'content'));
      if (text === null) continue; // tool results only
      outcome = text.startsWith(INTERRUPT_MARKER) ? { kind: 'interrupted', uuid } : null;
    }
  }
  return outcome;
}

/**
 * The hook-shaped payload recording `outcome` for session `sessionId` at `now`
 * (ISO-8601): `StopFailure` (`error`, `last_assistant_message`, `api_error_status`,
 * `reset_at` as ISO-8601 when known) or `Interrupt`, each with `source: "transcript"` and
 * `transcript_uuid`.
 */
export function transcriptEvent(
  outcome: TranscriptOutcome,
  sessionId: string | null,
  now: string,
): Record<string, unknown> {
  const base = {
    session_id: sessionId,
    source: 'transcript',
    transcript_uuid: outcome.uuid,
    received_at: now,
  };
  if (outcome.kind === 'interrupted') return { hook_event_name: 'Interrupt', ...base };
  return {
    hook_event_name: 'StopFailure',
    ...base,
    error: outcome.error,
    ...(outcome.text !== null ? { last_assistant_message: outcome.text } : {}),
    ...(outcome.status !== null ? { api_error_status: outcome.status } : {}),
    ...(outcome.resetsAt !== null
      ? { reset_at: new Date(outcome.resetsAt * 1000).toISOString() }
      : {}),
  };
}

/**
 * True when `eventLines` (the lane's hook events, oldest first, either shape: the capture's
 * `{"received_at","payload":{…}}` or `laneboard hook`'s flat payload) already report the
 * end of session `sessionId`'s last turn: a `StopFailure` or `Interrupt` of that session
 * after its last `UserPromptSubmit`, or a line carrying `transcriptUuid`. Never throws.
 */
export function alreadyReported(
  eventLines: readonly string[],
  sessionId: string | null,
  transcriptUuid: string | null,
): boolean {
  let reported = false;
  for (const line of eventLines) {
    const row = parseRecordLine(line);
    if (row === null) continue;
    const inner = prop(row, 'payload');
    const p = isRecord(inner) ? inner : row;
    if (transcriptUuid !== null && prop(p, 'transcript_uuid') === transcriptUuid) return true;
    if (sessionId !== null && prop(p, 'session_id') !== sessionId) continue;
    const name = prop(p, 'hook_event_name');
    if (name === 'UserPromptSubmit') reported = false;
    else if (name === 'StopFailure' || name === 'Interrupt') reported = true;
  }
  return reported;
}
