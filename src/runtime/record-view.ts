/**
 * Read-only view of the running board's supervisor record for `laneboard --json`: turns
 * each recorded worker into a `worker/updated` action (running when its pid is alive
 * with the recorded start time, else stopped/exited), without touching any process.
 */
import type { Action } from '../state/actions.js';
import type { BoardConfig } from '../state/config-types.js';
import type { WorkerState } from '../state/types.js';
import { isProcessAlive } from './proc/procfs.js';
import { readRecord, recordPath } from './supervisor/record.js';

/**
 * Worker actions for every lane that has a record entry. A missing record yields no
 * actions (lanes keep their initial worker state); a corrupt one yields a board notice.
 */
export async function readWorkerStates(config: BoardConfig, at: number): Promise<Action[]> {
  const rec = await readRecord(recordPath(config.stateDir));
  if (rec.status === 'missing') return [];
  if (rec.status === 'corrupt') return [{ type: 'board/notice', message: rec.error, at }];
  const out: Action[] = [];
  for (const lane of config.lanes) {
    const entry = rec.record.lanes[lane.id];
    if (!entry || !lane.command) continue;
    const alive = entry.pid !== null && isProcessAlive(entry.pid, entry.startTime);
    const worker: WorkerState = {
      phase: alive ? 'running' : 'stopped',
      pid: alive ? entry.pid : null,
      restarts: entry.restarts,
      startedAt: null,
      exitCode: null,
      signal: null,
      nextStartAt: null,
      error: null,
      operatorStopped: entry.operatorStopped,
      adopted: false,
    };
    out.push({ type: 'worker/updated', laneId: lane.id, worker, at });
  }
  return out;
}
