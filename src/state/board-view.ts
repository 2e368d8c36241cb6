/**
 * Lane views for the board's own consumers (rows, header counts, the attention loop, the
 * display order), valid over a window of time instead of one clock value, so that a clock
 * tick costs a cache lookup per lane instead of a rebuild (issue #17: 500 lanes at idle).
 *
 * A lane's view depends on time in two ways:
 * - **ages and countdowns** (`ageMs`, `nextStartInMs`, "no heartbeat for 312s" in a
 *   blocker's detail, a blocker's `source.at` stamped with `now`): they move every
 *   millisecond, and board consumers never read them from the view — rows compute their
 *   ages from the absolute times (`at`, `resetAt`) and their own screen clock
 *   (src/ui/cells.ts with the view's build time), the detail pane builds an exact view;
 * - **time facts** that flip at a threshold: heartbeat liveness (warn / stale / dead),
 *   steering that was never acknowledged (`steerTimeoutMs`), a bridge read error past its
 *   grace, a trust prompt stalled for 60 s, a rate limit's reset.
 *
 * {@link laneViewDeadline} is the earliest moment after `now` at which a time fact of the
 * lane can flip; {@link selectBoardLaneView} reuses a lane's view until that moment (or
 * until the lane object or the settings change). The snapshot (`--json`, the control
 * endpoint, the fleet) keeps using the exact `selectLaneView`. The equivalence with
 * exact views (same row cells, attention facts and counts at any time within the window)
 * is tested in test/state/board-view.test.ts.
 */
import { TRUST_STALL_MS } from './dialects/blockers.js';
import { parseTimestamp } from './dialects/time.js';
import type { BoardSettings } from './config-types.js';
import { BRIDGE_ERROR_GRACE_MS } from './select-blockers.js';
import { currentAgent } from './select-agent.js';
import { selectLaneView } from './selectors.js';
import type { BoardState, LaneState } from './types.js';
import type { LaneView } from './view-types.js';

/** A lane view for board consumers, and the time (epoch ms) it was built at. */
export interface BoardLaneView {
  readonly view: LaneView;
  /** Board time the view was built at: its relative fields (`ageMs`, `nextStartInMs`) count from here. */
  readonly at: number;
  /** First board time (epoch ms) at which a time fact may differ; `Infinity` if none. */
  readonly until: number;
}

/**
 * The earliest time after `now` (epoch ms) at which a time fact of `lane`'s view may flip
 * (see the module doc), or `Infinity` when none can. Conservative: a returned time at
 * which nothing flips only costs one rebuild. Remote (fleet) lanes have no time facts of
 * their own (their ages are recomputed from published times). Never throws.
 */
export function laneViewDeadline(lane: LaneState, now: number, s: BoardSettings): number {
  if (lane.remote) return Infinity;
  let next = Infinity;
  const consider = (t: number | null | undefined): void => {
    if (typeof t === 'number' && Number.isFinite(t) && t > now && t < next) next = t;
  };
  // Heartbeat liveness (select-agent.ts livenessOf: `age <= limit`, so it flips at +1 ms).
  const agent = currentAgent(lane);
  const claimed = agent?.heartbeatAt ?? null;
  if (agent !== null && claimed !== null) {
    const at = Math.min(claimed, agent.source.at);
    for (const limit of [s.heartbeat.warnMs, s.heartbeat.staleMs, s.heartbeat.deadMs])
      consider(at + limit + 1);
  }
  if (agent !== null) {
    // Trust prompt stall (dialects/blockers.ts: `now - since > TRUST_STALL_MS`).
    if (agent.status === 'trust_required') {
      const since = agent.notes.since;
      const t = (since !== undefined ? parseTimestamp(since) : null) ?? agent.heartbeatAt;
      if (t !== null) consider(t + TRUST_STALL_MS + 1);
    }
    consider(agent.blocker?.resetAt);
  }
  for (const b of Object.values(lane.bridge.events.blockers)) consider(b.resetAt);
  // Steering not acknowledged in time (selectors.ts steeringViews: `> steerTimeoutMs`).
  const acked = lane.bridge.events.acked;
  for (const m of lane.steering) {
    if (m.state === 'pending' && !acked.includes(m.id)) consider(m.sentAt + s.steerTimeoutMs + 1);
  }
  // Bridge read errors past their grace (select-blockers.ts: `now - since >= grace`).
  const b = lane.bridge;
  for (const err of [b.state.error, b.result.error, b.claw.error, b.eventsError, b.dirError]) {
    if (err) consider(err.since + BRIDGE_ERROR_GRACE_MS);
  }
  if (b.writeProblem) consider(b.writeProblem.since + BRIDGE_ERROR_GRACE_MS);
  // A restart countdown reaching zero.
  consider(lane.worker.nextStartAt);
  return next;
}

const cache = new WeakMap<LaneState, { settings: BoardSettings; entry: BoardLaneView }>();

/**
 * The board view of lane `id`: the exact view (`selectLaneView`) of the last time it was
 * built, reused while `s.now` is before its {@link laneViewDeadline} and the lane object
 * and settings are the same. Ages in it are as of `entry.at` (read absolute times
 * instead). Throws a RangeError for an unknown id, like `selectLaneView`.
 */
export function selectBoardLaneView(s: BoardState, id: string): BoardLaneView {
  const lane = s.lanes[id];
  if (!lane) throw new RangeError(`unknown lane ${id}`);
  const hit = cache.get(lane);
  if (hit && hit.settings === s.settings && s.now >= hit.entry.at && s.now < hit.entry.until)
    return hit.entry;
  const entry = {
    view: selectLaneView(s, id),
    at: s.now,
    until: laneViewDeadline(lane, s.now, s.settings),
  };
  cache.set(lane, { settings: s.settings, entry });
  return entry;
}

/** Shorthand: the {@link LaneView} of {@link selectBoardLaneView}. */
export function selectBoardView(s: BoardState, id: string): LaneView {
  return selectBoardLaneView(s, id).view;
}

/**
 * The earliest time (epoch ms) after `s.now` at which some lane's time facts may flip —
 * when the runtime's clock must next tick — or `Infinity`. O(lanes) cache lookups.
 */
export function selectNextDeadline(s: BoardState): number {
  let next = Infinity;
  for (const id of s.order) {
    if (s.lanes[id] === undefined) continue;
    const until = selectBoardLaneView(s, id).until;
    if (until < next) next = until;
  }
  return next;
}
