/**
 * Folding Claude Code hook events (`hook.<HookEventName>`, see ./hooks.ts) into the lane's
 * {@link EventFold}, including the workspace check of each hook's `cwd`.
 */
import type { EventFold, LaneEvent } from '../types.js';
import type { FoldContext } from './context.js';
import { agentFrom, blockerFrom, withBlocker, withoutBlockers } from './fold-base.js';
import { normalizePosixPath, isInsidePath } from './paths.js';
import { asString, clip, isRecord, prop } from './util.js';
import { STICKY_CLASSES } from './vocab.js';

/** Blockers a progressing agent (prompt submitted, tool running, new session) no longer has. */
const RESOLVED_BY_PROGRESS = new Set(['permission', 'input_required', 'rate_limit', 'infra']);

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

/**
 * Fold one hook event (already counted and pushed to `recent`), `hook` being the bare
 * `hook_event_name`. Status-bearing hooks (see `hookMeaning`) replace the agent report
 * (SessionStart sets the session id, Stop keeps `last_assistant_message` in
 * `notes.lastMessage`); running / ready clear permission, input_required, rate_limit and
 * infra blockers; Stop clears permission; SessionEnd clears every non-sticky blocker; a
 * permission / input / rate-limit / infra meaning raises that blocker. Any `cwd` outside
 * `ctx.worktreePaths` raises the sticky `workspace_mismatch` blocker.
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
  let next = fold;
  if (ev.status !== null) {
    const notes: Record<string, string> = {};
    const last = asString(prop(raw, 'last_assistant_message'));
    if (hook === 'Stop' && last !== null) notes.lastMessage = clip(last, 4000);
    const transcript = asString(prop(raw, 'transcript_path'));
    if (transcript !== null) notes.transcriptPath = transcript;
    const agent = agentFrom(fold.agent, ev, {
      status: ev.status,
      sessionId,
      workspaceRoot: cwd,
      notes,
    });
    next = { ...next, agent };
  }
  if (ev.status === 'running' || ev.status === 'ready') {
    next = {
      ...next,
      blockers: withoutBlockers(next.blockers, (c) => RESOLVED_BY_PROGRESS.has(c)),
    };
  } else if (hook === 'Stop') {
    next = { ...next, blockers: withoutBlockers(next.blockers, (c) => c === 'permission') };
  } else if (ev.status === 'finished') {
    next = { ...next, blockers: withoutBlockers(next.blockers, (c) => !STICKY_CLASSES.has(c)) };
  }
  if (ev.failureClass !== null) {
    next = {
      ...next,
      blockers: withBlocker(
        next.blockers,
        blockerFrom(ev, ev.failureClass, ev.detail ?? ev.failureClass),
      ),
    };
  }
  return checkWorkspace(next, ev, cwd, ctx);
}
