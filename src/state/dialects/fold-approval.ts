/**
 * Board approvals in the event fold (docs/agents.md "Approvals"). With `approvals: board`,
 * `laneboard hook` records a PermissionRequest payload with a `laneboard_approval` field
 * (`{"id": "<request id>", "until": "<ISO-8601>"}`) and waits for a decision naming that
 * id; the `permission` blocker it raises carries the request as `approval`. The hook's
 * receipts, native event lines in the same hook events file, end the wait:
 * - `approval.answered` (`data: {id, behavior: "allow"|"deny", message?}`): the agent got
 *   the answer; the permission blocker goes and the agent runs on (allowed: the tool runs;
 *   denied: it goes on with the message);
 * - `approval.expired` (`data: {id}`): no answer in time; the hook gave no decision, so the
 *   agent's own prompt decides — the blocker stays, without `approval`.
 * Receipts naming another request than the pending one change nothing. Pure.
 */
import type { Blocker, EventFold, LaneEvent, PendingApproval } from '../types.js';
import { agentFrom, withBlocker, withoutBlockers } from './fold-base.js';
import { parseTimestamp } from './time.js';
import { asString, clip, isRecord, prop } from './util.js';

/** The receipt event names (written by `laneboard hook`, src/cli/hook-approval.ts). */
export const APPROVAL_ANSWERED = 'approval.answered';
export const APPROVAL_EXPIRED = 'approval.expired';

/** Field of a recorded PermissionRequest payload naming the request the hook waits on. */
export const APPROVAL_FIELD = 'laneboard_approval';

/** Longest request id accepted (characters). */
const MAX_ID = 100;

/** Next action shown on a permission blocker the board can answer. */
const APPROVAL_NEXT_ACTION =
  'answer it from the board (a: y allow once, n deny) or laneboard approve|deny <lane>';

/**
 * The request a recorded PermissionRequest payload (`raw`) waits on, or null (no
 * `laneboard_approval`, or a malformed one: an id that is not a non-empty string ≤ 100
 * characters). `until` is null when missing or not a timestamp. Never throws.
 */
export function approvalOf(raw: unknown): PendingApproval | null {
  const a = isRecord(raw) ? prop(raw, APPROVAL_FIELD) : undefined;
  if (!isRecord(a)) return null;
  const id = asString(prop(a, 'id'));
  if (id === null || id === '' || id.length > MAX_ID) return null;
  return { id, until: parseTimestamp(prop(a, 'until')) };
}

/** True for the receipt events this module folds. */
export function isApprovalEvent(ev: LaneEvent): boolean {
  return ev.name === APPROVAL_ANSWERED || ev.name === APPROVAL_EXPIRED;
}

/**
 * The permission blocker `b` with the pending request attached (and its next action),
 * or `b` itself when `approval` is null.
 */
export function withApproval(b: Blocker, approval: PendingApproval | null): Blocker {
  return approval === null ? b : { ...b, approval, nextAction: APPROVAL_NEXT_ACTION };
}

/**
 * True when `b` is a board-answerable request still waited on at `now` (epoch ms): it
 * has an `approval` whose `until` (when known) has not passed.
 */
function isAnswerable(b: Blocker, now: number): boolean {
  const a = b.approval;
  return a !== undefined && (a.until === null || a.until > now);
}

/** Fold one approval receipt (see the module doc). Never throws, never mutates `fold`. */
export function foldApproval(fold: EventFold, ev: LaneEvent): EventFold {
  const id = isRecord(ev.data) ? asString(prop(ev.data, 'id')) : null;
  const pending = fold.blockers.permission;
  if (id === null || pending?.approval?.id !== id) return fold;
  if (ev.name === APPROVAL_EXPIRED) {
    const { approval: _gone, ...rest } = pending;
    const next: Blocker = {
      ...rest,
      nextAction: "answer the agent's own prompt in its session (the board's wait ended)",
    };
    return { ...fold, blockers: withBlocker(fold.blockers, next) };
  }
  const behavior = isRecord(ev.data) ? asString(prop(ev.data, 'behavior')) : null;
  const blockers = withoutBlockers(fold.blockers, (c) => c === 'permission');
  const what = clip(pending.detail.replace(/^permission requested: /, ''), 200);
  const phase = `${behavior === 'allow' ? 'allowed' : 'denied'} from the board: ${what}`;
  const agent =
    fold.agent?.status === 'tool_permission_required'
      ? agentFrom(fold.agent, ev, { status: 'running', phase })
      : fold.agent;
  return { ...fold, blockers, agent };
}

/** A request the operator can answer now, as the board and the runtime see it. */
export interface AnswerableRequest {
  readonly id: string;
  /** The blocker's text, e.g. `permission requested: Bash: rm -rf build` (untrusted). */
  readonly detail: string;
  /** Until when the hook waits (epoch ms), when known. */
  readonly until: number | null;
}

/**
 * The lane's request the board can answer at `now` (epoch ms), from its blockers (a
 * LaneView's `blockers`), or null when none waits for the board. Never throws.
 */
export function pendingApproval(
  blockers: readonly Blocker[],
  now: number,
): AnswerableRequest | null {
  for (const b of blockers) {
    if (b.failureClass !== 'permission' || b.approval === undefined || !isAnswerable(b, now))
      continue;
    return { id: b.approval.id, detail: b.detail, until: b.approval.until };
  }
  return null;
}
