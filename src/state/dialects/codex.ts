/**
 * Codex CLI specifics (pure), as recorded from Codex CLI 0.171.0 against a scripted
 * Responses API server:
 *
 * - The rollout file (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<session>.jsonl`,
 *   the hooks' `transcript_path`): one JSON record per line; a turn ends with
 *   `{"type":"event_msg","payload":{"type":"task_complete","turn_id":…,
 *   "last_agent_message":…,"error":{"message":…,"codex_error_info":{…}}|absent,
 *   "completed_at":<epoch s>}}`. A failed turn fires no hook (Codex has no `StopFailure`):
 *   a 429 shows only as `error: {message: "exceeded retry limit, last status: 429 Too Many
 *   Requests", codex_error_info: {response_too_many_failed_attempts: {http_status_code:
 *   429}}}`. {@link lastTurnFailure} finds it; {@link codexErrorClass} classifies it.
 * - The legacy `notify` program (config `notify = [argv…]`): Codex appends one JSON
 *   argument `{"type":"agent-turn-complete","thread-id","turn-id","cwd","client",
 *   "input-messages":[…],"last-assistant-message"}` after each finished turn — also for
 *   side threads (subagents, side conversations), whose `thread-id` is not the session's.
 *   {@link notifyAsHook} turns it into a hook-shaped payload (`hook_event_name:
 *   "CodexNotify"`) so it folds like `Stop`, side threads left without effect.
 */
import { CODEX_NOTIFY, stopFailureClass } from './hooks.js';
import { asNumber, asString, clip, isRecord, parseRecordLine, prop } from './util.js';
import type { JsonRecord } from './util.js';

/** A failed Codex turn, as its rollout records it. */
export interface CodexTurnFailure {
  readonly turnId: string | null;
  /** Failure class: rate_limit, auth, billing, server_error, invalid_request or infra. */
  readonly failureClass: string;
  /** `error.message`, clipped to 300 chars. */
  readonly message: string;
  /** HTTP status found in `codex_error_info` (e.g. 429), or null. */
  readonly httpStatus: number | null;
  /** `completed_at` as ISO-8601, or null. */
  readonly at: string | null;
  /** `codex_error_info` as recorded (an object, a string, or null). */
  readonly info: unknown;
}

function findStatus(x: unknown, depth = 0): number | null {
  if (depth > 4 || !isRecord(x)) return null;
  const direct = asNumber(prop(x, 'http_status_code')) ?? asNumber(prop(x, 'status_code'));
  if (direct !== null) return direct;
  for (const v of Object.values(x)) {
    const n = findStatus(v, depth + 1);
    if (n !== null) return n;
  }
  return null;
}

/**
 * Failure class of a Codex turn error (`task_complete.error`): by the HTTP status in
 * `codex_error_info` when there is one (429 → rate_limit, 401/403 → auth, 402 → billing,
 * 5xx → server_error, 400/413 → invalid_request), else by the names in `codex_error_info`
 * (`usage_limit_exceeded` → rate_limit, `unauthorized` → auth, `internal_server_error` /
 * `server_overloaded` → server_error, `bad_request` / `context_window_exceeded` →
 * invalid_request), else by the message ({@link stopFailureClass}); `infra` otherwise.
 */
export function codexErrorClass(error: unknown): string {
  if (!isRecord(error)) return 'infra';
  const info = prop(error, 'codex_error_info');
  const status = findStatus(info);
  if (status !== null) return stopFailureClass(String(status));
  const names = isRecord(info) ? Object.keys(info).join(' ') : (asString(info) ?? '');
  if (/usage_limit|rate_limit|quota/i.test(names)) return 'rate_limit';
  if (/unauthori[sz]ed|auth/i.test(names)) return 'auth';
  if (/server|overload/i.test(names)) return 'server_error';
  if (/bad_request|context_window|invalid/i.test(names)) return 'invalid_request';
  return stopFailureClass(asString(prop(error, 'message')));
}

/**
 * The last `task_complete` among rollout `lines` (raw text, oldest first; unparsable or
 * foreign lines are skipped), as a failure when it carries an `error`; null when the last
 * completed turn succeeded or there is none. Never throws.
 */
export function lastTurnFailure(lines: readonly string[]): CodexTurnFailure | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!line.includes('task_complete')) continue;
    const rec = parseRecordLine(line);
    if (rec === null || prop(rec, 'type') !== 'event_msg') continue;
    const p = prop(rec, 'payload');
    if (!isRecord(p) || prop(p, 'type') !== 'task_complete') continue;
    const error = prop(p, 'error');
    if (!isRecord(error)) return null;
    const info = prop(error, 'codex_error_info') ?? null;
    const done = asNumber(prop(p, 'completed_at'));
    return {
      turnId: asString(prop(p, 'turn_id')),
      failureClass: codexErrorClass(error),
      message: clip(asString(prop(error, 'message')) ?? 'turn failed', 300),
      httpStatus: findStatus(info),
      at: done !== null ? new Date(done * 1000).toISOString() : null,
      info,
    };
  }
  return null;
}

/**
 * The native LaneEvent line laneboard records for a failed Codex turn: `lane.blocked`
 * (rate_limit) or `lane.failed` (other classes) with that `failureClass`, detail `Codex
 * turn failed: <message>`, `emittedAt` = the turn's end (else `now`), and `data` naming the
 * source (`codex rollout task_complete.error`), the turn, the status and the rollout path.
 */
export function turnFailureEvent(
  f: CodexTurnFailure,
  rollout: string,
  now: string,
): Record<string, unknown> {
  const blocked = f.failureClass === 'rate_limit';
  return {
    event: blocked ? 'lane.blocked' : 'lane.failed',
    status: blocked ? 'blocked' : 'failed',
    failureClass: f.failureClass,
    detail: `Codex turn failed: ${f.message}`,
    emittedAt: f.at ?? now,
    data: {
      source: 'codex rollout task_complete.error',
      turnId: f.turnId,
      httpStatus: f.httpStatus,
      codexErrorInfo: f.info,
      rollout,
    },
  };
}

/** True when `x` is a Codex `notify` payload (`type` + `thread-id`). */
export function isCodexNotify(x: unknown): x is JsonRecord {
  return isRecord(x) && typeof prop(x, 'type') === 'string' && prop(x, 'thread-id') !== undefined;
}

/**
 * A Codex `notify` payload as a hook-shaped record: `hook_event_name` {@link CODEX_NOTIFY},
 * `notify_type` (e.g. `agent-turn-complete`), `session_id` = `thread-id`, `turn_id`,
 * `cwd`, `last_assistant_message`, and the original under `notify`.
 */
export function notifyAsHook(n: JsonRecord): Record<string, unknown> {
  return {
    hook_event_name: CODEX_NOTIFY,
    notify_type: asString(prop(n, 'type')),
    session_id: asString(prop(n, 'thread-id')),
    turn_id: asString(prop(n, 'turn-id')),
    cwd: asString(prop(n, 'cwd')),
    last_assistant_message: asString(prop(n, 'last-assistant-message')),
    notify: n,
  };
}
