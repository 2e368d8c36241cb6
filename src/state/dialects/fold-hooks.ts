/**
 * Folding Claude Code hook events (`hook.<HookEventName>`, see ./hooks.ts) into the lane's
 * {@link EventFold}, including the workspace check of each hook's `cwd`.
 */
import type { EventFold, LaneEvent } from '../types.js';
import type { FoldContext } from './context.js';
import { approvalOf, withApproval } from './fold-approval.js';
import { agentFrom, blockerFrom, withBlocker, withoutBlockers } from './fold-base.js';
import { GEMINI_TURN_END } from './gemini.js';
import { CODEX_NOTIFY } from './hooks.js';
import { normalizePosixPath, isInsidePath } from './paths.js';
import { parseTimestamp } from './time.js';
import { asString, clip, isRecord, prop } from './util.js';
import { STICKY_CLASSES, TURN_FAILURE_CLASSES } from './vocab.js';

/** Blockers a progressing agent (prompt submitted, tool running, new session) no longer has. */
const RESOLVED_BY_PROGRESS = (c: string): boolean =>
  c === 'permission' || c === 'input_required' || TURN_FAILURE_CLASSES.has(c);

/** Blockers a successful turn (`Stop`) resolves: a pending permission and turn failures. */
const RESOLVED_BY_STOP = (c: string): boolean => c === 'permission' || TURN_FAILURE_CLASSES.has(c);

/** Blockers a SessionEnd resolves: everything but sticky ones and the session's failures. */
const RESOLVED_BY_END = (c: string): boolean =>
  !STICKY_CLASSES.has(c) && !TURN_FAILURE_CLASSES.has(c);

function hasTurnFailure(fold: EventFold): boolean {
  return Object.keys(fold.blockers).some((c) => TURN_FAILURE_CLASSES.has(c));
}

function checkWorkspace(
  fold: EventFold,
  ev: LaneEvent,
  cwd: string | null,
  ctx: FoldContext,
): EventFold {
  if (cwd === null || ctx.worktreePaths.length === 0 || isInsidePath(cwd, ctx.worktreePaths))
    return fold;
  const where = normalizePosixPath(cwd) ?? cwd;
  const prev = fold.blockers.workspace_mismatch;
  if (
    prev &&
    prev.source.event?.startsWith('hook.') &&
    prev.detail.startsWith(`agent wrote in ${clip(where, 200)},`)
  )
    return fold;
  const detail = `agent wrote in ${clip(where, 200)}, outside the lane's worktree ${clip(ctx.worktreePaths[0] ?? '?', 200)}`;
  return {
    ...fold,
    blockers: withBlocker(fold.blockers, blockerFrom(ev, 'workspace_mismatch', detail)),
  };
}

/** True when a notify's thread is known not to be the lane's session (a side thread). */
function isSideThread(fold: EventFold, threadId: string | null): boolean {
  const session = fold.agent?.sessionId ?? null;
  return threadId !== null && session !== null && threadId !== session;
}

/** The status the agent report takes for this hook, or null to leave the report alone. */
function statusFor(fold: EventFold, ev: LaneEvent, hook: string): string | null {
  if (ev.status === null) return null;
  const prev = fold.agent?.status ?? null;
  // idle_prompt comes 60 s after Stop *or StopFailure*: it never flips a failed or
  // rate-limited lane, nor an interrupted one (which already waits for you), nor one whose
  // permission prompt is still open.
  if (
    ev.status === 'waiting_for_input' &&
    (hasTurnFailure(fold) || prev === 'interrupted' || fold.blockers.permission !== undefined)
  )
    return null;
  // A SessionEnd never erases a failure of the session: the lane stays blocked / failed.
  if (hook === 'SessionEnd' && hasTurnFailure(fold) && prev !== null) return prev;
  return ev.status;
}

