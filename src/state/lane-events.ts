/**
 * Lane events in words, for `laneboard serve`'s stderr log: given the lane views before
 * and after a store update, one line per change an operator cares about — worker state
 * (with pid / exit code), agent status, tests, blockers raised and cleared, a new last
 * event, steering delivery — plus new board notices. Pure; untrusted text is sanitized
 * (src/state/sanitize.ts) and each line is at most ~300 code points.
 */
import { sanitizeText } from './sanitize.js';
import type { LaneView } from './view-types.js';

const MAX = 200;

function worker(v: LaneView): string {
  const w = v.worker;
  if (w.state === 'running' || w.state === 'starting')
    return w.pid === null ? w.state : `${w.state} pid ${w.pid}`;
  if (w.state === 'exited')
    return `exited ${w.signal !== null ? `by ${w.signal}` : `code ${w.exitCode ?? '?'}`}`;
  if (w.state === 'backoff') return `backoff (restart in ${w.nextStartInMs ?? '?'} ms)`;
  if (w.state === 'parked')
    return w.nextStartInMs === null
      ? 'parked (rate limited)'
      : `parked (rate limited; resume in ${w.nextStartInMs} ms)`;
  if (w.error !== null && (w.state === 'failed_to_start' || w.state === 'crash_loop'))
    return `${w.state}: ${sanitizeText(w.error, MAX)}`;
  return w.state;
}

/**
 * Lines (without the `lane <id>:` prefix) describing what changed on one lane between
 * `prev` (null: the lane is new) and `next`. Same view twice ⇒ no lines.
 */
function laneChanges(prev: LaneView | null, next: LaneView): string[] {
  const out: string[] = [];
  const w = worker(next);
  if (prev === null || worker(prev) !== w) {
    if (!(prev === null && w === 'none')) out.push(`worker ${w}`);
  }
  if (next.agent.status !== null && next.agent.status !== (prev?.agent.status ?? null))
    out.push(`agent ${sanitizeText(next.agent.status, MAX)}`);
  const t = next.tests;
  if (t.status !== 'unknown' && (prev === null || prev.tests.status !== t.status))
    out.push(`tests ${t.status}${t.level !== null ? ` (${sanitizeText(t.level, 40)})` : ''}`);
  const before = new Set(prev?.blockers.map((b) => b.failureClass) ?? []);
  const after = new Set(next.blockers.map((b) => b.failureClass));
  for (const b of next.blockers) {
    if (!before.has(b.failureClass))
      out.push(
        `blocked ${sanitizeText(b.failureClass, 60)}: ${sanitizeText(b.detail, MAX)} (next: ${sanitizeText(b.nextAction, 80)})`,
      );
  }
  for (const c of before) if (!after.has(c)) out.push(`blocker cleared ${sanitizeText(c, 60)}`);
  const e = next.lastEvent;
  const pe = prev?.lastEvent ?? null;
  if (e !== null && (pe === null || pe.name !== e.name || pe.at !== e.at)) {
    const detail = e.detail !== null ? `: ${sanitizeText(e.detail, MAX)}` : '';
    out.push(`event ${sanitizeText(e.name, 80)}${detail}`);
  }
  const seen = new Map(prev?.steering.map((m) => [m.id, m.delivery]) ?? []);
  for (const m of next.steering) {
    const was = seen.get(m.id);
    if (was === m.delivery) continue;
    const err = m.error !== null ? `: ${sanitizeText(m.error, MAX)}` : '';
    out.push(`steer ${m.id} ${m.delivery}${err}`);
  }
  return out;
}

/** A board notice as held by the store (compared by identity: the store keeps the objects). */
type Notice = { readonly message: string };

/**
 * Every change between two sets of lane views, as `lane <id>: <change>` lines in lane
 * order, followed by `notice: <message>` for each notice object in `nextNotices` that is
 * not in `prevNotices` (the store keeps the newest notices only, so counts do not work).
 */
export function boardChanges(
  prev: readonly LaneView[],
  next: readonly LaneView[],
  prevNotices: readonly Notice[],
  nextNotices: readonly Notice[],
): string[] {
  const before = new Map(prev.map((v) => [v.id, v]));
  const out: string[] = [];
  for (const v of next) {
    for (const line of laneChanges(before.get(v.id) ?? null, v)) out.push(`lane ${v.id}: ${line}`);
  }
  const old = new Set(prevNotices);
  for (const n of nextNotices) if (!old.has(n)) out.push(`notice: ${sanitizeText(n.message, 500)}`);
  return out;
}
