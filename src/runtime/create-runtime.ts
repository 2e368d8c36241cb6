/**
 * The one composition root of a laneboard runtime, used by the board, `laneboard serve`
 * and `laneboard --json --watch`: one store, the git and bridge watchers, and — when the
 * runtime supervises — the worker supervisor and the hook-error watcher — and the clock
 * of time facts (./fact-clock.ts).
 *
 * Modes:
 * - `supervise`: creates missing worktrees (lanes with `createWorktree`), starts workers
 *   (autostart lanes unless `autostart: false`), and its {@link Controls} act on them.
 *   Only one supervising runtime may run per lanes.yaml; the caller makes sure of it
 *   (src/runtime/control/lock.ts) before calling {@link createRuntime}.
 * - `observe`: read-only (`--json --watch` with no runtime running): workers come from
 *   the supervisor record of whoever supervises; every control reports "read-only" as a
 *   board notice (and `steer` resolves with a failed message).
 *
 * Seams for later work: `store.subscribe` (and `onActions`) feed publishers of the
 * state (the control endpoint's streams, a fleet publisher); `controls` is the one
 * operator interface (the UI, the endpoint); `reconfigure(config)` applies a live reload
 * of lanes.yaml (src/cli/live-config.ts).
 */
import type { BoardConfig } from '../state/config-types.js';
import type { SteerMessage } from '../state/types.js';
import type { BoardStore } from '../state/store.js';
import type { BatchOptions } from './batch.js';
import { createApprover } from './approvals.js';
import { createFactClock } from './fact-clock.js';
import { createHookErrorWatcher } from './hook-errors.js';
import { createMuteRecord } from './mute-record.js';
import { readLogTail, workerLogPath } from './log-tail.js';
import { createObservers, type ActionsListener } from './observers.js';
import { createRolloutWatch } from './rollout-watch.js';
import { createRecordPoll } from './record-poll.js';
import { createResumeScheduler } from './resume/scheduler.js';
import { selectLaneView } from '../state/selectors.js';
import { createSupervisor } from './supervisor/index.js';
import { systemClock, type Clock, type Controls, type Dispatch, type Service } from './types.js';
import { createWorktrees, withRealpaths } from './worktrees.js';
import { prepareBridgeDir } from './bridge/own-dir.js';
import { errorMessage } from '../state/error-text.js';

/** `supervise`: owns the workers; `observe`: read-only view (see the module doc). */
export type RuntimeMode = 'supervise' | 'observe';

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  readonly mode: RuntimeMode;
  /** Start lanes marked `autostart` (supervise mode). @default true */
  readonly autostart?: boolean;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
  /** Store update coalescing (src/runtime/batch.ts). @default the board's defaults */
  readonly batch?: BatchOptions;
  /**
   * A board in this process draws the store: the first git read reports the rows before
   * the dirty lanes' diff stats (./observers.ts). @default false (one pass: fewer
   * processes and one publish per lane, for `serve` and `--json --watch`)
   */
  readonly draws?: boolean;
  /**
   * Longest time between two `clock/tick` actions (ms). Ticks are otherwise due only when a
   * lane's time fact can flip (./fact-clock.ts); ages on screen move with the UI's own
   * clock. @default 60000
   */
  readonly tickMs?: number;
}

