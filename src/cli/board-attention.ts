/**
 * Wires the attention loop (src/runtime/attention) into a board with its own runtime:
 * notifications are written to the board's terminal (process.stdout, looked up at each
 * write so a foreground program can mute it), `on:` commands run in the lane worktrees,
 * and the Controls gain `setMuted` (the `m` key). The service starts once the runtime's
 * first git and bridge reads are in, so lanes already blocked at start do not notify.
 */
import { createAttention } from '../runtime/attention/index.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { Controls } from '../runtime/types.js';

/** The runtime's Controls with `setMuted`, and the service's release. */
export function withAttention(runtime: Runtime): {
  readonly controls: Controls;
  dispose(): Promise<void>;
} {
  const attention = createAttention({
    store: runtime.store,
    clock: { now: () => Date.now() },
    write: (bytes) => void process.stdout.write(bytes),
    fallbackCwd: runtime.config.dir,
  });
  let disposed = false;
  void runtime.observed().then(
    () => (disposed ? undefined : attention.start()),
    () => undefined,
  );
  const c = runtime.controls;
  const controls: Controls = {
    start: (id) => c.start(id),
    stop: (id) => c.stop(id),
    restart: (id) => c.restart(id),
    steer: (id, text) => c.steer(id, text),
    clearBlockers: (id) => c.clearBlockers(id),
    runningCount: () => c.runningCount(),
    ...(c.approve ? { approve: c.approve } : {}),
    setMuted: (id, muted) =>
      runtime.dispatch({ type: 'lane/mute', laneId: id, muted, at: Date.now() }),
  };
  return {
    controls,
    dispose() {
      disposed = true;
      return attention.dispose();
    },
  };
}
