/**
 * Blockers an agent report implies at a given time: its own blocker plus time-derived
 * ones (trust prompt stall, live usage-limit countdown) and status-derived ones
 * (tool permission). The workspace check of `workspaceRoot` is done by the selectors.
 */
import type { AgentReport, Blocker } from '../types.js';
import { usageLimitBlocker } from './live-bridge.js';
import { formatStallAge } from '../format.js';
import { parseTimestamp } from './time.js';
import { nextActionFor } from './vocab.js';

/** claw-code roadmap stall rule: `trust_required` for longer than this (ms) is a stall. */
export const TRUST_STALL_MS = 60_000;

/** When the report's current status began (notes.since, ISO), else its heartbeat. */
function statusSince(report: AgentReport): number | null {
  const since = report.notes.since;
  return (since !== undefined ? parseTimestamp(since) : null) ?? report.heartbeatAt;
}

/**
 * Blockers of `report` at `now` (epoch ms), at most one per failure class:
 * - the report's own blocker (native `blocker` as given; a live-bridge `rate_limit`
 *   blocker is recomputed so its detail counts down to `resetAt`: "usage limit; resets in
 *   45m 58s");
 * - `trust_required` for more than 60 s since the status began ⇒ `trust_gate` stall
 *   ("trust prompt unanswered for 74 s");
 * - `tool_permission_required` without an own permission blocker ⇒ `permission`.
 * Returns [] for a report with nothing blocking. Never throws.
 */
export function agentBlockers(report: AgentReport, now: number): Blocker[] {
  const out: Blocker[] = [];
  const own = report.blocker;
  if (own) {
    const live =
      report.dialect === 'live-bridge' && own.failureClass === 'rate_limit' && own.resetAt != null;
    out.push(live ? usageLimitBlocker(own.resetAt ?? null, now, own.source, own.since) : own);
  }
  const has = (c: string): boolean => out.some((b) => b.failureClass === c);
  if (report.status === 'trust_required' && !has('trust_gate')) {
    const since = statusSince(report);
    if (since !== null && now - since > TRUST_STALL_MS) {
      out.push({
        failureClass: 'trust_gate',
        detail: `trust prompt unanswered for ${formatStallAge(now - since)}`,
        nextAction: nextActionFor('trust_gate'),
        source: report.source,
        since,
      });
    }
  }
  if (report.status === 'tool_permission_required' && !has('permission')) {
    out.push({
      failureClass: 'permission',
      detail: report.phase ?? 'agent is waiting for permission to use a tool',
      nextAction: nextActionFor('permission'),
      source: report.source,
      since: statusSince(report),
    });
  }
  return out;
}
