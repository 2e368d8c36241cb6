/**
 * The event fold: every normalized {@link LaneEvent} of a lane, in line order, folded into
 * one {@link EventFold} (agent status, blockers, tests, acknowledged steering ids, recent
 * ring, last meaningful event). Pure and immutable: returns new objects, never mutates.
 */
import type { EventFold, LaneEvent } from '../types.js';
import type { FoldContext } from './context.js';
import { ACKED_LIMIT, RECENT_LIMIT, pushRecent } from './fold-base.js';
import { foldApproval, isApprovalEvent } from './fold-approval.js';
import { foldHookEvent } from './fold-hooks.js';
import { foldLaneEvent } from './fold-lane.js';
import { GEMINI_CHATTER } from './gemini.js';
import { TOOL_HOOKS } from './hooks.js';
import { asString, isRecord, prop } from './util.js';

export { EMPTY_FOLD } from './fold-base.js';

/**
 * True unless the event is tool / model chatter (`hook.PreToolUse` / `hook.PostToolUse`;
 * Gemini CLI's BeforeTool, AfterTool, BeforeModel, AfterModel, BeforeToolSelection).
 */
export function isMeaningful(ev: LaneEvent): boolean {
  if (ev.dialect !== 'claude-hooks') return true;
  const hook = ev.name.slice('hook.'.length);
  return !TOOL_HOOKS.has(hook) && !GEMINI_CHATTER.has(hook);
}

function acknowledge(fold: EventFold, ev: LaneEvent): EventFold {
  const id = isRecord(ev.data) ? asString(prop(ev.data, 'id')) : null;
  if (id === null || fold.acked.includes(id)) return fold;
  const acked = [...fold.acked, id];
  return {
    ...fold,
    acked: acked.length > ACKED_LIMIT ? acked.slice(acked.length - ACKED_LIMIT) : acked,
  };
}

/**
 * Fold one event into `fold`: count + 1, append to the `recent` ring (last 50), update
 * `lastMeaningful` (every event except tool-use hooks), then apply the event's meaning —
 * `steer.acknowledged` pushes `data.id` onto `acked` (deduplicated, newest 500 kept),
 * `approval.answered` / `approval.expired` end a board approval (./fold-approval.ts),
 * hook events go through the hook mapping (with the `cwd` workspace check against
 * `ctx.worktreePaths`), everything else through the claw-code LaneEvent mapping. Unknown
 * events are kept in `recent` and never dropped. Never throws, never mutates `fold`.
 */
export function foldEvent(fold: EventFold, ev: LaneEvent, ctx: FoldContext): EventFold {
  return foldMeaning({ ...fold, recent: pushRecent(fold.recent, ev) }, ev, ctx);
}

/**
 * Fold many events in order: the same result as folding them one by one with
 * {@link foldEvent}, but the `recent` ring is built once at the end instead of copied per
 * event (a long events history read at start folds thousands of lines). Never mutates.
 */
export function foldEvents(
  fold: EventFold,
  evs: readonly LaneEvent[],
  ctx: FoldContext,
): EventFold {
  if (evs.length === 0) return fold;
  let out = fold;
  for (const ev of evs) out = foldMeaning(out, ev, ctx);
  const all = fold.recent.concat(evs);
  return { ...out, recent: all.length > RECENT_LIMIT ? all.slice(all.length - RECENT_LIMIT) : all };
}

/** Everything {@link foldEvent} does except the `recent` ring (left as it is in `fold`). */
function foldMeaning(fold: EventFold, ev: LaneEvent, ctx: FoldContext): EventFold {
  const base: EventFold = {
    ...fold,
    count: fold.count + 1,
    lastMeaningful: isMeaningful(ev) ? ev : fold.lastMeaningful,
  };
  if (ev.name === 'steer.acknowledged') return acknowledge(base, ev);
  if (ev.dialect === 'native' && isApprovalEvent(ev)) return foldApproval(base, ev);
  if (ev.dialect === 'claude-hooks')
    return foldHookEvent(base, ev, ev.name.slice('hook.'.length), ctx);
  return foldLaneEvent(base, ev);
}
