/**
 * One lane's worker lifecycle: spawn, exit handling with the restart policy, operator
 * start / stop / restart, adoption of a worker left by a board that died, and stopping the
 * whole process tree. Operator operations run one at a time per lane (a promise queue);
 * exits are handled as they happen. Every change is published as a whole `WorkerState`.
 */
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { WorkerState } from '../../state/types.js';
import type { Clock } from '../types.js';
import { terminateTree, type TreeTarget } from '../proc/kill-tree.js';
import { newWorkerToken } from '../proc/env-token.js';
import { isProcessAlive } from '../proc/procfs.js';
import { recordEntryOf, survivorNote } from './exit-outcome.js';
import { handleWorkerExit, logSize, logSizeNow } from './exit-policy.js';
import { FRESH_BACKOFF, type BackoffMemory } from './policy.js';
import {
  EXIT_REPORT_WAIT_MS,
  initialWorkerState,
  makeLiveProc,
  stdinOf,
  type LiveProc,
  type StopIntent,
} from './live-proc.js';
import { memoByIdentity, recordEntryText } from './record.js';
import type { WorkerLogWatch } from './log-watch.js';
import { spawnWorker, type WorkerExit } from './spawn-worker.js';
import { errorMessage } from '../../state/error-text.js';

/** What a lane worker needs from its supervisor. */
export interface LaneWorkerContext {
  readonly settings: BoardSettings;
  readonly clock: Clock;
  readonly random: () => number;
  /** Publish the lane's new state (the supervisor dispatches `worker/updated`). */
  readonly publish: (laneId: string, worker: WorkerState, at?: number) => void;
  /** A process appeared (start the shared adoption ticker). */
  readonly procStarted: () => void;
  /** Follow the live run's `worker.log` from byte `logStart` on (./log-watch.ts). */
  readonly watchLog: (lane: LaneConfig, logStart: number) => WorkerLogWatch;
  /** Stop leftovers of a group whose leader exited by itself (tracked until dispose). */
  readonly reapGroup: (target: TreeTarget) => void;
  readonly notice: (message: string) => void;
  /** A trap at a bridge file the board writes was replaced (dispatches `bridge/writeProblem`). */
  readonly writeProblem: (laneId: string, message: string) => void;
  /**
   * After a worker exited by itself: read its output written since `logStart` (bytes into
   * `worker.log`; a failed headless Claude Code result is recorded as a hook line) and say
   * whether the lane is rate limited (that output, or the lane's state). Never rejects.
   */
  readonly exitReport: (lane: LaneConfig, logStart: number, exit: WorkerExit) => Promise<boolean>;
}

/** Supervises one lane's worker. Methods never throw; problems become state. */
export class LaneWorker {
  state: WorkerState;
  private proc: LiveProc | null = null;
  /** @internal Why the board is stopping the worker (./exit-policy.ts reads it). */
  stopIntent: StopIntent | null = null;
  /** @internal Pending policy restart. */
  timer: NodeJS.Timeout | null = null;
  /** @internal Backoff memory of the restart policy. */
  memory: BackoffMemory = FRESH_BACKOFF;
  private queue: Promise<void> = Promise.resolve();
  /** @internal The board quits: no more starts. */
  disposed = false;
  /** @internal Size of `worker.log` when the current run started (bytes). */
  logStart = 0;
  /** The watch of the live process's `worker.log` (./log-watch.ts; null when none). */
  private logWatch: WorkerLogWatch | null = null;
  private readonly entryText = memoByIdentity(
    (lane: LaneConfig, proc: LiveProc | null, state: WorkerState, logStart: number) =>
      recordEntryText(recordEntryOf(lane, proc, state, logStart)),
  );

  constructor(
    /** The lane's config; replaced by a live reload (applies at the next start). */
    public lane: LaneConfig,
    /** @internal */
    readonly ctx: LaneWorkerContext,
  ) {
    this.state = initialWorkerState(lane);
  }

  /** The live process (pid, pgid, startTime, adopted) or null. */
  get live(): Readonly<TreeTarget & { adopted: boolean }> | null {
    return this.proc;
  }

  /** Publish the current state (used once at board start). */
  announce(): void {
    this.ctx.publish(this.lane.id, this.state);
  }

  /** This lane's entry in the record, as text (rebuilt only when an input was replaced). */
  recordText(): string {
    return this.entryText(this.lane, this.proc, this.state, this.logStart);
  }

  /** Where steering text can be written (stdin mode), or why it cannot. */
  stdinTarget(): { stdin: NodeJS.WritableStream | null; reason: string } {
    return stdinOf(this.proc);
  }

  /** Mark the lane as stopped by an operator in a previous board's record. */
  restoreOperatorStop(): void {
    this.update({
      operatorStopped: true,
      phase: 'stopped',
      error: 'stopped by operator (before the board restarted)',
    });
  }

  /**
   * Take over a live worker recorded by a board that died; watched by polling /proc. Its
   * output is read live like a spawned worker's (./live-output.ts), from `logStart` (the
   * recorded start of its run in `<bridge>/worker.log`; results already recorded are not
   * recorded again) or, without one, from the log's size now.
   */
  adopt(target: TreeTarget, logStart?: number): void {
    this.logStart = logStart ?? logSizeNow(this.lane.bridge);
    this.proc = makeLiveProc(target, true, null, null);
    this.logWatch = this.ctx.watchLog(this.lane, this.logStart);
    this.update({
      phase: 'running',
      pid: target.pid,
      adopted: true,
      startedAt: null,
      error: null,
      operatorStopped: false,
    });
    this.ctx.procStarted();
  }

