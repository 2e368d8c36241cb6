/**
 * Entry points for whole bridge documents (state.json, result.json,
 * `.claw/worker-state.json`): pick the dialect (setting or shape) and normalize.
 */
import type { AgentReport, ResultReport } from '../types.js';
import { normalizeClawWorkerState } from './claw.js';
import type { DocContext, ReadError } from './context.js';
import { jsonType } from './context.js';
import { detectResultDialect, detectStateDialect } from './detect.js';
import { normalizeLiveBridgeResult, normalizeLiveBridgeState } from './live-bridge.js';
import { normalizeNativeResult, normalizeNativeState } from './native.js';
import { isRecord, prop } from './util.js';

function hasNativeSchema(raw: Readonly<Record<string, unknown>>): boolean {
  const s = prop(raw, 'schema');
  return typeof s === 'string' && s.startsWith('laneboard.');
}

/**
 * Normalize a JSON-parsed state document into an {@link AgentReport}.
 * `ctx.dialect` `native` / `claw-code` / `live-bridge` forces that reader (except that a
 * `schema: "laneboard.…"` document is always native); `auto` (and `claude-hooks`, which
 * has no state file) detects by shape. Returns `{error}` when `raw`
 * is not a JSON object or no dialect's fields are present. Never throws.
 */
export function normalizeStateDoc(raw: unknown, ctx: DocContext): AgentReport | ReadError {
  if (!isRecord(raw))
    return { error: `state document is not a JSON object (got ${jsonType(raw)})` };
  const forced = ctx.dialect === 'auto' || ctx.dialect === 'claude-hooks' ? null : ctx.dialect;
  const detected = detectStateDialect(raw);
  // An explicit laneboard schema wins over the lane's setting (it cannot be misread).
  const dialect = hasNativeSchema(raw) ? 'native' : (forced ?? detected);
  switch (dialect) {
    case 'native':
      return normalizeNativeState(raw, ctx);
    case 'claw-code':
      return normalizeClawWorkerState(raw, ctx);
    case 'live-bridge':
      return normalizeLiveBridgeState(raw, ctx);
    default:
      return { error: 'unrecognized state document: no status and no field of a known dialect' };
  }
}

/**
 * Normalize claw-code's `.claw/worker-state.json`: detected by shape like any state
 * document, read as claw-code when nothing identifies it. Same error contract as
 * {@link normalizeStateDoc}.
 */
export function normalizeClawState(raw: unknown, ctx: DocContext): AgentReport | ReadError {
  if (!isRecord(raw)) return { error: `worker state is not a JSON object (got ${jsonType(raw)})` };
  return detectStateDialect(raw) === null
    ? normalizeClawWorkerState(raw, ctx)
    : normalizeStateDoc(raw, { ...ctx, dialect: 'auto' });
}

/**
 * Normalize a JSON-parsed result document into a {@link ResultReport}: native
 * (`laneboard.result/…`) or live-bridge (`sid`, `res`, `finished_at`). `ctx.dialect`
 * `native` / `live-bridge` forces the reader; other settings detect by shape. Returns
 * `{error}` for a non-object or an unrecognizable document. Never throws.
 */
export function normalizeResultDoc(raw: unknown, ctx: DocContext): ResultReport | ReadError {
  if (!isRecord(raw))
    return { error: `result document is not a JSON object (got ${jsonType(raw)})` };
  const forced = ctx.dialect === 'native' || ctx.dialect === 'live-bridge' ? ctx.dialect : null;
  const dialect = forced ?? detectResultDialect(raw);
  if (dialect === 'native') return normalizeNativeResult(raw, ctx);
  if (dialect === 'live-bridge') return normalizeLiveBridgeResult(raw, ctx);
  return { error: 'unrecognized result document: none of ok, summary, tests, sid, res' };
}
