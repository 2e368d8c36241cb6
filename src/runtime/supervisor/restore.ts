/**
 * Restore from the supervisor record a board left (`<stateDir>/supervisor.json`): adopt or
 * stop the workers that are still alive (settings.orphans), stop or report workers of lanes
 * that are no longer configured, and keep an operator stop across boards. Split out of
 * ./supervisor.ts; called once by its `start()`.
 */
import type { BoardSettings } from '../../state/config-types.js';
import { terminateTree, type TreeTarget } from '../proc/kill-tree.js';
import { isLiveState, isProcessAlive, readProcStat } from '../proc/procfs.js';
import type { LaneWorker } from './lane-worker.js';
import { survivorNote } from './exit-outcome.js';
import { readRecord, recordPath } from './record.js';

/** What {@link restoreRecord} needs from the supervisor. */
export interface RestoreContext {
  /** The state directory holding supervisor.json. */
  readonly stateDir: string;
  /** The config file (its name keys the record's file name: ./record.ts `recordPath`). */
  readonly configFile: string;
  /** The supervisor's workers by lane id (read only here). */
  readonly workers: ReadonlyMap<string, LaneWorker>;
  /** Current settings (orphans, stopGraceMs). */
  readonly settings: BoardSettings;
  /** Report a board-level problem (becomes a `board/notice`). */
  readonly notice: (message: string) => void;
}

/**
 * Read the record and act on every lane in it. A worker counts as "ours" only when its
 * pid is alive with the recorded start time (so a reused pid is never touched). A missing
 * record does nothing; a corrupt one becomes a notice. Resolves once every stop it started
 * has finished; rejects only if reading the record throws unexpectedly.
 */
export async function restoreRecord(ctx: RestoreContext): Promise<void> {
  const { stateDir, workers, settings, notice } = ctx;
  const read = await readRecord(recordPath(stateDir, ctx.configFile));
  if (read.status === 'corrupt') notice(`supervisor record ignored: ${read.error}`);
  if (read.status !== 'ok') return;
  const old = read.record;
  if (old.boardPid !== process.pid && old.boardPid > 1 && isProcessAlive(old.boardPid)) {
    notice(`another board (pid ${old.boardPid}) may still be running with ${stateDir}`);
  }
  const stops: Promise<void>[] = [];
  for (const [id, entry] of Object.entries(old.lanes)) {
    const w = workers.get(id);
    const stat = entry.pid === null ? null : readProcStat(entry.pid);
    const ours =
      stat !== null &&
      entry.pid !== null &&
      isLiveState(stat.state) &&
      stat.startTime === entry.startTime;
    if (!ours) {
      if (w !== undefined && entry.operatorStopped && w.lane.command !== null)
        w.restoreOperatorStop();
      continue;
    }
    const target = {
      pid: stat.pid,
      pgid: entry.pgid ?? stat.pgrp,
      startTime: stat.startTime,
      token: entry.token ?? null,
    };
    if (w === undefined) {
      if (settings.orphans === 'stop') {
        notice(`stopping worker pid ${stat.pid} of lane ${id}, which is no longer configured`);
        stops.push(terminateTree(target, { graceMs: settings.stopGraceMs }).then(() => undefined));
      } else {
        notice(`worker pid ${stat.pid} of lane ${id} (no longer configured) is still running`);
      }
    } else if (settings.orphans === 'adopt') {
      w.adopt(target, entry.logStart);
    } else {
      stops.push(stopOrphan(w, target));
    }
  }
  await Promise.all(stops);
}

/** Stop a live orphan of lane worker `w` recorded by a board that died (orphans: 'stop'). */
async function stopOrphan(w: LaneWorker, target: TreeTarget): Promise<void> {
  w.update({ phase: 'stopping', pid: target.pid, adopted: false });
  const r = await terminateTree(target, { graceMs: w.ctx.settings.stopGraceMs });
  w.update({
    phase: 'stopped',
    pid: null,
    error: `stopped worker pid ${target.pid} left running by a previous board${survivorNote(r.survivors)}`,
  });
}
