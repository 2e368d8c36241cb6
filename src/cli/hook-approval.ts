/**
 * Board approvals in `laneboard hook` (docs/agents.md "Approvals"). For a
 * `PermissionRequest` on a lane with `approvals: board`, the hook:
 * 1. records the payload with `laneboard_approval: {id, until}` (a new request id, and
 *    until when it waits) — the lane shows "permission requested: <tool>: <command or
 *    file>" with the request (src/state/dialects/fold-approval.ts);
 * 2. waits for a decision naming that id in `<bridge>/approvals.jsonl`
 *    (src/runtime/bridge/approvals-file.ts), watching the bridge dir with fs.watch and
 *    re-reading at least every 250 ms, for at most the hook's own timeout minus a margin
 *    ({@link waitBudgetMs});
 * 3. prints the answer Claude Code and Codex CLI read from a PermissionRequest hook
 *    (one line): `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":
 *    {"behavior":"allow"}}}`, or `"behavior":"deny","message":"…"` — the same shape in
 *    both clients (Codex 0.171.0's `permission-request.command.output` schema: behavior
 *    allow|deny, optional message, no other keys); and records the receipt
 *    `approval.answered` in the lane's hook events;
 * 4. with no decision in time, prints nothing (no decision: the agent's own prompt decides
 *    — never a silent allow) and records `approval.expired`.
 */
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { APPROVAL_ANSWERED, APPROVAL_EXPIRED, APPROVAL_FIELD } from '../state/dialects/index.js';
import { findDecision, type ApprovalDecision } from '../runtime/bridge/approvals-file.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** Hook timeout (seconds) `hooks install` writes for PermissionRequest: 10 minutes. */
export const APPROVAL_HOOK_TIMEOUT_S = 600;
/** Timeout assumed when the hook is not told its own (`--timeout`): Codex's 10 s. */
export const DEFAULT_HOOK_TIMEOUT_S = 10;
/** Longest gap between two reads of the decisions file while waiting (ms). */
const DECISION_POLL_MS = 250;
/** Deny message when the operator gave none. */
const DEFAULT_DENY_MESSAGE = 'Denied by the operator from laneboard.';

/**
 * How long the hook waits for the board (ms) when its own timeout is `timeoutS` seconds:
 * the timeout minus a margin of 10 % (at least 2 s, at most 10 s) for Node start-up, the
 * answer and the receipt. Never below 0.
 */
export function waitBudgetMs(timeoutS: number): number {
  const t = Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_HOOK_TIMEOUT_S;
  const margin = Math.min(10, Math.max(2, t * 0.1));
  return Math.max(0, Math.round((t - margin) * 1000));
}

/**
 * True when the hook should wait for the board: the lane's lanes.yaml entry says
 * `approvals: board` (`fromConfig`), or — routed without lanes.yaml (a supervised worker's
 * `LANEBOARD_BRIDGE_DIR`) — the supervisor set `LANEBOARD_APPROVALS=board`.
 */
export function wantsBoard(fromConfig: string | undefined, env: NodeJS.ProcessEnv): boolean {
  return fromConfig !== undefined ? fromConfig === 'board' : env.LANEBOARD_APPROVALS === 'board';
}

/** A new pending request: its id (`req-` + 16 hex digits) and its `until` (ISO-8601). */
export function newRequest(nowMs: number, waitMs: number): { id: string; until: string } {
  return {
    id: `req-${randomBytes(8).toString('hex')}`,
    until: new Date(nowMs + waitMs).toISOString(),
  };
}

/** The PermissionRequest payload as recorded, with the request the hook waits on. */
export function withRequest(
  payload: Record<string, unknown>,
  request: { id: string; until: string },
): Record<string, unknown> {
  return { ...payload, [APPROVAL_FIELD]: request };
}

/**
 * Wait for the decision on request `id` in `<bridge>/approvals.jsonl` for at most
 * `waitMs`; resolves with it, or null when none came in time. Never rejects.
 */
async function awaitDecision(
  bridge: string,
  id: string,
  waitMs: number,
  pollMs: number = DECISION_POLL_MS,
): Promise<ApprovalDecision | null> {
  const deadline = Date.now() + waitMs;
  let wake: () => void = () => undefined;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(bridge, (_e, name) => {
      if (name === null || String(name) === BRIDGE_FILE.approvals) wake();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = null; // the poll still runs
  }
  try {
    for (;;) {
      const d = await findDecision(bridge, id);
      if (d !== null) return d;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(pollMs, left));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    watcher?.close();
  }
}

/** The hook's stdout line for `decision` (Claude Code / Codex PermissionRequest answer). */
function answerLine(decision: ApprovalDecision): string {
  const d =
    decision.behavior === 'allow'
      ? { behavior: 'allow' }
      : { behavior: 'deny', message: decision.message ?? DEFAULT_DENY_MESSAGE };
  return JSON.stringify({
    hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: d },
  });
}

/** The receipt recorded in the lane's hook events (native LaneEvent shape). */
function receiptEvent(
  id: string,
  decision: ApprovalDecision | null,
  waitedMs: number,
  now: string,
): Record<string, unknown> {
  if (decision === null) {
    return {
      event: APPROVAL_EXPIRED,
      status: null,
      emittedAt: now,
      detail: `no answer from the board within ${Math.round(waitedMs / 1000)} s: the agent's own prompt decides`,
      data: { id },
    };
  }
  const denied = decision.behavior === 'deny';
  return {
    event: APPROVAL_ANSWERED,
    status: null,
    emittedAt: now,
    detail: `${denied ? 'denied' : 'allowed once'} from the ${decision.by || 'board'}${denied && decision.message ? `: ${decision.message.slice(0, 200)}` : ''}`,
    data: {
      id,
      behavior: decision.behavior,
      ...(decision.message !== undefined ? { message: decision.message } : {}),
      decidedAt: decision.decidedAt,
      by: decision.by,
    },
  };
}

/**
 * Steps 2-4 of the module doc for request `id`: wait up to `waitMs`, print the answer on
 * `out` when a decision came, and record the receipt with `record`. Never rejects
 * (a failed receipt write is reported on stderr).
 */
export async function answerRequest(opts: {
  readonly bridge: string;
  readonly id: string;
  readonly waitMs: number;
  readonly out: NodeJS.WritableStream;
  readonly record: (value: Record<string, unknown>) => Promise<void>;
}): Promise<void> {
  const started = Date.now();
  const decision = await awaitDecision(opts.bridge, opts.id, opts.waitMs);
  if (decision !== null) opts.out.write(`${answerLine(decision)}\n`);
  const receipt = receiptEvent(opts.id, decision, Date.now() - started, new Date().toISOString());
  await opts.record(receipt).catch((err: unknown) => {
    process.stderr.write(
      `laneboard hook: approval receipt not recorded: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  });
}
