/**
 * `laneboard --json --watch`: an NDJSON stream, one `laneboard.snapshot/1` object per line,
 * written when anything changed (at most every 250 ms) and at least every 5 s as a
 * heartbeat. Read-only like `--json`: watches bridge files and git, reads the running
 * board's supervisor record, never touches workers. Ends on SIGINT/SIGTERM/SIGHUP or when
 * stdout closes.
 */
import type { BoardConfig } from '../state/config-types.js';
import { selectSnapshot } from '../state/snapshot.js';
import { readWorkerStates } from '../runtime/record-view.js';
import { systemClock } from '../runtime/types.js';
import { createObservers } from './observe.js';

const MIN_INTERVAL_MS = 250;
const HEARTBEAT_MS = 5_000;

/**
 * Stream snapshots until interrupted. `banner` (a discovered board's note) is the first
 * of every snapshot's `notices`. Resolves with the exit code.
 */
export async function runJsonWatch(
  config: BoardConfig,
  banner: string | null = null,
): Promise<number> {
  const clock = systemClock;
  const observers = createObservers(config, clock, { minIntervalMs: 50 });
  const { store, dispatch, batch } = observers;
  if (banner !== null) store.dispatch({ type: 'board/notice', message: banner, at: clock.now() });
  const seenWorkers = new Map<string, string>();
  let dirty = true;
  let lastWrite = 0;
  const unsubscribe = store.subscribe(() => (dirty = true));
  const write = (): void => {
    dispatch({ type: 'clock/tick', at: clock.now() });
    batch.flush();
    process.stdout.write(`${JSON.stringify(selectSnapshot(store.getState()))}\n`);
    dirty = false;
    lastWrite = clock.now();
  };
  await observers.start();
  const timer = setInterval(() => {
    void readWorkerStates(config, clock.now()).then((acts) => {
      // Only real changes mark the snapshot dirty (the record is re-read every tick).
      for (const a of acts) {
        const key = a.type === 'worker/updated' ? a.laneId : `notice:${a.type}`;
        const body = JSON.stringify(a.type === 'worker/updated' ? a.worker : a);
        if (seenWorkers.get(key) === body) continue;
        seenWorkers.set(key, body);
        dispatch(a);
      }
    });
    const now = clock.now();
    if ((dirty && now - lastWrite >= MIN_INTERVAL_MS) || now - lastWrite >= HEARTBEAT_MS) write();
  }, MIN_INTERVAL_MS);
  return new Promise<number>((resolve) => {
    let done = false;
    const stop = (code: number): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      unsubscribe();
      void observers.dispose().then(() => resolve(code));
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stop(0));
    process.stdout.on('error', () => stop(0));
  });
}
