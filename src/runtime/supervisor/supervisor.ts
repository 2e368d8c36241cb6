/**
 * The worker supervisor: one {@link LaneWorker} per configured lane, the supervisor record
 * (`<stateDir>/supervisor.json`), adoption of workers left by a board that died (one shared
 * 500 ms liveness ticker while any is adopted), each running worker's `worker.log` followed
 * through watch events (./log-watch.ts: live output, rotation), and steering. Implements the
 * runtime's `Service` (start/dispose) and the UI's `Controls`.
 * Dispatches `worker/updated` (whole WorkerState) on every change, `steer/sent` for
 * steering and `board/notice` for board-level problems.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Action } from '../../state/actions.js';
import type { BoardConfig, LaneConfig } from '../../state/config-types.js';
import type { SteerMessage } from '../../state/types.js';
import type { Clock, Controls, Dispatch, Service } from '../types.js';
import { isBridgeEscape } from '../bridge/anchor.js';
import { terminateTree, type TreeTarget } from '../proc/kill-tree.js';
import { LaneWorker, type LaneWorkerContext } from './lane-worker.js';
import { rotateLog } from './log-rotation.js';
import { watchWorkerLog } from './log-watch.js';
import { errorMessage } from '../../state/error-text.js';
import { createRecordWriter, recordPath, recordText } from './record.js';
import { restoreRecord } from './restore.js';
import { deliverSteer } from './steer.js';
import { parkingOf, type Parking } from './exit-policy.js';
import { recordHeadlessExit } from './exit-report.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/** Options of {@link createSupervisor}. */
export interface SupervisorOptions {
  readonly config: BoardConfig;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** True when the lane's state shows a rate limit (the store; for `on_rate_limit`). */
  readonly rateLimited?: (laneId: string) => boolean;
}

/** The supervisor: a Service the CLI starts/disposes and the Controls the UI calls. */
export type Supervisor = Service &
  Controls & {
    /**
     * Apply a new lane set (live lanes.yaml): removed lanes' workers are stopped (tree,
     * grace period) and forgotten; added lanes are announced and autostarted (when
     * `autostart` and a command); a kept lane takes its new config at its next start
     * (an observe-only lane that gained a command with autostart starts now); settings
     * apply at once. `stateDir` is fixed for the supervisor's life. Never rejects.
     */
    reconfigure(config: BoardConfig): Promise<void>;
    /** Usage-limit parking of one lane (../resume/scheduler.ts), or null if unknown. */
    parking(laneId: string): Parking | null;
  };

export type { Parking } from './exit-policy.js';

/** Interval of the shared adopted-worker liveness check (ms). */
const TICK_MS = 500;

