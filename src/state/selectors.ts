/**
 * Named selectors shared by the TUI and the `--json` snapshot, so the two can never
 * disagree. `selectLaneView` is memoized per lane object and clock value: it returns the
 * same reference while neither changed, so a row re-renders only when its lane did.
 */
import { GREEN_LEVELS } from './config-types.js';
import type { BoardSettings, GreenLevel } from './config-types.js';
import { normalizeLevel } from './dialects/index.js';
import { selectAgentView } from './select-agent.js';
import { selectTestsView } from './select-agent.js';
import { bridgeProblemSlots, selectBlockers } from './select-blockers.js';
import { selectGitView } from './select-git.js';
import { remoteLaneView } from './fleet-lanes.js';
import { selectBoardView } from './board-view.js';
import type { BoardState, LaneEvent, LaneState } from './types.js';
import type {
  AgentView,
  BoardCounts,
  EventView,
  GitView,
  LaneView,
  SteerView,
  TestsView,
} from './view-types.js';

function eventView(ev: LaneEvent, now: number): EventView {
  return {
    name: ev.name,
    detail: ev.detail,
    at: ev.at,
    ageMs: ev.at === null ? null : Math.max(0, now - ev.at),
    source: ev.source,
  };
}

function steeringViews(lane: LaneState, now: number, s: BoardSettings): SteerView[] {
  const acked = new Set(lane.bridge.events.acked);
  return lane.steering.map((m) => {
    let delivery: SteerView['delivery'];
    if (acked.has(m.id) || m.state === 'delivered') delivery = 'delivered';
    else if (m.state === 'failed') delivery = 'failed';
    else delivery = now - m.sentAt > s.steerTimeoutMs ? 'not_delivered' : 'pending';
    return { id: m.id, text: m.text, sentAt: m.sentAt, via: m.via, delivery, error: m.error };
  });
}

function levelRank(level: string | null): number {
  const l = level === null ? null : normalizeLevel(level);
  return l === null ? -1 : GREEN_LEVELS.indexOf(l as GreenLevel);
}

/**
 * Why a lane is not merge-ready (bridge contract: required green level reached on the
 * current HEAD, behind = 0, clean, no blocker, agent finished). Empty ⇒ merge-ready.
 */
function mergeReasons(
  lane: LaneState,
  git: GitView,
  tests: TestsView,
  agent: AgentView,
  blockerCount: number,
): string[] {
  const reasons: string[] = [];
  const required = lane.config.requiredLevel;
  if (tests.status !== 'green') reasons.push('tests not green');
  else if (tests.stale || tests.commit === null)
    reasons.push('green result is not for the current HEAD');
  else if (levelRank(tests.level) < GREEN_LEVELS.indexOf(required))
    reasons.push(`green level below ${required}`);
  if (git.freshness !== 'fresh')
    reasons.push(git.freshness === 'unknown' ? 'freshness unknown' : `behind ${git.base}`);
  if (git.dirty !== 0) reasons.push(git.dirty === null ? 'dirty state unknown' : 'worktree dirty');
  if (blockerCount > 0) reasons.push('blocked');
  if (agent.kind !== 'finished' && agent.kind !== 'idle') reasons.push('agent not finished');
  return reasons;
}

/**
 * Fields the board does not interpret, verbatim: the unknown keys of each bridge document
 * (`state`, `result`, `claw`) and, under `lastEvent`, the newest event's whole payload
 * (`{name, file, line, data}`; a hook payload's `prompt_id`, `effort`, `tool_response`…),
 * which no other part of the view carries.
 */
function rawExtras(lane: LaneState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parts = [
    ['state', lane.bridge.state.value?.extras],
    ['result', lane.bridge.result.value?.extras],
    ['claw', lane.bridge.claw.value?.extras],
  ] as const;
  for (const [k, v] of parts) if (v && Object.keys(v).length > 0) out[k] = v;
  const recent = lane.bridge.events.recent;
  const newest = recent[recent.length - 1];
  if (newest && newest.data !== null && newest.data !== undefined) {
    out.lastEvent = {
      name: newest.name,
      file: newest.source.file,
      line: newest.source.line ?? null,
      data: newest.data,
    };
  }
  return out;
}

function problems(lane: LaneState): string[] {
  const list = bridgeProblemSlots(lane)
    .filter(([, e]) => e !== null)
    .map(([f, e]) => `${f}: ${e?.message ?? ''}`);
  const on = lane.onCommand;
  if (on && !on.ok) list.push(`on ${on.event}: ${on.message ?? 'failed'}`);
  return list;
}

