/**
 * The git and bridge watchers of a lane set that can change while it runs (live
 * lanes.yaml). The lanes present at start share one git watcher and one bridge watcher
 * (so the first probes are batched); each reload that adds lanes, or changes what a
 * lane's watchers look at (repo, worktree, branch, base, bridge, dialect), makes one more
 * pair — a *generation* — for just those lanes. Every lane id is owned by exactly one
 * generation; actions a generation dispatches for a lane it no longer owns (removed, or
 * moved to a newer generation) are dropped, and a generation that owns no lane is
 * disposed. Watcher settings (git timeout, bridge file cap) are those of the
 * generation's creation; the store and supervisor take new settings at once.
 */
import type { Action } from '../state/actions.js';
import type { BoardSettings, LaneConfig } from '../state/config-types.js';
import { createBridgeWatcher } from './bridge/index.js';
import { createGitWatcher } from './git/index.js';
import type { GitWatcher } from './git/index.js';
import type { Clock, Dispatch, Service } from './types.js';

/** Options of {@link createLaneWatchers}. */
export interface LaneWatchersOptions {
  readonly lanes: readonly LaneConfig[];
  readonly settings: BoardSettings;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /**
   * Resolves once what was dispatched so far is applied and drawn (see
   * GitWatcherOptions.applied); absent: no board draws, the first read runs in one pass.
   */
  readonly applied?: () => Promise<void>;
}

/** The watchers of a changing lane set. */
export interface LaneWatchers extends Service {
  /** Ask for a (debounced) git re-probe of a lane; unknown ids are ignored. */
  refresh(laneId: string): void;
  /** Ids of kept lanes whose watched paths differ in `lanes` (their state should start afresh). */
  changedLanes(lanes: readonly LaneConfig[]): string[];
  /**
   * Apply a new lane set: stop watching removed lanes, watch added and changed ones
   * (a new generation, started before this resolves). Never rejects.
   */
  reconfigure(lanes: readonly LaneConfig[], settings: BoardSettings): Promise<void>;
}

interface Generation {
  readonly git: GitWatcher;
  readonly bridge: Service;
  readonly lanes: ReadonlyMap<string, LaneConfig>;
  started: Promise<void> | null;
}

/** Fields the watchers read: a change in any of them needs a fresh generation. */
function watchKey(l: LaneConfig): string {
  return JSON.stringify([l.repo, l.worktree, l.branch, l.base, l.bridge, l.dialect]);
}

function laneIdOf(a: Action): string | null {
  return 'laneId' in a && typeof a.laneId === 'string' ? a.laneId : null;
}

/** Build the watchers for `opts.lanes`. Nothing runs until `start()`. */
export function createLaneWatchers(opts: LaneWatchersOptions): LaneWatchers {
  const owner = new Map<string, Generation>();
  const gens = new Set<Generation>();
  let started = false;
  let disposed = false;

  const make = (lanes: readonly LaneConfig[], settings: BoardSettings): Generation => {
    const gen: { current?: Generation } = {};
    const dispatch: Dispatch = (a) => {
      const id = laneIdOf(a);
      if (id !== null && owner.get(id) !== gen.current) return;
      opts.dispatch(a);
    };
    const git = createGitWatcher({
      lanes,
      settings,
      dispatch,
      clock: opts.clock,
      ...(opts.applied ? { applied: opts.applied } : {}),
    });
    const bridge = createBridgeWatcher({
      lanes,
      settings,
      dispatch,
      clock: opts.clock,
      onActivity: (id) => git.refresh(id),
    });
    const g: Generation = {
      git,
      bridge,
      lanes: new Map(lanes.map((l) => [l.id, l])),
      started: null,
    };
    gen.current = g;
    gens.add(g);
    for (const l of lanes) owner.set(l.id, g);
    return g;
  };
  const startGen = (g: Generation): Promise<void> => {
    g.started ??= Promise.all([g.git.start(), g.bridge.start()]).then(() => undefined);
    return g.started;
  };
  const disposeGen = async (g: Generation): Promise<void> => {
    gens.delete(g);
    await Promise.allSettled([g.started, g.bridge.dispose(), g.git.dispose()]);
  };

  make(opts.lanes, opts.settings);

  return {
    refresh(laneId) {
      owner.get(laneId)?.git.refresh(laneId);
    },
    async start() {
      if (started || disposed) return;
      started = true;
      await Promise.all([...gens].map(startGen));
    },
    changedLanes(lanes) {
      return lanes
        .filter((l) => {
          const prev = owner.get(l.id)?.lanes.get(l.id);
          return prev !== undefined && watchKey(prev) !== watchKey(l);
        })
        .map((l) => l.id);
    },
    async reconfigure(lanes, settings) {
      if (disposed) return;
      const keep = new Set(lanes.map((l) => l.id));
      for (const id of [...owner.keys()]) if (!keep.has(id)) owner.delete(id);
      const fresh = lanes.filter((lane) => {
        const prev = owner.get(lane.id)?.lanes.get(lane.id);
        return prev === undefined || watchKey(prev) !== watchKey(lane);
      });
      const added = fresh.length > 0 ? make(fresh, settings) : null;
      const idle = [...gens].filter((g) => ![...owner.values()].includes(g));
      await Promise.all([
        ...idle.map(disposeGen),
        added !== null && started ? startGen(added) : Promise.resolve(),
      ]);
    },
    async dispose() {
      disposed = true;
      await Promise.all([...gens].map(disposeGen));
      owner.clear();
    },
  };
}
