/**
 * Immutable helpers shared by the event folds: the recent-events ring, blocker set
 * updates and the agent report implied by a status-bearing event.
 */
import type { AgentReport, Blocker, EventFold, LaneEvent } from '../types.js';
import { setOwn } from './util.js';
import { kindOf, nextActionFor } from './vocab.js';

/** Size of the `recent` ring (events). */
export const RECENT_LIMIT = 50;

/** Most acknowledged steering ids kept (newest). */
export const ACKED_LIMIT = 500;

/** The empty fold: no events seen. */
export const EMPTY_FOLD: EventFold = {
  agent: null,
  blockers: {},
  tests: null,
  acked: [],
  recent: [],
  lastMeaningful: null,
  count: 0,
};

/** `recent` with `ev` appended, keeping the newest {@link RECENT_LIMIT}. */
export function pushRecent(recent: readonly LaneEvent[], ev: LaneEvent): LaneEvent[] {
  const next =
    recent.length >= RECENT_LIMIT ? recent.slice(recent.length - RECENT_LIMIT + 1) : recent.slice();
  next.push(ev);
  return next;
}

/** When an event happened: its own time, else when the board saw it (epoch ms). */
export function eventTime(ev: LaneEvent): number {
  return ev.at ?? ev.source.at;
}

/** A blocker raised by `ev` (source = the event's file/line/name/observe time). */
export function blockerFrom(
  ev: LaneEvent,
  failureClass: string,
  detail: string,
  nextAction?: string,
): Blocker {
  return {
    failureClass,
    detail,
    nextAction: nextAction ?? nextActionFor(failureClass),
    source: ev.source,
    since: eventTime(ev),
  };
}

/** `blockers` with `b` set under its class (a new object). */
export function withBlocker(
  blockers: Readonly<Record<string, Blocker>>,
  b: Blocker,
): Record<string, Blocker> {
  const next: Record<string, Blocker> = {};
  for (const [k, v] of Object.entries(blockers)) setOwn(next, k, v);
  setOwn(next, b.failureClass, b);
  return next;
}

/** `blockers` without the classes `drop` selects (the same object when nothing is dropped). */
export function withoutBlockers(
  blockers: Readonly<Record<string, Blocker>>,
  drop: (failureClass: string) => boolean,
): Readonly<Record<string, Blocker>> {
  const keys = Object.keys(blockers);
  if (!keys.some(drop)) return blockers;
  const next: Record<string, Blocker> = {};
  for (const k of keys) {
    const v = blockers[k];
    if (v && !drop(k)) setOwn(next, k, v);
  }
  return next;
}

/** Changes an event makes to the agent report. */
export interface AgentPatch {
  readonly status: string;
  readonly phase?: string | null;
  readonly sessionId?: string | null;
  readonly workspaceRoot?: string | null;
  readonly notes?: Readonly<Record<string, string>>;
}

/**
 * The agent report after a status-bearing event: status/kind from `patch`, heartbeat =
 * the event time, source = the event; session, workspace and notes carry over from `prev`
 * unless patched. Dialect is the event's.
 */
export function agentFrom(prev: AgentReport | null, ev: LaneEvent, patch: AgentPatch): AgentReport {
  return {
    dialect: ev.dialect,
    status: patch.status,
    kind: kindOf(patch.status),
    phase: patch.phase !== undefined ? patch.phase : (ev.detail ?? ev.name),
    sessionId: patch.sessionId ?? prev?.sessionId ?? null,
    workspaceRoot: patch.workspaceRoot ?? prev?.workspaceRoot ?? null,
    heartbeatAt: eventTime(ev),
    blocker: null,
    notes: { ...(prev?.notes ?? {}), ...(patch.notes ?? {}) },
    extras: {},
    source: ev.source,
  };
}
