/**
 * Dialect detection by shape (bridge contract "Foreign dialects … detected by shape").
 * Only top-level keys are inspected; nothing recurses.
 */
import type { Dialect } from '../types.js';
import type { JsonRecord } from './util.js';
import { prop } from './util.js';

function has(raw: JsonRecord, keys: readonly string[]): boolean {
  return keys.some((k) => prop(raw, k) !== undefined);
}

function schemaIs(raw: JsonRecord, prefix: string): boolean {
  const s = prop(raw, 'schema');
  return typeof s === 'string' && s.startsWith(prefix);
}

/**
 * Dialect of a state document, or null when nothing identifies it. Order: native `schema`
 * (`laneboard.state/…`); claw-code (`worker_id`, `is_ready`, `trust_gate_cleared`,
 * `last_event`, `prompt_in_flight`, `seconds_since_update`); native camelCase
 * (`updatedAt`, `sessionId`, `workspaceRoot`); live-bridge (`session_id`, `tmux_session`,
 * `updated_at`, `reason`, `reset_at`); finally any object with a `status` is read as native.
 */
export function detectStateDialect(raw: JsonRecord): Dialect | null {
  if (schemaIs(raw, 'laneboard.state/')) return 'native';
  if (
    has(raw, [
      'worker_id',
      'is_ready',
      'trust_gate_cleared',
      'last_event',
      'prompt_in_flight',
      'seconds_since_update',
    ])
  ) {
    return 'claw-code';
  }
  if (has(raw, ['updatedAt', 'sessionId', 'workspaceRoot'])) return 'native';
  if (
    has(raw, ['session_id', 'tmux_session', 'updated_at', 'reason', 'reset_at', 'transcript_path'])
  )
    return 'live-bridge';
  if (has(raw, ['status'])) return 'native';
  return null;
}

/**
 * Dialect of a result document, or null. Native `schema` (`laneboard.result/…`) or
 * camelCase fields (`finishedAt`, `tests`, `failureClass`, `summary`); live-bridge
 * (`sid`, `res`, `finished_at`); finally any object with `ok` is read as native.
 */
export function detectResultDialect(raw: JsonRecord): Dialect | null {
  if (schemaIs(raw, 'laneboard.result/')) return 'native';
  if (has(raw, ['finishedAt', 'tests', 'failureClass', 'summary'])) return 'native';
  if (has(raw, ['sid', 'res', 'finished_at'])) return 'live-bridge';
  if (has(raw, ['ok'])) return 'native';
  return null;
}
