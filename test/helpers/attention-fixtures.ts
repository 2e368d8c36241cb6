/**
 * Store actions that move a lane into each state the attention loop reacts to (real
 * reducer input: bridge documents as workers write them, supervisor worker states).
 */
import type { Action } from '../../src/state/actions.js';
import type { WorkerState } from '../../src/state/types.js';
import { T0, gitInfo } from './ui-fixtures.js';

/** HEAD of the fixtures' git info (results on it are current, not stale). */
export const HEAD = gitInfo().head;

/** state.json with `status` and an optional blocker. */
export function stateDoc(
  laneId: string,
  status: string,
  blocker?: { failureClass: string; detail: string; resetAt?: string },
  at = T0,
): Action {
  return {
    type: 'bridge/doc',
    laneId,
    kind: 'state',
    file: 'state.json',
    raw: {
      schema: 'laneboard.state/1',
      status,
      ...(blocker ? { blocker } : {}),
      updatedAt: new Date(at).toISOString(),
    },
    at,
  };
}

/** result.json with tests `status` on the fixtures' HEAD. */
export function resultDoc(laneId: string, status: 'green' | 'red', at = T0): Action {
  return {
    type: 'bridge/doc',
    laneId,
    kind: 'result',
    file: 'result.json',
    raw: {
      schema: 'laneboard.result/1',
      ok: status === 'green',
      tests: {
        status,
        level: 'package',
        passed: 3,
        failed: status === 'red' ? 1 : 0,
        commit: HEAD,
      },
    },
    at,
  };
}

/** The supervisor's worker state. */
export function worker(laneId: string, over: Partial<WorkerState>, at = T0): Action {
  return {
    type: 'worker/updated',
    laneId,
    worker: {
      phase: 'running',
      pid: 4242,
      restarts: 0,
      startedAt: T0 - 1_000,
      exitCode: null,
      signal: null,
      nextStartAt: null,
      error: null,
      operatorStopped: false,
      adopted: false,
      ...over,
    },
    at,
  };
}
