/**
 * Fleet test hosts: each is a real board store driven by a real supervisor (workers are
 * real child processes from test/fixtures/workers) and joined to a real nats-server by
 * the fleet host service. Controls calls are counted (a pass-through wrapper around the
 * real supervisor) so the fault tests can prove a command ran exactly once.
 */
import { createFleetHost, type FleetHost } from '../../src/runtime/fleet/host.js';
import { workerLogPath } from '../../src/runtime/log-tail.js';
import { createSupervisor, type Supervisor } from '../../src/runtime/supervisor/index.js';
import type { Controls } from '../../src/runtime/types.js';
import { createBoardStore, type BoardStore } from '../../src/state/store.js';
import { killHard, makeTempDir, removeDir, testConfig, testLane } from './supervisor-helpers.js';

/** One test host. */
export interface TestHost {
  readonly name: string;
  readonly root: string;
  readonly store: BoardStore;
  readonly sup: Supervisor;
  readonly fleet: FleetHost;
  /** Controls calls by `<verb>:<lane>`. */
  readonly calls: Map<string, number>;
  /** Fleet log lines. */
  readonly log: string[];
}

/**
 * Hosts made by {@link fleetHarness}; `cleanup()` disposes them (call it in `afterEach`
 * before stopping the nats-server, so hosts leave while the server is still there).
 */
export function fleetHarness() {
  const hosts: TestHost[] = [];
  const pids = new Set<number>();
  return {
    async cleanup(): Promise<void> {
      for (const h of hosts.splice(0)) {
        await h.fleet.dispose().catch(() => undefined);
        await h.sup.dispose();
        removeDir(h.root);
      }
      killHard(pids);
      pids.clear();
    },
    /**
     * A host `name` with lanes `laneIds` (sleep workers, inbox steering), joined to the
     * fleet at `url` (with `creds` when given); `batched` delays store updates as a
     * runtime's batched dispatch does; `recordFile` keeps the published lanes across
     * hosts of the same name (src/runtime/fleet/published-record.ts).
     */
    async host(
      name: string,
      url: string,
      laneIds: readonly string[],
      opts: { creds?: string; heartbeatMs?: number; batched?: boolean; recordFile?: string } = {},
    ): Promise<TestHost> {
      const root = makeTempDir('lb-fleet-');
      const config = testConfig(
        root,
        laneIds.map((id) => testLane(root, id)),
      );
      const store = createBoardStore();
      store.dispatch({
        type: 'lanes/configured',
        lanes: config.lanes,
        settings: config.settings,
        at: Date.now(),
      });
      // `batched`: actions wait up to 200 ms before reaching the store, as a runtime's
      // batched dispatch may hold them (the host flushes them through `flushStore`).
      const queued: Parameters<BoardStore['dispatch']>[0][] = [];
      const flushStore = (): void => {
        for (const a of queued.splice(0)) store.dispatch(a);
      };
      const sup = createSupervisor({
        config,
        dispatch: (a) => {
          if (a.type === 'worker/updated' && a.worker.pid !== null) pids.add(a.worker.pid);
          if (!opts.batched) return store.dispatch(a);
          if (queued.push(a) === 1) setTimeout(flushStore, 200);
        },
        clock: { now: () => Date.now() },
      });
      await sup.start();
      const calls = new Map<string, number>();
      const count = (k: string): void => void calls.set(k, (calls.get(k) ?? 0) + 1);
      const controls: Controls = {
        start: (id) => (count(`start:${id}`), sup.start(id)),
        stop: (id) => (count(`stop:${id}`), sup.stop(id)),
        restart: (id) => (count(`restart:${id}`), sup.restart(id)),
        steer: (id, text) => (count(`steer:${id}`), sup.steer(id, text)),
        clearBlockers: (id) => (count(`clear:${id}`), sup.clearBlockers(id)),
        runningCount: () => sup.runningCount(),
      };
      const log: string[] = [];
      const fleet = createFleetHost({
        fleet: { url, host: name, creds: opts.creds },
        store,
        controls,
        version: 'test',
        heartbeatMs: opts.heartbeatMs,
        recordFile: opts.recordFile,
        flushStore,
        logFile: (id) => {
          const bridge = config.lanes.find((l) => l.id === id)?.bridge;
          return bridge === undefined ? undefined : workerLogPath(bridge);
        },
        log: (l) => log.push(l),
      });
      const h: TestHost = { name, root, store, sup, fleet, calls, log };
      hosts.push(h);
      await fleet.start();
      return h;
    },
  };
}
