/**
 * A headless Claude Code worker's own output (pure): what `claude -p --output-format json`
 * (one `{"type":"result",…}` object) or `--output-format stream-json --verbose` (one JSON
 * object per line: `system`/`init`, `assistant`, `user`, `rate_limit_event`, `result`)
 * printed into the lane's `worker.log`. Field names as recorded from Claude Code 2.1.330
 * against a scripted Messages API server (a 429 ends with `terminal_reason: "api_error"`,
 * `is_error: true`, `api_error_status: 429`, `api_error_type: "rate_limit_error"`,
 * `result: "API Error: Request rejected (429) · …"`, exit code 1); `rate_limit_event`
 * (`rate_limit_info.resetsAt`, epoch seconds) as documented for subscription accounts
 * (an API-key account gets none).
 *
 * {@link headlessOutcome} reads the last run's result; {@link headlessFailureEvent} turns a
 * failed one into a hook-shaped `StopFailure` (`source: "worker output"`), and
 * {@link headlessSuccessEvent} a good one into a `Stop`, folding through the same state
 * table as the live hooks (./hooks.ts).
 */
import { asNumber, asString, clip, isRecord, parseRecordLine, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** What the worker's output says about its last turn. */
export interface HeadlessOutcome {
  readonly sessionId: string | null;
  /** `terminal_reason` (`completed`, `api_error`, …), or null. */
  readonly terminalReason: string | null;
  /** `is_error` of the result. */
  readonly isError: boolean;
  /** `api_error_status` (HTTP status), or null. */
  readonly apiErrorStatus: number | null;
  /** `api_error_type` (`rate_limit_error`, `authentication_error`, …), or null. */
  readonly apiErrorType: string | null;
  /** The `result` text, clipped to 300 chars, or null. */
  readonly text: string | null;
  /** The newest `rate_limit_event`'s `rate_limit_info.resetsAt` (epoch s) when present. */
  readonly resetsAt: number | null;
  /** The result's `uuid`, or null. */
  readonly uuid: string | null;
}

/**
 * The outcome of the last `result` object in `lines` (worker log lines, oldest first;
 * other text — stderr warnings, a worker's own prints — is skipped), with the reset time of
 * a `rate_limit_event` seen since the previous result; null when no result is there (the
 * worker is not a headless Claude Code, or died before printing one). Never throws.
 */
export function headlessOutcome(lines: readonly string[]): HeadlessOutcome | null {
  let out: HeadlessOutcome | null = null;
  let resetsAt: number | null = null;
  for (const line of lines) {
    const row = parseRecordLine(line);
    if (row === null) continue;
    const type = prop(row, 'type');
    if (type === 'rate_limit_event') {
      const info = prop(row, 'rate_limit_info');
      const r = isRecord(info) ? asNumber(prop(info, 'resetsAt')) : null;
      if (r !== null) resetsAt = r;
    } else if (type === 'result') {
      const text = asString(prop(row, 'result'));
      out = {
        sessionId: asString(prop(row, 'session_id')),
        terminalReason: asString(prop(row, 'terminal_reason')),
        isError: prop(row, 'is_error') === true,
        apiErrorStatus: asNumber(prop(row, 'api_error_status')),
        apiErrorType: asString(prop(row, 'api_error_type')),
        text: text !== null ? clip(text, 300) : null,
        resetsAt,
        uuid: asString(prop(row, 'uuid')),
      };
      resetsAt = null;
    }
  }
  return out;
}

/**
 * The `StopFailure` `error` word (the hook vocabulary, ./hooks.ts `stopFailureClass`) for an
 * API error status / type: 429 or `rate_limit_error` → `rate_limit`; 401/403 →
 * `authentication_failed`; 402 → `billing_error`; 5xx or `overloaded_error` →
 * `server_error`; 400/413 → `invalid_request`; else `unknown`.
 */
export function apiErrorWord(status: number | null, type: string | null): string {
  if (status === 429 || (type !== null && /rate_limit/.test(type))) return 'rate_limit';
  if (status === 401 || status === 403 || (type !== null && /auth|permission/.test(type)))
    return 'authentication_failed';
  if (status === 402 || (type !== null && /billing/.test(type))) return 'billing_error';
  if ((status !== null && status >= 500) || (type !== null && /overloaded|api_error/.test(type)))
    return 'server_error';
  if (status === 400 || status === 413 || (type !== null && /invalid_request/.test(type)))
    return 'invalid_request';
  return 'unknown';
}

/**
 * The hook-shaped `StopFailure` line recording a failed headless run, or null when the
 * run did not fail (`is_error` false and no API error status). `exitCode` is the worker's
 * exit code (null: killed by a signal); `now` ISO-8601. Carries `source: "worker output"`,
 * `api_error_status`, `exit_code`, `result_uuid` and `reset_at` (ISO-8601) when known.
 */
export function headlessFailureEvent(
  o: HeadlessOutcome,
  exitCode: number | null,
  now: string,
): Record<string, unknown> | null {
  if (!o.isError && o.apiErrorStatus === null) return null;
  return {
    hook_event_name: 'StopFailure',
    session_id: o.sessionId,
    source: 'worker output',
    error: apiErrorWord(o.apiErrorStatus, o.apiErrorType),
    ...(o.text !== null ? { last_assistant_message: o.text } : {}),
    ...(o.apiErrorStatus !== null ? { api_error_status: o.apiErrorStatus } : {}),
    ...(o.terminalReason !== null ? { terminal_reason: o.terminalReason } : {}),
    exit_code: exitCode,
    result_uuid: o.uuid,
    ...(o.resetsAt !== null ? { reset_at: new Date(o.resetsAt * 1000).toISOString() } : {}),
    received_at: now,
  };
}

/**
 * The hook-shaped `Stop` line recording a good headless run (`is_error` false, no API
 * error status) with `source: "worker output"`, its `result` text as
 * `last_assistant_message` and the exit code; null for a failed run. Recorded only when
 * the lane's hooks did not report the turn (a lane without hooks), so a good resumed run
 * clears the rate limit of the run before it.
 */
export function headlessSuccessEvent(
  o: HeadlessOutcome,
  exitCode: number | null,
  now: string,
): Record<string, unknown> | null {
  if (o.isError || o.apiErrorStatus !== null) return null;
  return {
    hook_event_name: 'Stop',
    session_id: o.sessionId,
    source: 'worker output',
    ...(o.text !== null ? { last_assistant_message: o.text } : {}),
    exit_code: exitCode,
    result_uuid: o.uuid,
    received_at: now,
  };
}

/** A `rate_limit_event` of `stream-json` output that refused the request. */
export interface RejectedLimit {
  readonly sessionId: string | null;
  /** `rate_limit_info.resetsAt` (epoch seconds). */
  readonly resetsAt: number;
  /** `rate_limit_info.rateLimitType` (`five_hour`, `seven_day`, …), or null. */
  readonly limitType: string | null;
}

/**
 * The refused limit a `stream-json` line reports, or null: a `rate_limit_event` whose
 * `rate_limit_info.status` is `rejected` and which has a numeric `resetsAt` (recorded from
 * 2.1.330 for a subscription account: `{"type":"rate_limit_event","rate_limit_info":
 * {"status":"rejected","resetsAt":…,"rateLimitType":"five_hour",…},"session_id":…}`).
 * `allowed` and `allowed_warning` are informational (the request was served): null.
 */
export function rejectedLimit(row: JsonRecord): RejectedLimit | null {
  if (prop(row, 'type') !== 'rate_limit_event') return null;
  const info = prop(row, 'rate_limit_info');
  if (!isRecord(info) || prop(info, 'status') !== 'rejected') return null;
  const resetsAt = asNumber(prop(info, 'resetsAt'));
  if (resetsAt === null) return null;
  return {
    sessionId: asString(prop(row, 'session_id')),
    resetsAt,
    limitType: asString(prop(info, 'rateLimitType')),
  };
}

/**
 * The hook-shaped `StopFailure` line recording a refused limit seen in a running worker's
 * output (`error: "rate_limit"`, `source: "worker output"`, `reset_at` ISO-8601), before
 * the turn's `result` arrives. `now` ISO-8601.
 */
export function rejectedLimitEvent(r: RejectedLimit, now: string): Record<string, unknown> {
  const which = r.limitType !== null ? ` (${clip(r.limitType, 40)})` : '';
  return {
    hook_event_name: 'StopFailure',
    session_id: r.sessionId,
    source: 'worker output',
    error: 'rate_limit',
    last_assistant_message: `usage limit reached${which}`,
    reset_at: new Date(r.resetsAt * 1000).toISOString(),
    received_at: now,
  };
}
