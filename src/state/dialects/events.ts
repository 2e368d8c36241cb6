/**
 * One events-file line → {@link LaneEvent}: claw-code / native LaneEvent lines (`event,
 * status, emittedAt, failureClass, detail, data, metadata`), the board's
 * `steer.acknowledged`, and agent hook payloads (`hook_event_name`: Claude Code, Codex CLI,
 * Gemini CLI — ./hooks.ts, ./gemini.ts).
 */
import type { LaneEvent, Source } from '../types.js';
import type { EventContext, ReadError } from './context.js';
import { jsonType } from './context.js';
import { geminiMeaning } from './gemini.js';
import { CODEX_NOTIFY, hookMeaning } from './hooks.js';
import { isPiCrewEvent, piCrewMeaning } from './pi-crew.js';
import { parseTimestamp } from './time.js';
import { asString, bounded, boundedRecord, clip, isRecord, prop } from './util.js';
import type { JsonRecord } from './util.js';

function sourceOf(ctx: EventContext, name: string, via?: string): Source {
  // Line 0 = unknown (the board began reading a large file from its end).
  const src: Source =
    ctx.line > 0
      ? { file: ctx.file, at: ctx.at, line: ctx.line, event: name }
      : { file: ctx.file, at: ctx.at, event: name };
  return via === undefined ? src : { ...src, via };
}

/** A hook-shaped line's `source` when laneboard recorded it from another source. */
const RECORDED_FROM: ReadonlySet<string> = new Set(['transcript', 'worker output']);

/**
 * Who said what an events line reports ({@link Source.via}): a hook-shaped payload is
 * `hook` unless laneboard recorded it from another source — its `source` is
 * `"transcript"` or `"worker output"` (a hook's own `source`, e.g. SessionStart's
 * `"startup"`, is neither) — or it is Codex's `notify` (`CodexNotify`): `notify`; a native
 * line whose `data.source` starts with `codex rollout` is `rollout`. Undefined when the
 * line names no agent-side source.
 */
function viaOf(raw: JsonRecord, hook: string | null): string | undefined {
  if (hook !== null) {
    const s = prop(raw, 'source');
    if (typeof s === 'string' && RECORDED_FROM.has(s)) return s;
    return hook === CODEX_NOTIFY ? 'notify' : 'hook';
  }
  const data = prop(raw, 'data');
  const s = isRecord(data) ? prop(data, 'source') : undefined;
  return typeof s === 'string' && s.startsWith('codex rollout') ? 'rollout' : undefined;
}

function laneEvent(raw: JsonRecord, name: string, ctx: EventContext): LaneEvent {
  const metadata = prop(raw, 'metadata');
  const dialect =
    name === 'steer.acknowledged'
      ? 'native'
      : isRecord(metadata) || ctx.dialect === 'claw-code'
        ? 'claw-code'
        : 'native';
  const at =
    parseTimestamp(prop(raw, 'emittedAt')) ??
    parseTimestamp(prop(raw, 'emitted_at')) ??
    (isRecord(metadata) ? parseTimestamp(prop(metadata, 'timestamp_ms')) : null) ??
    parseTimestamp(prop(raw, 'time'));
  const data = prop(raw, 'data');
  return {
    dialect,
    name,
    status: asString(prop(raw, 'status')),
    at,
    failureClass: asString(prop(raw, 'failureClass')) ?? asString(prop(raw, 'failure_class')),
    detail: asString(prop(raw, 'detail')) ?? asString(prop(raw, 'message')),
    data: data === undefined ? null : bounded(data),
    source: sourceOf(ctx, name, viaOf(raw, null)),
  };
}

function hookEvent(
  raw: JsonRecord,
  hook: string,
  ctx: EventContext,
  receivedAt: unknown = undefined,
): LaneEvent {
  const name = `hook.${clip(hook, 100)}`;
  const meaning = geminiMeaning(hook, raw) ?? hookMeaning(hook, raw);
  return {
    dialect: 'claude-hooks',
    name,
    status: meaning.status,
    at:
      parseTimestamp(receivedAt) ??
      parseTimestamp(prop(raw, 'received_at')) ??
      parseTimestamp(prop(raw, 'receivedAt')) ??
      ctx.at,
    failureClass: meaning.failureClass,
    detail: meaning.detail,
    data: boundedRecord(raw),
    source: sourceOf(ctx, name, viaOf(raw, hook)),
  };
}

/** A pi-crew TeamEvent line as a native LaneEvent (./pi-crew.ts), timed by its `time`. */
function piCrewEvent(raw: JsonRecord, ctx: EventContext): LaneEvent {
  const m = piCrewMeaning(raw);
  return {
    dialect: 'native',
    name: m.name,
    status: m.status,
    at: parseTimestamp(prop(raw, 'time')) ?? ctx.at,
    failureClass: m.failureClass,
    detail: m.detail,
    data: boundedRecord(raw),
    source: sourceOf(ctx, m.name),
  };
}

/**
 * A line of the shell capture hook (docs/agents.md "Capture"): `{"received_at":…,
 * "payload":<stdin>}` — a hook event, or an error for an empty / non-object payload.
 * Null when `raw` is not a capture line.
 */
function captured(raw: JsonRecord, ctx: EventContext): LaneEvent | ReadError | null {
  if (prop(raw, 'event') !== undefined || prop(raw, 'hook_event_name') !== undefined) return null;
  const received = prop(raw, 'received_at');
  const payload = prop(raw, 'payload');
  if (received === undefined || payload === undefined) return null;
  if (payload === null) return { error: 'hook capture received no payload on stdin' };
  if (!isRecord(payload))
    return { error: `hook capture payload is not a JSON object (got ${jsonType(payload)})` };
  const hook = asString(prop(payload, 'hook_event_name'));
  if (hook === null) return { error: 'hook capture payload has no "hook_event_name"' };
  return hookEvent(payload, hook, ctx, received);
}

/**
 * Normalize one JSON-parsed events line. Detected by shape whatever `ctx.dialect` says
 * (the shapes are disjoint): a string `hook_event_name` is a Claude Code hook payload
 * (name `hook.<HookEventName>`, time from `received_at`/`receivedAt` else `ctx.at`,
 * `data` = the whole payload); a shell-capture line `{"received_at","payload"}` is that
 * payload timed at `received_at`; a pi-crew TeamEvent (`type` + `runId`) is mapped to a
 * native lane event (./pi-crew.ts); an `event` name is a claw-code/native LaneEvent (time from
 * `emittedAt` — RFC 3339 or epoch seconds — else `metadata.timestamp_ms`, else null; a
 * line with `metadata` or read under the `claw-code` setting is dialect claw-code).
 * Unknown names and statuses are kept verbatim; `data` values pass through `bounded`
 * (pathologically deep or large values become a marker string). Returns `{error}` for a non-object or a
 * line with neither name. Never throws.
 */
export function normalizeEvent(raw: unknown, ctx: EventContext): LaneEvent | ReadError {
  if (!isRecord(raw)) return { error: `event is not a JSON object (got ${jsonType(raw)})` };
  const cap = captured(raw, ctx);
  if (cap !== null) return cap;
  const hook = asString(prop(raw, 'hook_event_name'));
  if (hook !== null) return hookEvent(raw, hook, ctx);
  if (isPiCrewEvent(raw)) return piCrewEvent(raw, ctx);
  const name = asString(prop(raw, 'event'));
  if (name !== null) return laneEvent(raw, clip(name, 200), ctx);
  return { error: 'event has no "event" name and no "hook_event_name"' };
}