/**
 * Create the supervisor for `config.lanes`. Nothing happens until `start()`:
 * it reads the record (corrupt ⇒ `board/notice`), adopts or stops live workers a dead
 * board left (settings.orphans, ./restore.ts), then autostarts lanes with
 * `autostart && command`. `dispose()` stops every worker tree in parallel and waits until all are gone.
 * No method rejects; failures become worker state or notices.
 */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const { config, clock } = opts;
  let settings = config.settings;
  const random = opts.random ?? Math.random;
  const dispatch = (action: Action): void => {
    try {
      opts.dispatch(action);
    } catch {
      // The store must never break the supervisor.
    }
  };
  const noticed = new Set<string>();
  const notice = (message: string): void =>
    dispatch({ type: 'board/notice', message, at: clock.now() });
  const noticeOnce = (message: string): void => {
    if (noticed.has(message)) return;
    noticed.add(message);
    notice(message);
  };
  const workers = new Map<string, LaneWorker>();
  const reaping = new Set<Promise<void>>();
  let started = false;
  let disposed = false;
  let ticker: NodeJS.Timeout | null = null;

  const text = (): string =>
    recordText(
      process.pid,
      [...workers].map(([id, w]) => [id, w.recordText()] as const),
    );
  // What must reach the disk at once (./record.ts): each lane's process, stop and command.
  const key = (): string =>
    JSON.stringify(
      [...workers].map(([id, w]) => {
        const p = w.live;
        const run = p && [p.pid, p.pgid, p.startTime, p.token ?? null, w.logStart];
        return [id, run, w.state.operatorStopped, w.lane.command];
      }),
    );
  const writer = createRecordWriter(
    recordPath(config.stateDir, config.file),
    text,
    key,
    noticeOnce,
  );

  const tick = (): void => {
    let any = false;
    for (const w of workers.values()) {
      if (w.live?.adopted !== true) continue;
      any = true;
      w.pollAdopted();
    }
    if (!any && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
  };
  const rotate = async (lane: LaneConfig): Promise<void> => {
    const log = join(lane.bridge, BRIDGE_FILE.workerLog);
    await rotateLog(log, {
      maxBytes: settings.logMaxBytes,
      files: settings.logFiles,
      onReplaced: (m) => ctx.writeProblem(lane.id, m),
    }).catch((e: unknown) =>
      isBridgeEscape(e)
        ? ctx.writeProblem(lane.id, e.message)
        : noticeOnce(`lane ${lane.id}: cannot rotate ${log}: ${errorMessage(e)}`),
    );
  };
  const ensureTicker = (): void => {
    if (ticker !== null || disposed) return;
    ticker = setInterval(tick, TICK_MS);
    ticker.unref();
  };
  const reapGroup = (target: TreeTarget): void => {
    const p: Promise<void> = terminateTree(target, { graceMs: settings.stopGraceMs })
      .then((r) => {
        if (r.survivors.length > 0) notice(`processes ${r.survivors.join(', ')} survived SIGKILL`);
      })
      .catch((e: unknown) => notice(`cannot stop leftover processes: ${errorMessage(e)}`))
      .finally(() => reaping.delete(p));
    reaping.add(p);
  };

  const ctx: LaneWorkerContext = {
    get settings() {
      return settings;
    },
    clock,
    random,
    publish: (laneId, worker, at) => {
      dispatch({ type: 'worker/updated', laneId, worker, at: at ?? clock.now() });
      if (started) writer.changed();
    },
    procStarted: ensureTicker,
    watchLog: (lane, logStart) =>
      watchWorkerLog(lane.bridge, logStart, { clock, rotate: () => rotate(lane) }),
    reapGroup,
    notice,
    writeProblem: (laneId, message) =>
      dispatch({ type: 'bridge/writeProblem', laneId, message, at: clock.now() }),
    exitReport: async (lane, logStart, exit) => {
      const now = new Date(clock.now()).toISOString();
      const r = await recordHeadlessExit(lane.bridge, logStart, exit.exitCode, now);
      return r.rateLimited || (opts.rateLimited?.(lane.id) ?? false);
    },
  };
  for (const lane of config.lanes) workers.set(lane.id, new LaneWorker(lane, ctx));

  const control = async (laneId: string, op: (w: LaneWorker) => Promise<void>): Promise<void> => {
    const w = workers.get(laneId);
    if (w === undefined) return notice(`unknown lane ${JSON.stringify(laneId)}`);
    if (disposed) return;
    await op(w);
    if (started) await writer.flush();
  };

  const startBoard = async (): Promise<void> => {
    if (started || disposed) return;
    for (const w of workers.values()) w.announce();
    try {
      await restoreRecord({
        stateDir: config.stateDir,
        configFile: config.file,
        workers,
        settings,
        notice,
      });
    } catch (e) {
      notice(`cannot restore supervisor record: ${errorMessage(e)}`);
    }
    started = true;
    await Promise.all(
      [...workers.values()]
        .filter((w) => w.lane.autostart && w.lane.command !== null && w.live === null)
        .map((w) => w.autostart()),
    );
    await writer.flush();
  };

  const steer = async (laneId: string, text: string): Promise<SteerMessage> => {
    const id = randomUUID();
    const at = clock.now();
    const body = typeof text === 'string' ? text : String(text);
    const w = workers.get(laneId);
    let error: string | null;
    if (w === undefined) error = `unknown lane ${JSON.stringify(laneId)}`;
    else if (disposed) error = 'the board is shutting down';
    else {
      const t = w.stdinTarget();
      error = await deliverSteer(w.lane, {
        id,
        text: body,
        at,
        stdin: t.stdin,
        noStdinReason: t.reason,
        onReplaced: (m) => ctx.writeProblem(w.lane.id, m),
      });
    }
    const message: SteerMessage = {
      id,
      text: body,
      sentAt: at,
      via: w?.lane.steer.mode ?? 'inbox',
      state: error === null ? 'pending' : 'failed',
      error,
      ackAt: null,
    };
    dispatch({ type: 'steer/sent', laneId, message, at: clock.now() });
    return message;
  };

  const reconfigure = async (next: BoardConfig): Promise<void> => {
    if (disposed) return;
    settings = next.settings;
    const keep = new Set(next.lanes.map((l) => l.id));
    const gone = [...workers].filter(([id]) => !keep.has(id)).map(([, w]) => w);
    for (const w of gone) workers.delete(w.lane.id);
    const starts: Promise<void>[] = [];
    for (const lane of next.lanes) {
      let w = workers.get(lane.id);
      const wasObserveOnly = w !== undefined && w.lane.command === null;
      if (w === undefined) {
        w = new LaneWorker(lane, ctx);
        workers.set(lane.id, w);
        if (started) w.announce();
      } else w.lane = lane;
      const due = w.state.phase === 'stopped' || wasObserveOnly;
      if (started && due && lane.autostart && lane.command !== null && w.live === null)
        starts.push(w.autostart());
    }
    await Promise.all([...gone.map((w) => w.dispose()), ...starts]);
    if (started) await writer.flush();
  };

  return {
    reconfigure,
    parking: (laneId) => {
      const w = workers.get(laneId);
      return w === undefined || disposed
        ? null
        : parkingOf(w, () => (started ? writer.flush() : Promise.resolve()));
    },
    /**
     * Without a lane id: start the supervisor (Service). With one: operator start of that
     * lane (Controls) — the two contracts share the name.
     */
    start: (laneId?: string) =>
      laneId === undefined ? startBoard() : control(laneId, (w) => w.start()),
    stop: (laneId: string) => control(laneId, (w) => w.stop()),
    restart: (laneId: string) => control(laneId, (w) => w.restart()),
    steer,
    clearBlockers: (laneId: string) =>
      dispatch({ type: 'lane/clearBlockers', laneId, at: clock.now() }),
    runningCount: () =>
      [...workers.values()].filter((w) =>
        ['starting', 'running', 'stopping'].includes(w.state.phase),
      ).length,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all([...workers.values()].map((w) => w.dispose()));
      while (reaping.size > 0) await Promise.all([...reaping]);
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      if (started) await writer.flush();
    },
  };
}
