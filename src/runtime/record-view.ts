/**
 * Read-only view of the running board's supervisor record for `laneboard --json`: turns
 * each recorded worker into a `worker/updated` action (running when its pid is alive
 * with the recorded start time, else stopped/exited), without touching any process.
 */
import type { Action } from '../state/actions.js';
import type { BoardConfig } from '../state/config-types.js';
import { WORKER_PHASES, type WorkerPhase, type WorkerState } from '../state/types.js';
import { isProcessAlive } from './proc/procfs.js';
import { readRecord, recordPath } from './supervisor/record.js';

/** Phases that need a live process. */
const LIVE: ReadonlySet<string> = new Set(['starting', 'running', 'stopping']);

function isPhase(p: string): p is WorkerPhase {
  return (WORKER_PHASES as readonly string[]).includes(p);
}

/**
 * Worker actions for every lane that has a record entry. A missing record yields no
 * actions (lanes keep their initial worker state); a corrupt one yields a board notice.
 */
export async function readWorkerStates(config: BoardConfig, at: number): Promise<Action[]> {
  const rec = await readRecord(recordPath(config.stateDir, config.file));
  if (rec.status === 'missing') return [];
  if (rec.status === 'corrupt') return [{ type: 'board/notice', message: rec.error, at }];
  const out: Action[] = [];
  const boardAlive = rec.record.boardPid > 0 && isProcessAlive(rec.record.boardPid);
  for (const lane of config.lanes) {
    const entry = rec.record.lanes[lane.id];
    if (!entry || !lane.command) continue;
    const alive = entry.pid !== null && isProcessAlive(entry.pid, entry.startTime);
    // While the board that wrote the record runs, its view (backoff, crash_loop, exit
    // codes) is the truth; after it died only the process table can be trusted.
    const st = boardAlive ? entry.state : undefined;
    const phase =
      st && isPhase(st.phase) && (alive || !LIVE.has(st.phase))
        ? st.phase
        : alive
          ? 'running'
          : 'stopped';
    const worker: WorkerState = {
      phase,
      pid: alive ? entry.pid : null,
      restarts: entry.restarts,
      startedAt: st?.startedAt ?? null,
      exitCode: st?.exitCode ?? null,
      signal: st?.signal ?? null,
      nextStartAt: st?.nextStartAt ?? null,
      error: st?.error ?? null,
      operatorStopped: entry.operatorStopped,
      adopted: st?.adopted ?? false,
    };
    out.push({ type: 'worker/updated', laneId: lane.id, worker, at });
  }
  return out;
}