/** A composed runtime. Nothing runs until `start()`; `dispose()` releases everything. */
export interface Runtime extends Service {
  readonly mode: RuntimeMode;
  /** The config in use (worktree realpaths resolved); follows `reconfigure`. */
  readonly config: BoardConfig;
  /** The one store (zustand; `subscribe` for change notifications). */
  readonly store: BoardStore;
  /** The runtime's time source (`opts.clock`, else the system clock). */
  readonly clock: Clock;
  /** The operator's handle on the lanes (never rejects; failures land in the store). */
  readonly controls: Controls;
  /** Queue one action into the store (batched). */
  readonly dispatch: Dispatch;
  /** Apply queued actions now. */
  flush(): void;
  /** Call `listener` with every batch of actions the store applied; returns unsubscribe. */
  onActions(listener: ActionsListener): () => void;
  /** Resolves once the first git and bridge reads are done (after `start()` was called). */
  observed(): Promise<void>;
  /** Tail of a lane's worker log (`bytes`, default 8 KiB); '' for unknown lanes or no log. */
  readLogTail(laneId: string, bytes?: number): Promise<string>;
  /**
   * Replace the lane set of the running runtime (live lanes.yaml reload): missing
   * worktrees are created (supervise mode), the store and watchers take the new lanes
   * (src/runtime/observers.ts), the supervisor stops removed lanes' workers and starts
   * added ones (`Supervisor.reconfigure`). `stateDir` stays that of the start. Never rejects.
   */
  reconfigure(config: BoardConfig): Promise<void>;
}

const READ_ONLY = 'read-only view: no runtime supervises these lanes (start one: laneboard serve)';

/** Controls of an observe-mode runtime: each reports {@link READ_ONLY}. */
function readOnlyControls(dispatch: Dispatch, clock: Clock): Controls {
  const refuse = (): Promise<void> => {
    dispatch({ type: 'board/notice', message: READ_ONLY, at: clock.now() });
    return Promise.resolve();
  };
  return {
    start: refuse,
    stop: refuse,
    restart: refuse,
    steer: (_laneId: string, text: string): Promise<SteerMessage> =>
      Promise.resolve({
        id: 'read-only',
        text,
        sentAt: clock.now(),
        via: 'inbox',
        state: 'failed',
        error: READ_ONLY,
        ackAt: null,
      }),
    clearBlockers: () => void refuse(),
    runningCount: () => 0,
    approve: () => Promise.resolve({ ok: false, reason: READ_ONLY }),
  };
}

/**
 * Create the bridge dirs of the lanes whose worker this runtime starts (a `command`), as
 * the worker's spawn would: before the bridge watchers first look, so a dir the first
 * spawn has not made yet (a loaded machine, `autostart: false`) never shows as a
 * `bridge dir … does not exist` error. Failures are left to the spawn to report.
 */
async function prepareWorkerBridges(config: BoardConfig): Promise<void> {
  await Promise.all(
    config.lanes
      .filter((l) => l.command !== null)
      .map((l) => prepareBridgeDir(l.bridge).catch(() => undefined)),
  );
}

/**
 * Compose a runtime for `loaded` (a validated lanes.yaml). In supervise mode missing
 * worktrees are created first (failures become board notices), then the workers' bridge
 * dirs. Never throws on lane problems; rejects only if the config itself cannot be used.
 */
