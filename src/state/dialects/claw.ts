/**
 * claw-code's worker state file (`.claw/worker-state.json`, or written as `state.json`):
 * snake_case `worker_id, status, is_ready, trust_gate_cleared, prompt_in_flight,
 * last_event{seq,kind,status,detail,payload,timestamp}, updated_at (epoch s),
 * seconds_since_update`. Also renders claw-code's `blocked.*` subphases (claw-code
 * `BlockedSubphase`, ROADMAP §6.5) as readable text.
 */
import type { AgentReport } from '../types.js';
import type { DocContext } from './context.js';
import { docSource } from './context.js';
import { formatSpan } from '../format.js';
import { isoOf, parseTimestamp } from './time.js';
import {
  asBool,
  asCount,
  asNumber,
  asString,
  clip,
  compactJson,
  isRecord,
  pickExtras,
  prop,
} from './util.js';
import type { JsonRecord } from './util.js';
import { kindOf } from './vocab.js';

const KEYS = new Set([
  'worker_id',
  'status',
  'is_ready',
  'trust_gate_cleared',
  'prompt_in_flight',
  'last_event',
  'updated_at',
  'seconds_since_update',
]);

/** Status when the file has none: ready_for_prompt if `is_ready`, else unknown. */
function statusOf(raw: JsonRecord): string {
  const s = asString(prop(raw, 'status'));
  if (s !== null) return s;
  return asBool(prop(raw, 'is_ready')) === true ? 'ready_for_prompt' : 'unknown';
}

/**
 * Normalize a claw-code worker state object. `heartbeatAt` = `updated_at` (or observe
 * time minus `seconds_since_update`); `notes.since` (ISO) = when the current status began:
 * `last_event.timestamp` when that event has the current status, else the heartbeat —
 * {@link agentBlockers} uses it for the "trust_required > 60 s" stall rule.
 */
export function normalizeClawWorkerState(raw: JsonRecord, ctx: DocContext): AgentReport {
  const status = statusOf(raw);
  const ago = asNumber(prop(raw, 'seconds_since_update'));
  const heartbeatAt =
    parseTimestamp(prop(raw, 'updated_at')) ??
    (ago !== null && ago >= 0 ? ctx.at - Math.round(ago * 1000) : null);
  const notes: Record<string, string> = {};
  const workerId = asString(prop(raw, 'worker_id'));
  if (workerId !== null) notes.workerId = workerId;
  for (const [key, note] of [
    ['is_ready', 'ready'],
    ['trust_gate_cleared', 'trustGateCleared'],
    ['prompt_in_flight', 'promptInFlight'],
  ] as const) {
    const b = asBool(prop(raw, key));
    if (b !== null) notes[note] = String(b);
  }
  let phase: string | null = null;
  let since = heartbeatAt;
  const ev = prop(raw, 'last_event');
  if (isRecord(ev)) {
    const kind = asString(prop(ev, 'kind'));
    const detail = asString(prop(ev, 'detail'));
    phase = detail ?? kind;
    if (kind !== null || detail !== null)
      notes.lastEvent = [kind, detail].filter((x) => x !== null).join(': ');
    const evAt = parseTimestamp(prop(ev, 'timestamp'));
    if (evAt !== null && (asString(prop(ev, 'status')) ?? kind) === status) since = evAt;
  }
  if (since !== null) notes.since = isoOf(since);
  return {
    dialect: 'claw-code',
    status,
    kind: kindOf(status),
    phase,
    sessionId: null,
    workspaceRoot: null,
    heartbeatAt,
    blocker: null,
    notes,
    extras: pickExtras(raw, KEYS),
    source: docSource(ctx),
  };
}

/** claw-code failure class implied by a blocked subphase, for `lane.blocked` events without one. */
export const SUBPHASE_CLASS: Readonly<Record<string, string>> = {
  'blocked.trust_prompt': 'trust_gate',
  'blocked.prompt_delivery': 'prompt_delivery',
  'blocked.plugin_init': 'plugin_startup',
  'blocked.mcp_handshake': 'mcp_handshake',
  'blocked.branch_freshness': 'branch_divergence',
  'blocked.test_hang': 'test',
};

function attemptText(x: JsonRecord): string {
  const n = asCount(prop(x, 'attempt'));
  return n === null ? '' : ` (attempt ${n})`;
}

/** One subphase entry (`name`, its payload) as text. Unknown subphases render compactly. */
function renderOne(name: string, payload: unknown): string {
  const p: JsonRecord = isRecord(payload) ? payload : {};
  const str = (k: string): string => clip(asString(prop(p, k)) ?? '?', 120);
  switch (name) {
    case 'blocked.trust_prompt':
      return `trust prompt waiting: ${str('gate_repo')}`;
    case 'blocked.prompt_delivery':
      return `prompt delivery failed${attemptText(p)}`;
    case 'blocked.plugin_init':
      return `plugin init failed: ${str('plugin_name')}`;
    case 'blocked.mcp_handshake':
      return `MCP handshake failed: ${str('server_name')}${attemptText(p)}`;
    case 'blocked.branch_freshness':
      return `branch behind main by ${asCount(prop(p, 'behind_main')) ?? '?'}`;
    case 'blocked.test_hang': {
      const secs = asCount(prop(p, 'elapsed_secs'));
      const test = asString(prop(p, 'test_name'));
      return `tests hanging${secs !== null ? ` for ${formatSpan(secs * 1000)}` : ''}${test ? `: ${clip(test, 120)}` : ''}`;
    }
    case 'blocked.report_pending': {
      const secs = asCount(prop(p, 'since_secs'));
      return `report pending${secs !== null ? ` for ${formatSpan(secs * 1000)}` : ''}`;
    }
    default:
      return `blocked at ${clip(name.slice('blocked.'.length), 60)}${isRecord(payload) || Array.isArray(payload) ? ` ${compactJson(payload, 100)}` : ''}`;
  }
}

/**
 * The `blocked.*` subphases found among the first 50 keys of an event's `data`, rendered
 * readably (e.g. `{"blocked.mcp_handshake":{"attempt":1,"server_name":"test-server"}}` →
 * `MCP handshake failed: test-server (attempt 1)`), and the first subphase name. Also
 * looks one level into `data.subphase`. Returns null when there is none.
 */
export function renderSubphases(
  data: unknown,
  nested = true,
): { text: string; first: string } | null {
  if (!isRecord(data)) return null;
  const inner = nested ? prop(data, 'subphase') : undefined;
  if (isRecord(inner)) {
    const found = renderSubphases(inner, false);
    if (found) return found;
  }
  const names = Object.keys(data)
    .slice(0, 50)
    .filter((k) => k.startsWith('blocked.'));
  const first = names[0];
  if (first === undefined) return null;
  return {
    text: names
      .slice(0, 3)
      .map((k) => renderOne(k, data[k]))
      .join('; '),
    first,
  };
}
