/**
 * What the supervisor reports about a lane's worker process (src/runtime/supervisor), as
 * the core state holds it. Pure data; ./types.ts re-exports these. Times in epoch ms.
 */

/**
 * Supervisor states of a lane's worker process (the one list: the type below, the
 * snapshot schema's `worker.state` and the record reader use it).
 */
export const WORKER_PHASES = [
  'none',
  'stopped',
  'starting',
  'running',
  'stopping',
  'exited',
  'backoff',
  'parked',
  'crash_loop',
  'failed_to_start',
] as const;

/** Supervisor state of a lane's worker process (see {@link WORKER_PHASES}). */
export type WorkerPhase = (typeof WORKER_PHASES)[number];

/** What the supervisor knows about a lane's worker. */
export interface WorkerState {
  /** `none` = observe-only lane (no command). */
  readonly phase: WorkerPhase;
  readonly pid: number | null;
  /** Restarts performed by the policy or the operator since the board started (count). */
  readonly restarts: number;
  readonly startedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** During backoff: when the next start happens; parked: when the resume is due (epoch ms). */
  readonly nextStartAt: number | null;
  /** Why the worker could not start / was stopped, in words. */
  readonly error: string | null;
  /** The operator stopped it: the restart policy must not undo that. */
  readonly operatorStopped: boolean;
  /** Adopted from a board that died (not our child; watched by pid). */
  readonly adopted: boolean;
}
