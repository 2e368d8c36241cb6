/**
 * `laneboard --json --watch`: an NDJSON stream, one `laneboard.snapshot/1` object per line,
 * written when anything changed (at most every 250 ms) and at least every 5 s as a
 * heartbeat. Read-only like `--json`: an observe-mode runtime (src/runtime/create-runtime.ts)
 * watches bridge files and git and reads the supervisor record, never touches workers.
 * Ends on SIGINT/SIGTERM/SIGHUP or when stdout closes.
 */
import type { BoardConfig } from '../state/config-types.js';
import { selectSnapshot } from '../state/snapshot.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { systemClock } from '../runtime/types.js';

const MIN_INTERVAL_MS = 250;
const HEARTBEAT_MS = 5_000;

/**
 * Stream snapshots until interrupted. `banner` (a discovered board's note) is the first
 * of every snapshot's `notices`. Resolves with the exit code (0).
 */
export async function runJsonWatch(
  config: BoardConfig,
  banner: string | null = null,
): Promise<number> {
  const clock = systemClock;
  const runtime = await createRuntime(config, {
    mode: 'observe',
    clock,
    batch: { minIntervalMs: 50 },
  });
  const { store, dispatch } = runtime;
  if (banner !== null) store.dispatch({ type: 'board/notice', message: banner, at: clock.now() });
  let dirty = true;
  let lastWrite = 0;
  const unsubscribe = store.subscribe(() => (dirty = true));
  const write = (): void => {
    dispatch({ type: 'clock/tick', at: clock.now() });
    runtime.flush();
    process.stdout.write(
      `${JSON.stringify({ ...selectSnapshot(store.getState()), origin: 'probe' })}\n`,
    );
    dirty = false;
    lastWrite = clock.now();
  };
  await runtime.start();
  const timer = setInterval(() => {
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
      void runtime.dispose().then(() => resolve(code));
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stop(0));
    process.stdout.on('error', () => stop(0));
  });
}
