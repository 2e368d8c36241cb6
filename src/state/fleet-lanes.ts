/**
 * Remote lanes on the fleet board (`laneboard --nats URL`, docs/fleet.md), pure: a lane
 * another host publishes into the fleet bucket arrives as the lane object of
 * `laneboard.snapshot/1` (src/state/snapshot.ts) plus `host` and `seq`. This module turns
 * such a value back into a {@link LaneView} (read defensively: it is untrusted input from
 * another machine, and text is still sanitized at render time like any worker text) and
 * folds the fleet reader's whole set into the store (`fleet/lanes`).
 *
 * A remote lane's id on the board is `<host>/<lane>` (lane ids never contain `/`), so it
 * can never collide with a local lane. Ages are recomputed with the board's clock from the
 * published times (`heartbeat.at`, `lastEvent.at`), so they keep moving between updates.
 */
import type { ActionOf } from './actions.js';
import type { LaneConfig } from './config-types.js';
import { initialBridge } from './lane-init.js';
import type { Blocker, BoardState, LaneState, RemoteLane, Source } from './types.js';
import type { AgentView, EventView, Freshness, LaneView, Liveness } from './view-types.js';

/** One remote lane as the fleet reader holds it (input of `fleet/lanes`). */
export interface RemoteLaneInput {
  readonly host: string;
  readonly laneId: string;
  /** KV revision of the value (server-assigned; higher is newer). */
  readonly revision: number;
  /** False: the host is offline and this is its last published state. */
  readonly online: boolean;
  /** The published value, or null when it was not a readable JSON object. */
  readonly value: Readonly<Record<string, unknown>> | null;
  /** Why `value` is null. */
  readonly problem: string | null;
}

type Obj = Readonly<Record<string, unknown>>;

const obj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean => v === true;
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/** ISO-8601 text → epoch ms, or null. */
const ms = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
};
const oneOf = <T extends string>(v: unknown, all: readonly T[], dflt: T): T =>
  typeof v === 'string' && (all as readonly string[]).includes(v) ? (v as T) : dflt;

/** The board-side id of a remote lane: `<host>/<lane>`. */
export function remoteLaneId(host: string, laneId: string): string {
  return `${host}/${laneId}`;
}

function source(v: unknown, file = 'fleet'): Source {
  const o = obj(v);
  const line = num(o.line);
  const event = str(o.event);
  return {
    file: str(o.file) ?? file,
    at: ms(o.at) ?? 0,
    ...(line !== null ? { line } : {}),
    ...(event !== null ? { event } : {}),
  };
}

function agentView(v: unknown): AgentView {
  const a = obj(v);
  const hb = obj(a.heartbeat);
  const notes: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(a.notes))) if (typeof x === 'string') notes[k] = x;
  return {
    status: str(a.status),
    kind: oneOf(
      a.kind,
      ['starting', 'ready', 'running', 'blocked', 'idle', 'finished', 'failed', 'unknown'],
      'unknown',
    ),
    phase: str(a.phase),
    sessionId: str(a.sessionId),
    heartbeat: {
      at: ms(hb.at),
      ageMs: num(hb.ageMs),
      liveness: oneOf<Liveness>(
        hb.liveness,
        ['healthy', 'warn', 'stale', 'dead', 'unknown'],
        'unknown',
      ),
    },
    dialect: str(a.dialect),
    source: a.source ? source(a.source) : null,
    notes,
  };
}

function eventView(v: unknown): EventView | null {
  if (v === null || v === undefined) return null;
  const e = obj(v);
  return {
    name: str(e.name) ?? '?',
    detail: str(e.detail),
    at: ms(e.at),
    ageMs: null,
    source: source(e.source),
  };
}

function blocker(v: unknown): Blocker {
  const b = obj(v);
  return {
    failureClass: str(b.failureClass) ?? 'unknown',
    detail: str(b.detail) ?? '',
    nextAction: str(b.nextAction) ?? '',
    source: source(b.source),
    since: ms(b.since),
    resetAt: ms(b.resetAt),
  };
}

function counts(v: unknown): LaneView['git']['dirtyDetail'] {
  if (v === null || typeof v !== 'object') return null;
  const d = obj(v);
  return {
    staged: num(d.staged) ?? 0,
    unstaged: num(d.unstaged) ?? 0,
    untracked: num(d.untracked) ?? 0,
    conflicted: num(d.conflicted) ?? 0,
  };
}

