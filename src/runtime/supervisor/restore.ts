/**
 * Restoring a lane set from the supervisor record a previous board left
 * (`<stateDir>/supervisor.json`, ./record.ts): live workers that are still ours (same pid
 * and start time) are adopted or stopped (settings `orphans`); a worker of a lane that is no
 * longer configured is stopped or reported; an operator stop is carried over. Split from
 * ./supervisor.ts.
 */
import type { BoardSettings } from '../../state/config-types.js';
import { terminateTree } from '../proc/kill-tree.js';
import { isLiveState, isProcessAlive, readProcStat } from '../proc/procfs.js';
import type { LaneWorker } from './lane-worker.js';
import { readRecord, recordPath } from './record.js';

/** What {@link restoreRecord} works on. */
export interface RestoreInput {
  readonly stateDir: string;
  readonly workers: ReadonlyMap<string, LaneWorker>;
  readonly settings: BoardSettings;
  /** Report a board-level problem (a `board/notice`). */
  readonly notice: (message: string) => void;
}

/**
 * Read the record and adopt / stop / report what it lists (see the module doc). Resolves
 * once every stop is done; a missing record does nothing, a corrupt one is a notice.
 */
export async function restoreRecord(input: RestoreInput): Promise<void> {
  const { workers, settings, notice } = input;
  const config = { stateDir: input.stateDir };
  const read = await readRecord(recordPath(config.stateDir));
  if (read.status === 'corrupt') notice(`supervisor record ignored: ${read.error}`);
  if (read.status !== 'ok') return;
  const old = read.record;
  if (old.boardPid !== process.pid && old.boardPid > 1 && isProcessAlive(old.boardPid)) {
    notice(`another board (pid ${old.boardPid}) may still be running with ${config.stateDir}`);
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
      w.adopt(target);
    } else {
      stops.push(w.stopOrphan(target));
    }
  }
  await Promise.all(stops);
}
