/**
 * The event fold: every normalized {@link LaneEvent} of a lane, in line order, folded into
 * one {@link EventFold} (agent status, blockers, tests, acknowledged steering ids, recent
 * ring, last meaningful event). Pure and immutable: returns new objects, never mutates.
 */
import type { EventFold, LaneEvent } from '../types.js';
import type { FoldContext } from './context.js';
import { ACKED_LIMIT, pushRecent } from './fold-base.js';
import { foldHookEvent } from './fold-hooks.js';
import { foldLaneEvent } from './fold-lane.js';
import { TOOL_HOOKS } from './hooks.js';
import { asString, isRecord, prop } from './util.js';

export { EMPTY_FOLD } from './fold-base.js';

/** True unless the event is tool chatter (`hook.PreToolUse` / `hook.PostToolUse`). */
export function isMeaningful(ev: LaneEvent): boolean {
  return !(ev.dialect === 'claude-hooks' && TOOL_HOOKS.has(ev.name.slice('hook.'.length)));
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
 * hook events go through the hook mapping (with the `cwd` workspace check against
 * `ctx.worktreePaths`), everything else through the claw-code LaneEvent mapping. Unknown
 * events are kept in `recent` and never dropped. Never throws, never mutates `fold`.
 */
export function foldEvent(fold: EventFold, ev: LaneEvent, ctx: FoldContext): EventFold {
  const base: EventFold = {
    ...fold,
    count: fold.count + 1,
    recent: pushRecent(fold.recent, ev),
    lastMeaningful: isMeaningful(ev) ? ev : fold.lastMeaningful,
  };
  if (ev.name === 'steer.acknowledged') return acknowledge(base, ev);
  if (ev.dialect === 'claude-hooks')
    return foldHookEvent(base, ev, ev.name.slice('hook.'.length), ctx);
  return foldLaneEvent(base, ev);
}