/**
 * Read a published lane value into a view, at the time it was published. Never throws:
 * a missing or mistyped field becomes its "unknown" value; a null `value` becomes a lane
 * with `problem` among its problems.
 */
export function laneViewFromSnapshot(
  id: string,
  value: Obj | null,
  problem: string | null,
): LaneView {
  const v = value ?? {};
  const g = obj(v.git);
  const w = obj(v.worker);
  const t = obj(v.tests);
  const diff = obj(g.diff);
  const raw = obj(v.raw);
  const problems = arr(v.problems).filter((p): p is string => typeof p === 'string');
  return {
    id,
    repo: str(v.repo) ?? '',
    worktree: str(v.worktree) ?? '',
    branch: str(v.branch) ?? '',
    git: {
      head: str(g.head),
      branch: str(g.branch),
      detached: bool(g.detached),
      ahead: num(g.ahead),
      behind: num(g.behind),
      dirty: num(g.dirty),
      dirtyDetail: counts(g.dirtyDetail),
      freshness: oneOf<Freshness>(
        g.freshness,
        ['fresh', 'stale', 'diverged', 'unknown'],
        'unknown',
      ),
      base: str(g.base) ?? '',
      missing: arr(g.missingCommits).filter((x): x is string => typeof x === 'string'),
      upstream: str(g.upstream),
      upstreamAhead: num(g.upstreamAhead),
      upstreamBehind: num(g.upstreamBehind),
      diff:
        g.diff && typeof g.diff === 'object'
          ? {
              files: num(diff.files) ?? 0,
              insertions: num(diff.insertions) ?? 0,
              deletions: num(diff.deletions) ?? 0,
            }
          : null,
      error: str(g.error),
    },
    worker: {
      state: str(w.state) ?? 'none',
      pid: num(w.pid),
      restarts: num(w.restarts) ?? 0,
      exitCode: num(w.exitCode),
      signal: str(w.signal),
      nextStartInMs: num(w.nextStartInMs),
      error: str(w.error),
      adopted: bool(w.adopted),
      operatorStopped: bool(w.operatorStopped),
    },
    agent: agentView(v.agent),
    tests: {
      status: oneOf(t.status, ['green', 'red', 'unknown'], 'unknown'),
      level: str(t.level),
      stale: bool(t.stale),
      commit: str(t.commit),
      passed: num(t.passed),
      failed: num(t.failed),
      source: t.source ? source(t.source) : null,
    },
    blockers: arr(v.blockers).map(blocker),
    mergeReady: bool(v.mergeReady),
    mergeReasons: arr(v.mergeReasons).filter((x): x is string => typeof x === 'string'),
    lastEvent: eventView(v.lastEvent),
    recentEvents: [],
    steering: arr(v.steering).map((x) => {
      const m = obj(x);
      return {
        id: str(m.id) ?? '',
        text: str(m.text) ?? '',
        sentAt: ms(m.sentAt) ?? 0,
        via: str(m.via) ?? '',
        delivery: oneOf(m.delivery, ['pending', 'delivered', 'not_delivered', 'failed'], 'pending'),
        error: str(m.error),
      };
    }),
    raw: {
      state: raw.state ?? null,
      result: raw.result ?? null,
      claw: raw.claw ?? null,
      extras: obj(raw.extras),
    },
    problems: problem !== null ? [problem, ...problems] : problems,
  };
}

/**
 * A remote lane's view at board time `now` (epoch ms): the published view with its ages
 * recomputed from the published times, and, while its host is offline, a problem saying
 * the row is the last published state.
 */
export function remoteLaneView(r: RemoteLane, now: number): LaneView {
  const v = r.view;
  const age = (at: number | null): number | null => (at === null ? null : Math.max(0, now - at));
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
      lane = {
        config: remoteConfig(id, r.host, view),
        git: { status: 'pending' },
        worker: {
          phase: 'none',
          pid: null,
          restarts: 0,
          startedAt: null,
          exitCode: null,
          signal: null,
          nextStartAt: null,
          error: null,
          operatorStopped: false,
          adopted: false,
        },
        bridge: initialBridge(),
        steering: prev?.steering ?? [],
        clearedAt: null,
        ...(prev?.muted !== undefined ? { muted: prev.muted } : {}),
        remote: { host: r.host, laneId: r.laneId, revision: r.revision, online: r.online, view },
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
