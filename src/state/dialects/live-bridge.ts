/**
 * The tmux-driven live Claude bridge dialect (bridge contract "Foreign dialects" 2):
 * `state.json` with `status: idle|running|blocked|failed`, `session_id`, `tmux_session`,
 * `transcript_path`, `reason` (e.g. `claude_usage_limit`) and `reset_at`, `updated_at`;
 * `result.json` with `sid` (session id), `res` (answer text), `ok`, `finished_at`.
 */
import type { AgentReport, Blocker, ResultReport, Source } from '../types.js';
import type { DocContext } from './context.js';
import { docSource } from './context.js';
import { formatSpan } from '../format.js';
import { isoOf, parseTimestamp } from './time.js';
import { asBool, asString, bounded, clip, isRecord, pickExtras, prop } from './util.js';
import type { JsonRecord } from './util.js';
import { kindOf, nextActionFor } from './vocab.js';

const STATE_KEYS = new Set([
  'status',
  'reason',
  'reset_at',
  'session_id',
  'tmux_session',
  'transcript_path',
  'updated_at',
  'lane',
  'turn',
  'error',
]);

/** live-bridge `reason` values that mean "usage / rate limit reached". */
const LIMIT_REASONS = new Set(['claude_usage_limit', 'usage_limit', 'rate_limit', 'rate_limited']);

/**
 * The usage-limit blocker with a countdown to `resetAt` as seen at `now` (epoch ms):
 * "usage limit; resets in 45m 58s", or "usage limit; reset time passed 2m 5s ago" once
 * due; "usage limit; reset time unknown" when `resetAt` is null.
 */
export function usageLimitBlocker(
  resetAt: number | null,
  now: number,
  source: Source,
  since: number | null,
): Blocker {
  let detail = 'usage limit; reset time unknown';
  let nextAction = nextActionFor('rate_limit');
  if (resetAt !== null && resetAt > now) {
    detail = `usage limit; resets in ${formatSpan(resetAt - now)}`;
  } else if (resetAt !== null) {
    detail = `usage limit; reset time passed ${formatSpan(now - resetAt)} ago`;
    nextAction = 'the limit should have reset: resume the same session (s to steer) or restart (r)';
  }
  return { failureClass: 'rate_limit', detail, nextAction, source, since, resetAt };
}

function turnNote(turn: unknown): string | null {
  if (!isRecord(turn)) return asString(turn);
  const id = asString(prop(turn, 'id'));
  const state = asString(prop(turn, 'state'));
  const started = parseTimestamp(prop(turn, 'started_at'));
  const parts = [
    id !== null ? `#${id}` : null,
    state,
    started !== null ? `since ${isoOf(started)}` : null,
  ];
  const text = parts.filter((x) => x !== null).join(' ');
  return text.length > 0 ? text : null;
}

/** The blocker a live-bridge state implies: usage limit, other `blocked` reason, or failure. */
function liveBlocker(
  raw: JsonRecord,
  status: string,
  source: Source,
  at: number,
  heartbeatAt: number | null,
): Blocker | null {
  const reason = asString(prop(raw, 'reason'));
  const resetAt = parseTimestamp(prop(raw, 'reset_at'));
  if (reason !== null && LIMIT_REASONS.has(reason))
    return usageLimitBlocker(resetAt, at, source, heartbeatAt);
  if (status === 'blocked') {
    const failureClass = reason ?? 'blocked';
    return {
      failureClass,
      detail: `blocked: ${clip(reason ?? 'no reason given', 200)}`,
      nextAction: nextActionFor(failureClass),
      source,
      since: heartbeatAt,
    };
  }
  if (status === 'failed') {
    const error = asString(prop(raw, 'error')) ?? reason;
    const detail = error !== null ? `failed: ${clip(error, 300)}` : 'worker reports failed';
    return {
      failureClass: 'failed',
      detail,
      nextAction: "read the worker's log, then restart (r) or steer (s)",
      source,
      since: heartbeatAt,
    };
  }
  return null;
}

/**
 * Normalize a live-bridge state.json object. A usage-limit `reason` yields a `rate_limit`
 * blocker whose detail counts down from the observe time (`ctx.at`) and carries
 * `resetAt`; {@link agentBlockers} recomputes the countdown at render time.
 */
export function normalizeLiveBridgeState(raw: JsonRecord, ctx: DocContext): AgentReport {
  const source = docSource(ctx);
  const status = asString(prop(raw, 'status')) ?? 'unknown';
  const heartbeatAt = parseTimestamp(prop(raw, 'updated_at'));
  const notes: Record<string, string> = {};
  const tmux = asString(prop(raw, 'tmux_session'));
  const transcript = asString(prop(raw, 'transcript_path'));
  const lane = asString(prop(raw, 'lane'));
  const reason = asString(prop(raw, 'reason'));
  const turn = turnNote(prop(raw, 'turn'));
  if (tmux !== null) notes.tmuxSession = tmux;
  if (transcript !== null) notes.transcriptPath = transcript;
  if (lane !== null) notes.lane = lane;
  if (reason !== null) notes.reason = reason;
  if (turn !== null) notes.turn = turn;
  const extras = pickExtras(raw, STATE_KEYS);
  if (isRecord(prop(raw, 'turn'))) extras.turn = bounded(prop(raw, 'turn'));
  return {
    dialect: 'live-bridge',
    status,
    kind: kindOf(status),
    phase: reason,
    sessionId: asString(prop(raw, 'session_id')),
    workspaceRoot: null,
    heartbeatAt,
    blocker: liveBlocker(raw, status, source, ctx.at, heartbeatAt),
    notes,
    extras,
    source,
  };
}

const RESULT_KEYS = new Set(['ok', 'sid', 'res', 'finished_at', 'session_id']);

/** Normalize a live-bridge result.json object (`sid` → sessionId, `res` → summary). */
export function normalizeLiveBridgeResult(raw: JsonRecord, ctx: DocContext): ResultReport {
  return {
    dialect: 'live-bridge',
    ok: asBool(prop(raw, 'ok')),
    finishedAt: parseTimestamp(prop(raw, 'finished_at')),
    summary: asString(prop(raw, 'res')),
    tests: null,
    failureClass: null,
    detail: null,
    commit: null,
    sessionId: asString(prop(raw, 'sid')) ?? asString(prop(raw, 'session_id')),
    extras: pickExtras(raw, RESULT_KEYS),
    source: docSource(ctx),
  };
}
