/**
 * Remote lanes on the fleet board (`laneboard --nats URL`, docs/fleet.md), pure: a lane
 * another host publishes into the fleet bucket arrives as the lane object of
 * `laneboard.snapshot/1` (src/state/snapshot.ts) plus `host` and `seq`. ./fleet-view.ts
 * turns such a value back into a {@link LaneView}; this module folds the fleet reader's
 * whole set into the store (`fleet/lanes`) and ages remote views at board time.
 *
 * A remote lane's id on the board is `<host>/<lane>` (lane ids never contain `/`), so it
 * can never collide with a local lane. Ages keep moving between updates and never compare
 * the host's clock with the board's (./fleet-ages.ts).
 */
import type { ActionOf } from './actions.js';
import type { LaneConfig } from './config-types.js';
import { publishedAtOf, remoteAgeMs } from './fleet-ages.js';
import { laneViewFromSnapshot } from './fleet-view.js';
import { initialBridge, initialWorker } from './lane-init.js';
import type { BoardState, LaneState, RemoteLane } from './types.js';
import type { LaneView } from './view-types.js';

export { laneViewFromSnapshot } from './fleet-view.js';

/** One remote lane as the fleet reader holds it (input of `fleet/lanes`). */
export interface RemoteLaneInput {
  readonly host: string;
  readonly laneId: string;
  /** KV revision of the value (server-assigned; higher is newer). */
  readonly revision: number;
  /** False: the host is offline and this is its last published state. */
  readonly online: boolean;
  /** Board-clock time (epoch ms) this revision arrived (src/runtime/fleet/reader.ts). */
  readonly arrivedAt: number;
  /** The published value, or null when it was not a readable JSON object. */
  readonly value: Readonly<Record<string, unknown>> | null;
  /** Why `value` is null. */
  readonly problem: string | null;
}

/** The board-side id of a remote lane: `<host>/<lane>`. */
function remoteLaneId(host: string, laneId: string): string {
  return `${host}/${laneId}`;
}

/**
 * A remote lane's view at board time `now` (epoch ms): the published view with its ages
 * carried forward from the host's publish time (./fleet-ages.ts), and, while its host is
 * offline, a problem saying
 * the row is the last published state.
 */
export function remoteLaneView(r: RemoteLane, now: number): LaneView {
  const v = r.view;
  const age = (at: number | null): number | null => remoteAgeMs(at, r, now);
  const hb = v.agent.heartbeat;
  return {
    ...v,
    agent: { ...v.agent, heartbeat: { ...hb, ageMs: hb.at === null ? hb.ageMs : age(hb.at) } },
    lastEvent: v.lastEvent ? { ...v.lastEvent, ageMs: age(v.lastEvent.at) } : null,
    problems: r.online
      ? v.problems
      : [`host ${r.host} is offline: last published state`, ...v.problems],
  };
}

/** The LaneConfig a remote lane is kept under (no command: the board never runs it here). */
function remoteConfig(id: string, host: string, view: LaneView): LaneConfig {
  return {
    id,
    host,
    repo: view.repo,
    worktree: view.worktree,
    branch: view.branch,
    base: view.git.base,
    command: null,
    env: {},
    bridge: '',
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
  };
}

/**
 * `fleet/lanes`: replace every remote lane by the reader's current set. Local lanes keep
 * their order and come first; remote lanes follow, ordered by host, repo, lane id. A
 * remote lane whose revision and host liveness did not change keeps its object (rows do
 * not re-render).
 */
export function applyFleetLanes(state: BoardState, action: ActionOf<'fleet/lanes'>): BoardState {
  const lanes: Record<string, LaneState> = {};
  const local: string[] = [];
  for (const id of state.order) {
    const lane = state.lanes[id];
    if (lane && !lane.remote) {
      lanes[id] = lane;
      local.push(id);
    }
  }
  const remote: { id: string; host: string; repo: string; laneId: string }[] = [];
  let changed = false;
  for (const r of action.lanes) {
    const id = remoteLaneId(r.host, r.laneId);
    if (lanes[id] && !lanes[id].remote) continue; // a local lane of that id wins
    const prev = state.lanes[id];
    let lane: LaneState;
    if (prev?.remote && prev.remote.revision === r.revision && prev.remote.online === r.online) {
      lane = prev;
    } else {
      changed = true;
      const view = laneViewFromSnapshot(id, r.value, r.problem);
      const config = remoteConfig(id, r.host, view);
      lane = {
        config,
        git: { status: 'pending' },
        worker: initialWorker(config),
        bridge: initialBridge(),
        steering: prev?.steering ?? [],
        clearedAt: null,
        ...(prev?.muted !== undefined ? { muted: prev.muted } : {}),
        remote: {
          host: r.host,
          laneId: r.laneId,
          revision: r.revision,
          online: r.online,
          view,
          arrivedAt: r.arrivedAt,
          publishedAt: publishedAtOf(r.value),
        },
      };
    }
    lanes[id] = lane;
    remote.push({ id, host: r.host, repo: lane.config.repo, laneId: r.laneId });
  }
  remote.sort(
    (a, b) =>
      a.host.localeCompare(b.host) ||
      a.repo.localeCompare(b.repo) ||
      a.laneId.localeCompare(b.laneId),
  );
  const order = [...local, ...remote.map((r) => r.id)];
  const sameOrder =
    order.length === state.order.length && order.every((id, i) => id === state.order[i]);
  if (!changed && sameOrder) return state;
  return { ...state, now: Math.max(state.now, action.at), order, lanes };
}