/**
 * Fold one hook event (already counted and pushed to `recent`), `hook` being the bare
 * `hook_event_name`. Status-bearing hooks (see `hookMeaning`) replace the agent report
 * (SessionStart sets the session id, Stop keeps `last_assistant_message` in
 * `notes.lastMessage`) — except that `waiting_for_input` (idle_prompt) never replaces a
 * failed, rate-limited, interrupted or permission-blocked state, and a SessionEnd after a turn failure keeps
 * the failed / blocked status. Running / ready clear permission, input_required and the
 * turn failures (rate_limit, auth, billing, server_error, invalid_request, infra); a
 * successful Stop clears permission and turn failures; an Interrupt clears permission;
 * SessionEnd clears everything but sticky blockers and turn failures. A meaning with a
 * failure class raises that blocker, except that a permission Notification never
 * replaces the PermissionRequest blocker (which names the tool); a PermissionRequest
 * recorded with `laneboard_approval` carries that pending request (./fold-approval.ts). Any `cwd` outside
 * `ctx.worktreePaths` raises the sticky `workspace_mismatch` blocker. A Codex `notify`
 * (CodexNotify) and Gemini CLI's AfterAgent (`prompt_response`) fold like Stop; a notify
 * from another thread than the lane's known session (a side thread) changes nothing.
 */
export function foldHookEvent(
  fold: EventFold,
  ev: LaneEvent,
  hook: string,
  ctx: FoldContext,
): EventFold {
  const raw = isRecord(ev.data) ? ev.data : {};
  const cwd = asString(prop(raw, 'cwd'));
  const sessionId = asString(prop(raw, 'session_id'));
  // Codex `notify` also fires for side threads (subagents, side conversations): a thread
  // other than the lane's session changes nothing.
  if (hook === CODEX_NOTIFY && isSideThread(fold, sessionId)) return fold;
  // A Codex subagent's hooks carry `agent_id`: its turns are not the lane's (only its
  // permission requests block the lane).
  if (prop(raw, 'agent_id') !== undefined && hook !== 'PermissionRequest') return fold;
  const stop =
    hook === 'Stop' || hook === GEMINI_TURN_END || (hook === CODEX_NOTIFY && ev.status === 'idle');
  let next = fold;
  const status = statusFor(fold, ev, hook);
  if (status !== null) {
    const notes: Record<string, string> = {};
    const last =
      asString(prop(raw, 'last_assistant_message')) ?? asString(prop(raw, 'prompt_response'));
    if (stop && last !== null) notes.lastMessage = clip(last, 4000);
    const transcript = asString(prop(raw, 'transcript_path'));
    if (transcript !== null) notes.transcriptPath = transcript;
    const agent = agentFrom(fold.agent, ev, {
      status,
      sessionId,
      workspaceRoot: cwd,
      notes,
    });
    next = { ...next, agent };
  }
  if (ev.status === 'running' || ev.status === 'ready') {
    next = { ...next, blockers: withoutBlockers(next.blockers, RESOLVED_BY_PROGRESS) };
  } else if (stop) {
    next = { ...next, blockers: withoutBlockers(next.blockers, RESOLVED_BY_STOP) };
  } else if (ev.status === 'interrupted') {
    next = { ...next, blockers: withoutBlockers(next.blockers, (c) => c === 'permission') };
  } else if (ev.status === 'finished') {
    next = { ...next, blockers: withoutBlockers(next.blockers, RESOLVED_BY_END) };
  }
  const keepRequest =
    hook === 'Notification' &&
    ev.failureClass === 'permission' &&
    next.blockers.permission?.source.event === 'hook.PermissionRequest';
  if (ev.failureClass !== null && !keepRequest) {
    const b = blockerFrom(ev, ev.failureClass, ev.detail ?? ev.failureClass);
    // A reset time (transcript `rate_limit_info.resetsAt`, a headless worker's
    // `rate_limit_event`) makes the rate-limit blocker count down.
    const resetAt = ev.failureClass === 'rate_limit' ? parseTimestamp(prop(raw, 'reset_at')) : null;
    // A PermissionRequest the hook waits on for the board carries its request id.
    const approval = hook === 'PermissionRequest' ? approvalOf(raw) : null;
    const timed = resetAt !== null ? { ...b, resetAt } : b;
    next = { ...next, blockers: withBlocker(next.blockers, withApproval(timed, approval)) };
  }
  return checkWorkspace(next, ev, cwd, ctx);
}