/** Build a lane's view (unmemoized). */
export function buildLaneView(lane: LaneState, now: number, s: BoardSettings): LaneView {
  if (lane.remote) return remoteLaneView(lane.remote, now);
  const git = selectGitView(lane.git, lane.config.base);
  const agent = selectAgentView(lane, now, s);
  const tests = selectTestsView(lane, git.head);
  const steering = steeringViews(lane, now, s);
  const blockers = selectBlockers(
    lane,
    now,
    s,
    git,
    tests,
    steering,
    agent.heartbeat.liveness === 'dead' && !['finished', 'idle', 'failed'].includes(agent.kind),
  );
  const reasons = mergeReasons(lane, git, tests, agent, blockers.length);
  const fold = lane.bridge.events;
  return {
    id: lane.config.id,
    repo: lane.config.repo,
    worktree: lane.config.worktree,
    branch: lane.config.branch,
    git,
    worker: {
      state: lane.worker.phase,
      pid: lane.worker.pid,
      restarts: lane.worker.restarts,
      exitCode: lane.worker.exitCode,
      signal: lane.worker.signal,
      nextStartInMs:
        lane.worker.nextStartAt === null ? null : Math.max(0, lane.worker.nextStartAt - now),
      error: lane.worker.error,
      adopted: lane.worker.adopted,
      operatorStopped: lane.worker.operatorStopped,
    },
    agent,
    tests,
    blockers,
    mergeReady: reasons.length === 0,
    mergeReasons: reasons,
    lastEvent: fold.lastMeaningful ? eventView(fold.lastMeaningful, now) : null,
    recentEvents: fold.recent.slice(-10).map((e) => eventView(e, now)),
    steering,
    raw: {
      state: lane.bridge.state.raw,
      result: lane.bridge.result.raw,
      claw: lane.bridge.claw.raw,
      extras: rawExtras(lane),
    },
    problems: problems(lane),
  };
}

const viewCache = new WeakMap<
  LaneState,
  { now: number; settings: BoardSettings; view: LaneView }
>();

/**
 * The view of lane `id` (memoized on the lane object, `now` and settings). Throws a
 * RangeError for an unknown id (callers iterate `selectLaneIds`).
 */
export function selectLaneView(s: BoardState, id: string): LaneView {
  const lane = s.lanes[id];
  if (!lane) throw new RangeError(`unknown lane ${id}`);
  const hit = viewCache.get(lane);
  if (hit && hit.now === s.now && hit.settings === s.settings) return hit.view;
  const view = buildLaneView(lane, s.now, s.settings);
  viewCache.set(lane, { now: s.now, settings: s.settings, view });
  return view;
}

/** All lane views in lanes.yaml order. */
export function selectLaneViews(s: BoardState): LaneView[] {
  return s.order.map((id) => selectLaneView(s, id));
}

/**
 * Header counts: lanes, red, blocked, stale (behind base), crashed, running workers. Reads
 * the board views (./board-view.ts): counts are time facts, equal to the exact views'.
 */
export function selectCounts(s: BoardState): BoardCounts {
  let red = 0,
    blocked = 0,
    stale = 0,
    crashed = 0,
    running = 0;
  for (const id of s.order) {
    const v = selectBoardView(s, id);
    if (v.tests.status === 'red') red++;
    if (v.blockers.length > 0) blocked++;
    if (v.git.freshness === 'stale' || v.git.freshness === 'diverged') stale++;
    if (
      ['crash_loop', 'failed_to_start'].includes(v.worker.state) ||
      (v.worker.state === 'exited' && v.worker.exitCode !== 0)
    )
      crashed++;
    // A lane of an offline fleet host shows its last state, but nothing is known to run.
    if (v.worker.state === 'running' && s.lanes[id]?.remote?.online !== false) running++;
  }
  return { lanes: s.order.length, red, blocked, stale, crashed, running };
}

/** One group of the board: a repo (of a fleet host, on the fleet board) and its lanes. */
export interface RepoGroup {
  readonly repo: string;
  /** Fleet board: the host of a remote group, and whether it is online; absent for local lanes. */
  readonly host?: string;
  readonly hostOnline?: boolean;
  readonly laneIds: readonly string[];
}

let groupsKey = '';
let groupsValue: readonly RepoGroup[] = [];

/**
 * Lanes grouped by repo (by host, then repo, for remote lanes of the fleet board), groups
 * in order of first appearance, lanes in lanes.yaml order (remote: host, repo, lane id).
 * Returns the same reference while the grouping is unchanged.
 */
export function selectRepoGroups(s: BoardState): readonly RepoGroup[] {
  const keyOf = (id: string): string => {
    const l = s.lanes[id];
    const r = l?.remote;
    return r
      ? `${r.host}\u0000${l.config.repo}\u0000${r.online ? 1 : 0}`
      : `\u0000${l?.config.repo ?? ''}`;
  };
  const key = s.order.map((id) => `${keyOf(id)}\u0000${id}`).join('\u0001');
  if (key === groupsKey) return groupsValue;
  const map = new Map<string, RepoGroup & { laneIds: string[] }>();
  for (const id of s.order) {
    const lane = s.lanes[id];
    const k = keyOf(id);
    const g = map.get(k) ?? {
      repo: lane?.config.repo ?? '',
      ...(lane?.remote ? { host: lane.remote.host, hostOnline: lane.remote.online } : {}),
      laneIds: [],
    };
    g.laneIds.push(id);
    map.set(k, g);
  }
  groupsKey = key;
  groupsValue = [...map.values()];
  return groupsValue;
}
