/**
 * The runtime side of board approvals ({@link Controls.approve}; docs/agents.md
 * "Approvals"): finds the request the lane's PermissionRequest hook waits on (from the
 * store: the lane's `permission` blocker with a pending `approval`, still within its
 * `until`), and appends the operator's decision to the lane's `approvals.jsonl`
 * (./bridge/approvals-file.ts), where the hook reads it. The hook records the receipt
 * (`approval.answered`), which clears the request on every board. A request is answered
 * once: a second decision for the same id from this runtime is refused.
 */
import { pendingApproval } from '../state/dialects/index.js';
import { selectLaneView } from '../state/selectors.js';
import type { BoardStore } from '../state/store.js';
import { appendDecision, MAX_DENY_MESSAGE } from './bridge/approvals-file.js';
import type { ApprovalInput, ApprovalResult, Clock } from './types.js';

/** What the approver reads and where it writes. */
export interface ApproverDeps {
  readonly store: BoardStore;
  /** Apply queued store actions first (the freshest view of the lane). */
  readonly flush: () => void;
  /** The lane's bridge dir, or undefined for an unknown lane. */
  readonly bridgeOf: (laneId: string) => string | undefined;
  readonly clock: Clock;
}

/** Create {@link Controls.approve} over `deps`. The function never rejects. */
export function createApprover(
  deps: ApproverDeps,
): (laneId: string, decision: ApprovalInput) => Promise<ApprovalResult> {
  const answered = new Set<string>();
  return async (laneId, input) => {
    const bridge = deps.bridgeOf(laneId);
    if (bridge === undefined)
      return { ok: false, reason: `unknown lane ${JSON.stringify(laneId)}` };
    deps.flush();
    const now = deps.clock.now();
    const state = deps.store.getState();
    if (state.lanes[laneId] === undefined)
      return { ok: false, reason: `unknown lane ${JSON.stringify(laneId)}` };
    const pending = pendingApproval(selectLaneView(state, laneId).blockers, now);
    if (pending === null || answered.has(pending.id))
      return { ok: false, reason: `no permission request is waiting for the board on ${laneId}` };
    if (input.requestId !== undefined && input.requestId !== pending.id)
      return {
        ok: false,
        reason: `request ${input.requestId} is not waiting on ${laneId} (waiting: ${pending.id})`,
      };
    const message = input.message?.trim().slice(0, MAX_DENY_MESSAGE);
    try {
      await appendDecision(bridge, {
        id: pending.id,
        behavior: input.behavior,
        ...(input.behavior === 'deny' && message ? { message } : {}),
        decidedAt: new Date(now).toISOString(),
        by: input.by ?? 'board',
      });
    } catch (err) {
      return {
        ok: false,
        reason: `cannot write the decision: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    answered.add(pending.id);
    return { ok: true, id: pending.id, detail: pending.detail };
  };
}