export async function createRuntime(loaded: BoardConfig, opts: RuntimeOptions): Promise<Runtime> {
  const clock = opts.clock ?? systemClock;
  const supervise = opts.mode === 'supervise';
  const notes = supervise ? await createWorktrees(loaded) : [];
  const config = supervise ? await withRealpaths(loaded) : loaded;
  if (supervise) await prepareWorkerBridges(config);
  let current = config;
  const observers = createObservers(config, clock, opts.batch, opts.draws === true);
  const { store, dispatch } = observers;
  for (const message of notes) dispatch({ type: 'board/notice', message, at: clock.now() });

  const parts: Service[] = [];
  let controls: Controls;
  let reconfigureWorkers: (next: BoardConfig) => Promise<void> = () => Promise.resolve();
  if (supervise) {
    const runConfig: BoardConfig =
      opts.autostart === false
        ? { ...config, lanes: config.lanes.map((l) => ({ ...l, autostart: false })) }
        : config;
    const supervisor = createSupervisor({
      config: runConfig,
      dispatch,
      clock,
      rateLimited: (laneId) =>
        selectLaneView(store.getState(), laneId).blockers.some(
          (b) => b.failureClass === 'rate_limit',
        ),
    });
    reconfigureWorkers = (next) =>
      supervisor.reconfigure(
        opts.autostart === false
          ? { ...next, lanes: next.lanes.map((l) => ({ ...l, autostart: false })) }
          : next,
      );
    // Board approvals write into the lane's bridge: ./approvals.ts.
    const approve = createApprover({
      store,
      flush: () => observers.batch.flush(),
      bridgeOf: (id) => current.lanes.find((l) => l.id === id)?.bridge,
      clock,
    });
    controls = { ...supervisor, approve };
    parts.push({ start: () => supervisor.start(), dispose: () => supervisor.dispose() });
    parts.push(createHookErrorWatcher({ stateDir: config.stateDir, dispatch, clock }));
    // restart.on_rate_limit: park / resume (./resume/scheduler.ts).
    parts.push(
      createResumeScheduler({
        config: () => current,
        store,
        target: supervisor,
        dispatch,
        clock,
      }),
    );
    // Muted lanes (`m`) survive a restart of the runtime: ./mute-record.ts.
    parts.push(
      createMuteRecord({
        stateDir: config.stateDir,
        configFile: config.file,
        getState: () => store.getState(),
        dispatch,
        onActions: (l) => observers.onActions(l),
        clock,
      }),
    );
  } else {
    controls = readOnlyControls(dispatch, clock);
    parts.push(createRecordPoll({ config, dispatch, clock }));
  }
  // Failed turns of open Codex sessions (no hook fires for them): ./rollout-watch.ts.
  parts.push(createRolloutWatch({ config, store, clock }));
  parts.push(createFactClock({ store, dispatch, clock, maxMs: opts.tickMs }));

  let observedResolve: () => void = () => undefined;
  const observedP = new Promise<void>((r) => (observedResolve = r));
  let started: Promise<void> | null = null;
  let disposing: Promise<void> | null = null;
  const bridgeOf = new Map(config.lanes.map((l) => [l.id, l.bridge]));

  const start = (): Promise<void> => {
    if (started) return started;
    dispatch({ type: 'clock/tick', at: clock.now() });
    // `observed()` means the first observation is in the store: flush the per-frame batch
    // before resolving, or a caller reading the state at once sees the frame before it.
    const observing = observers.start().finally(() => {
      observers.batch.flush();
      observedResolve();
    });
    started = Promise.all([observing, ...parts.map((p) => p.start())])
      .then(() => undefined)
      .catch((err: unknown) => {
        const message = `runtime start failed: ${errorMessage(err)}`;
        dispatch({ type: 'board/notice', message, at: clock.now() });
      });
    return started;
  };

  return {
    mode: opts.mode,
    get config() {
      return current;
    },
    store,
    clock,
    controls,
    dispatch,
    flush: () => observers.batch.flush(),
    onActions: (l) => observers.onActions(l),
    observed: () => observedP,
    start,
    async readLogTail(laneId, bytes) {
      const bridge = bridgeOf.get(laneId);
      if (bridge === undefined) return '';
      return (await readLogTail(workerLogPath(bridge), bytes)).text;
    },
    async reconfigure(loadedNext) {
      if (disposing) return;
      for (const message of supervise ? await createWorktrees(loadedNext) : [])
        dispatch({ type: 'board/notice', message, at: clock.now() });
      const next = supervise ? await withRealpaths(loadedNext) : loadedNext;
      await observers.reconfigure(next);
      await reconfigureWorkers(next);
      bridgeOf.clear();
      for (const l of next.lanes) bridgeOf.set(l.id, l.bridge);
      // stateDir stays that of the start (the endpoint's socket and the hook records live there).
      current = { ...next, stateDir: config.stateDir };
    },
    dispose() {
      disposing ??= (async () => {
        // Workers first (the supervisor part), then the watchers: a worker's last
        // writes still reach the store while it stops.
        if (started) await started;
        await Promise.allSettled(parts.map((p) => p.dispose()));
        await observers.dispose();
      })();
      return disposing;
    },
  };
}
