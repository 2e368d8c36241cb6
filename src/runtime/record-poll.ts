/**
 * The worker view of a read-only (observe) runtime: re-reads the supervisor record of
 * whichever runtime supervises the lanes (`<stateDir>/supervisor.json`, see
 * ./supervisor/record.ts) every `intervalMs` (default 250 ms) and dispatches only the
 * worker states and record notices that changed since the last read. Never touches a
 * process.
 */
import { readWorkerStates } from './record-view.js';
import { changeFilter, pollService, type LanePollOptions } from './poll-service.js';
import type { Dispatch, Service } from './types.js';

/** Create the poller (nothing runs until `start()`; `dispose()` stops it). Never throws. */
export function createRecordPoll(opts: LanePollOptions & { readonly dispatch: Dispatch }): Service {
  const changed = changeFilter();
  const poll = async (): Promise<void> => {
    const acts = await readWorkerStates(opts.config, opts.clock.now());
    for (const a of acts) {
      const key = a.type === 'worker/updated' ? a.laneId : `notice:${a.type}`;
      const body = JSON.stringify(a.type === 'worker/updated' ? a.worker : a);
      if (!changed(key, body)) continue;
      opts.dispatch(a);
    }
  };
  return pollService({ intervalMs: opts.intervalMs ?? 250, tick: poll, prepare: poll });
}
