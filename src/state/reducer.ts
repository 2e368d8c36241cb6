/**
 * The one reducer: `(BoardState, Action) → BoardState`, pure and exhaustive. Unknown lane
 * ids are ignored (a late action from a lane removed by a reload is not an error). Bridge
 * documents are normalized here through the dialect readers so raw JSON never reaches a
 * view; a document that fails to normalize keeps the last good value beside the error.
 */
import type { Action, ActionOf } from './actions.js';
import { DEFAULT_SETTINGS } from './config-types.js';
import { BRIDGE_ACTION_TYPES, laneBridgeReducer } from './reduce-bridge.js';
import { applyFleetLanes } from './fleet-lanes.js';
import { initialLane } from './lane-init.js';
import type { BoardState, LaneState, SteerMessage } from './types.js';

/** Steering messages kept per lane (newest last). */
const MAX_STEERING = 20;
/** Board notices kept (newest last). */
const MAX_NOTICES = 20;

/** The state of an empty board at time `now` (epoch ms). */
export function initialBoardState(now = 0): BoardState {
  return {
    now,
    order: [],
    lanes: {},
    notices: [],
    settings: DEFAULT_SETTINGS,
    configStatus: { banner: null, error: null },
  };
}

function updateLane(
  state: BoardState,
  laneId: string,
  fn: (lane: LaneState) => LaneState,
): BoardState {
  const lane = state.lanes[laneId];
  if (!lane) return state;
  const next = fn(lane);
  if (next === lane) return state;
  return { ...state, lanes: { ...state.lanes, [laneId]: next } };
}

function configure(state: BoardState, action: ActionOf<'lanes/configured'>): BoardState {
  const lanes: Record<string, LaneState> = {};
  for (const config of action.lanes) {
    const prev = state.lanes[config.id];
    lanes[config.id] = prev ? { ...prev, config } : initialLane(config);
  }
  // Remote lanes of the fleet board are not in lanes.yaml: they stay, after the local ones.
  const remote = state.order.filter((id) => state.lanes[id]?.remote && !lanes[id]);
  for (const id of remote) lanes[id] = state.lanes[id] as LaneState;
  return {
    ...state,
    now: Math.max(state.now, action.at),
    order: [...action.lanes.map((l) => l.id), ...remote],
    lanes,
    settings: action.settings ?? state.settings,
  };
}

function addSteer(lane: LaneState, message: SteerMessage): LaneState {
  const others = lane.steering.filter((m) => m.id !== message.id);
  return { ...lane, steering: [...others, message].slice(-MAX_STEERING) };
}

/** Actions that change one lane only (they carry its `laneId`). */
const LANE_ACTION_TYPES = [
  ...BRIDGE_ACTION_TYPES,
  'git/ok',
  'git/error',
  'worker/updated',
  'steer/sent',
  'lane/mute',
  'lane/onCommand',
] as const;
type LaneAction = ActionOf<(typeof LANE_ACTION_TYPES)[number]>;
const LANE_ACTIONS: ReadonlySet<string> = new Set<string>(LANE_ACTION_TYPES);

function isLaneAction(action: Action): action is LaneAction {
  return LANE_ACTIONS.has(action.type);
}

/** Apply a lane action to its lane; the same reference when nothing changed. */
function reduceLane(lane: LaneState, action: LaneAction): LaneState {
  switch (action.type) {
    case 'git/ok':
      return { ...lane, git: { status: 'ok', info: action.info, at: action.at } };
    case 'git/error':
      return {
        ...lane,
        git: {
          status: 'error',
          error: action.error,
          code: action.code,
          at: action.at,
          last:
            lane.git.status === 'ok'
              ? lane.git.info
              : lane.git.status === 'error'
                ? lane.git.last
                : null,
        },
      };
    case 'worker/updated':
      return { ...lane, worker: action.worker };
    case 'steer/sent':
      return addSteer(lane, action.message);
    case 'lane/mute':
      return (lane.muted ?? false) === action.muted ? lane : { ...lane, muted: action.muted };
    case 'lane/onCommand':
      return {
        ...lane,
        onCommand: { event: action.event, ok: action.ok, message: action.message, at: action.at },
      };
    default:
      // bridge/* and lane/clearBlockers
      return laneBridgeReducer(lane, action);
  }
}

/**
 * Apply one action. Never throws on well-typed input; returns the same reference when
 * nothing changed (so subscribers can skip work).
 */
export function reduce(state: BoardState, action: Action): BoardState {
  if (isLaneAction(action)) {
    return updateLane(state, action.laneId, (lane) => reduceLane(lane, action));
  }
  switch (action.type) {
    case 'lanes/configured':
      return configure(state, action);
    case 'clock/tick':
      return action.at === state.now ? state : { ...state, now: action.at };
    case 'fleet/lanes':
      return applyFleetLanes(state, action);
    case 'board/notice':
      return {
        ...state,
        notices: [...state.notices, { message: action.message, at: action.at }].slice(-MAX_NOTICES),
      };
    case 'config/status':
      return state.configStatus.banner === action.banner &&
        state.configStatus.error === action.error
        ? state
        : { ...state, configStatus: { banner: action.banner, error: action.error } };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Apply `actions` in order: the same result as folding {@link reduce} over them, but the
 * lane map is copied once per run of lane actions instead of once per action (a batch of
 * k lane updates on N lanes costs O(N + k), not O(N·k); 500 lanes × 3 reads at start).
 * Returns `state` itself when nothing changed.
 */
export function reduceAll(state: BoardState, actions: readonly Action[]): BoardState {
  let s = state;
  let draft: Record<string, LaneState> | null = null;
  for (const action of actions) {
    if (isLaneAction(action)) {
      const lanes = draft ?? s.lanes;
      const lane = lanes[action.laneId];
      if (lane === undefined) continue;
      const next = reduceLane(lane, action);
      if (next === lane) continue;
      draft ??= { ...s.lanes };
      draft[action.laneId] = next;
      continue;
    }
    if (draft !== null) s = { ...s, lanes: draft };
    draft = null;
    s = reduce(s, action);
  }
  return draft === null ? s : { ...s, lanes: draft };
}