  /** Adopted workers: report the exit when the process is gone (called ~every 500 ms). */
  pollAdopted(): void {
    const p = this.proc;
    if (p?.adopted === true && !isProcessAlive(p.pid, p.startTime)) {
      this.handleExit(p, { exitCode: null, signal: null });
    }
  }

  /** Autostart at board start (not a restart). */
  autostart(): Promise<void> {
    return this.enqueue(async () => {
      if (this.proc === null && !this.state.operatorStopped) await this.spawnNow({});
    });
  }

  /** Operator start: clears operator stop and crash_loop. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      if (this.lane.command === null)
        return this.update({ error: 'observe-only lane: no command configured' });
      this.clearTimer();
      this.memory = FRESH_BACKOFF;
      if (this.proc !== null) return this.update({ operatorStopped: false });
      await this.spawnNow({ operatorStopped: false });
    });
  }

  /** Operator stop: stop the tree; the policy will not undo it. */
  stop(): Promise<void> {
    return this.enqueue(async () => {
      this.clearTimer();
      if (this.proc !== null) return this.stopProc('operator');
      if (this.lane.command === null) return;
      this.update({
        phase: 'stopped',
        operatorStopped: true,
        nextStartAt: null,
        error: 'stopped by operator',
      });
    });
  }

  /** Operator restart: stop (if running), then start; counts as a restart. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      if (this.lane.command === null)
        return this.update({ error: 'observe-only lane: no command configured' });
      this.clearTimer();
      if (this.proc !== null) await this.stopProc('restart');
      this.memory = FRESH_BACKOFF;
      await this.spawnNow({ operatorStopped: false, restarts: this.state.restarts + 1 });
    });
  }

  /** Board quit: no more starts; stop the tree (after any operation in progress). */
  dispose(): Promise<void> {
    this.disposed = true;
    this.clearTimer();
    return this.enqueue(async () => {
      this.clearTimer();
      if (this.proc !== null) await this.stopProc('dispose');
    });
  }

  /** @internal Run `op` after the lane's earlier operations (never rejects). */
  enqueue(op: () => Promise<void> | void): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        await op();
      } catch (e) {
        this.ctx.notice(`lane ${this.lane.id}: supervisor error: ${errorMessage(e)}`);
      }
    };
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  /** Apply and publish a change; `at` (epoch ms) keeps a countdown exact when given. */
  update(patch: Partial<WorkerState>, at?: number): void {
    this.state = { ...this.state, ...patch };
    this.ctx.publish(this.lane.id, this.state, at);
  }

  /** @internal Cancel a pending policy restart. */
  clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** @internal Spawn the lane's command, or `argv` (a resume command). */
  async spawnNow(patch: Partial<WorkerState>, argv?: readonly string[]): Promise<void> {
    if (this.disposed) return;
    const reset = {
      pid: null,
      error: null,
      nextStartAt: null,
      exitCode: null,
      signal: null,
      adopted: false,
    };
    this.update({ ...patch, ...reset, phase: 'starting' });
    // One token per run (../proc/env-token.ts): a sweep for a run that ended never
    // reaches the next run of the lane.
    const token = newWorkerToken();
    this.logStart = await logSize(this.lane.bridge);
    const lane = argv === undefined ? this.lane : { ...this.lane, command: argv };
    const out = await spawnWorker(lane, {
      stdin: this.lane.steer.mode === 'stdin',
      onReplaced: (m) => this.ctx.writeProblem(this.lane.id, m),
      token,
    });
    if (!out.ok) return this.update({ phase: 'failed_to_start', error: out.error });
    const w = out.worker;
    const startedAt = this.ctx.clock.now();
    const proc = makeLiveProc(
      { pid: w.pid, pgid: w.pgid, startTime: w.startTime, token },
      false,
      w.stdin,
      startedAt,
    );
    this.proc = proc;
    this.update({ phase: 'running', pid: w.pid, startedAt });
    this.ctx.procStarted();
    const watch = (this.logWatch = this.ctx.watchLog(this.lane, this.logStart));
    void w.exited
      .then(async (exit) => {
        await watch.stop();
        this.handleExit(proc, exit);
      })
      .catch((e: unknown) =>
        this.ctx.notice(`lane ${this.lane.id}: exit handling failed: ${String(e)}`),
      );
  }

  private async stopProc(intent: StopIntent): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    this.stopIntent = intent;
    try {
      this.update({ phase: 'stopping' });
      const r = await terminateTree(proc, { graceMs: this.ctx.settings.stopGraceMs });
      if (proc.adopted) this.pollAdopted();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        proc.done,
        new Promise((res) => (timer = setTimeout(res, EXIT_REPORT_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (this.proc === proc) this.handleExit(proc, { exitCode: null, signal: null });
      if (r.survivors.length > 0)
        this.update({ error: `still running after SIGKILL:${survivorNote(r.survivors)}` });
    } finally {
      this.stopIntent = null;
    }
  }

  private handleExit(proc: LiveProc, exit: WorkerExit): void {
    if (this.proc !== proc) return;
    this.proc = null;
    void this.logWatch?.stop();
    this.logWatch = null;
    handleWorkerExit(this, proc, exit);
  }
}
