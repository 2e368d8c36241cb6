/**
 * The process a lane currently supervises (spawned or adopted) and the lane's initial
 * worker state. Pure data helpers for ./lane-worker.ts.
 */
import { initialWorker } from '../../state/lane-init.js';
import type { LaneConfig } from '../../state/config-types.js';
import type { WorkerState } from '../../state/types.js';
import type { TreeTarget } from '../proc/kill-tree.js';
import { groupMembers, snapshotProcs } from '../proc/procfs.js';

/** The process a lane currently has. */
export interface LiveProc extends TreeTarget {
  readonly adopted: boolean;
  readonly stdin: NodeJS.WritableStream | null;
  /** Epoch ms the run started (null for adopted workers). */
  readonly startedAt: number | null;
  /** Resolves once the exit has been handled. */
  readonly done: Promise<void>;
  readonly resolveDone: () => void;
}

/** Why a stop was asked: operator stop, operator restart, board quit. */
export type StopIntent = 'operator' | 'restart' | 'dispose';

/** Time to wait for a signalled worker's exit to be reported before assuming it (ms). */
export const EXIT_REPORT_WAIT_MS = 2_000;

/** Initial state of a lane: `none` without a command, else `stopped` (state/lane-init). */
export function initialWorkerState(lane: LaneConfig): WorkerState {
  return initialWorker(lane);
}

/**
 * A live process record plus a `done` promise that {@link LiveProc.resolveDone} settles
 * once its exit has been handled.
 */
export function makeLiveProc(
  target: TreeTarget,
  adopted: boolean,
  stdin: NodeJS.WritableStream | null,
  startedAt: number | null,
): LiveProc {
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  return { ...target, adopted, stdin, startedAt, done, resolveDone };
}

/**
 * What to stop after a worker exited by itself: its process group when members are left
 * (else pgid -1, never signalled: the id may be reused already), and — swept by the run's
 * token — anything it started that left the group and the session (../proc/env-token.ts).
 */
export function leftoverTarget(proc: LiveProc): TreeTarget {
  const groupLeft = groupMembers(snapshotProcs(0), proc.pgid).length > 0;
  return {
    pid: proc.pid,
    pgid: groupLeft ? proc.pgid : -1,
    startTime: proc.startTime,
    token: proc.token ?? null,
  };
}

/**
 * Where steering text can be written to a lane's worker (steer mode `stdin`): its stdin
 * pipe, or null with the reason (no worker, an adopted worker whose stdin belongs to the
 * board that died, stdin not a pipe).
 */
export function stdinOf(proc: LiveProc | null): {
  stdin: NodeJS.WritableStream | null;
  reason: string;
} {
  if (proc === null) return { stdin: null, reason: 'no worker is running on this lane' };
  if (proc.adopted) {
    return {
      stdin: null,
      reason: 'the worker was adopted from a previous board; its stdin is not connected',
    };
  }
  return { stdin: proc.stdin, reason: "the worker's stdin is not a pipe" };
}
