/**
 * The board's approval keys (docs/agents.md "Approvals"): `a` opens the permission
 * request the selected lane's agent waits on (`approvals: board`), `y` allows it once,
 * `n` asks for an optional message and then denies it, Esc leaves it unanswered. The
 * decision goes to the runtime through `Controls.approve` (own runtime or the control
 * endpoint); results and failures go to the status line.
 */
import type { ApprovalInput, Controls } from '../runtime/types.js';
import { pendingApproval } from '../state/dialects/index.js';
import { sanitizeText } from '../state/sanitize.js';
import { selectLaneView } from '../state/selectors.js';
import type { BoardState } from '../state/types.js';
import type { UiStore } from './ui-store.js';

type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'info';

/** A request the selected lane waits on (from the store, see `pendingApproval`). */
export interface OpenRequest {
  readonly id: string;
  readonly detail: string;
}

/** The approval commands of one board. */
export interface ApprovalCommands {
  /** `a` on lane `laneId`: open its waiting request, or say that none waits. */
  open(laneId: string): void;
  /** `y` in the request: allow it once. */
  allow(): void;
  /** `n` in the request: open the deny-message prompt. */
  askDeny(): void;
  /** The deny prompt was submitted (`message` may be empty: no message). */
  deny(laneId: string, requestId: string | undefined, message: string): void;
}

/**
 * The request lane `laneId` waits on for the board in `s` (its permission blocker with a
 * pending approval still within its wait, at the store's clock), or null.
 */
export function requestOf(s: BoardState, laneId: string): OpenRequest | null {
  if (s.lanes[laneId] === undefined) return null;
  return pendingApproval(selectLaneView(s, laneId).blockers, s.now);
}

const errText = (e: unknown): string => sanitizeText(e instanceof Error ? e.message : e, 300);

/** Create the approval commands; `requestOf` finds the lane's waiting request. */
export function createApprovalCommands(
  ui: UiStore,
  controls: Controls,
  status: (text: string, tone?: Tone) => void,
  requestOf: (laneId: string) => OpenRequest | null,
): ApprovalCommands {
  const send = (laneId: string, input: ApprovalInput): void => {
    const approve = controls.approve;
    if (approve === undefined) return status('this board cannot answer approvals', 'warn');
    const verb = input.behavior === 'allow' ? 'allow' : 'deny';
    status(`${verb === 'allow' ? 'allowing' : 'denying'} the request of ${laneId}…`);
    void Promise.resolve()
      .then(() => approve(laneId, input))
      .then(
        (r) =>
          r.ok
            ? status(
                `${verb === 'allow' ? 'allowed once' : 'denied'}: ${laneId} ${sanitizeText(r.detail, 200)}`,
                'ok',
              )
            : status(`${verb} ${laneId}: ${sanitizeText(r.reason, 300)}`, 'bad'),
        (e: unknown) => status(`${verb} ${laneId} failed: ${errText(e)}`, 'bad'),
      );
  };
  return {
    open(laneId) {
      const req = requestOf(laneId);
      if (req === null)
        return status(
          `no permission request of ${laneId} waits for the board (needs approvals: board in lanes.yaml and laneboard hooks install)`,
          'warn',
        );
      ui.dispatch({ type: 'status', status: null });
      ui.dispatch({
        type: 'approval',
        approval: { laneId, requestId: req.id, detail: req.detail },
      });
    },
    allow() {
      const a = ui.getState().approval ?? null;
      ui.dispatch({ type: 'approval', approval: null });
      if (a === null) return;
      send(a.laneId, { behavior: 'allow', requestId: a.requestId, by: 'board' });
    },
    askDeny() {
      const a = ui.getState().approval ?? null;
      if (a === null) return ui.dispatch({ type: 'approval', approval: null });
      ui.dispatch({
        type: 'prompt/open',
        laneId: a.laneId,
        purpose: 'deny',
        requestId: a.requestId,
      });
    },
    deny(laneId, requestId, message) {
      send(laneId, {
        behavior: 'deny',
        ...(message !== '' ? { message } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
        by: 'board',
      });
    },
  };
}
