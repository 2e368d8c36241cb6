/**
 * Wires the attention loop (src/runtime/attention) into a board with its own runtime:
 * notifications are written to the board's terminal (process.stdout's own write, so they
 * also get through while a foreground program of `d` / `e` / `t` owns the screen and the
 * board's drawing is muted: OSC 9 and BEL draw nothing), `on:` commands run in the lane worktrees,
 * and the Controls gain `setMuted` (the `m` key). The service starts once the runtime's
 * first git and bridge reads are in, so lanes already blocked at start do not notify (a
 * lane its new worker blocked meanwhile does). Also {@link serveAttention} (`laneboard
 * serve`: the notify command and `on:` commands, no terminal) and {@link attachedAttention}
 * (an attached board: OSC 9 + BEL on its own terminal only; the runtime runs the commands,
 * so N attached boards never run one N times).
 */
import { createAttention, type Attention } from '../runtime/attention/index.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { systemClock, type Controls } from '../runtime/types.js';
import type { BoardStore } from '../state/store.js';

/**
 * A writer of notification bytes to the board's terminal: the stream's write as it is now,
 * before any foreground program (src/cli/foreground.ts) replaces it with a muted one.
 * Errors (the terminal gone) are thrown to the notifier, which ignores them.
 */
function terminalWriter(): (bytes: string) => void {
  const write = process.stdout.write.bind(process.stdout);
  return (bytes) => void write(bytes);
}

/**
 * Start `attention` once `runtime`'s first reads are in; returns its release (which also
 * cancels a start not yet made).
 */
function startWhenObserved(runtime: Runtime, attention: Attention): () => Promise<void> {
  let disposed = false;
  void runtime.observed().then(
    () => (disposed ? undefined : attention.start()),
    () => undefined,
  );
  return () => {
    disposed = true;
    return attention.dispose();
  };
}

/**
 * `laneboard serve`'s attention: the lanes' `on:` commands and the `settings.notify`
 * command, once per transition (notifications coalesced as on a board); nothing written to
 * a terminal (serve has none: attached boards write OSC 9 + BEL on theirs). Returns the
 * release (kills running commands). Call it before `runtime.start()`.
 */
export function serveAttention(runtime: Runtime): () => Promise<void> {
  const attention = createAttention({
    store: runtime.store,
    clock: runtime.clock,
    write: null,
    fallbackCwd: runtime.config.dir,
    since: runtime.clock.now(),
  });
  return startWhenObserved(runtime, attention);
}

/**
 * An attached board's attention on its replayed `store`: OSC 9 + BEL on its own terminal
 * (same bytes, coalescing and mutes as a board with its own runtime); neither `on:`
 * commands nor the notify command (the runtime it is attached to runs them, once). Start
 * it when the runtime's state is in.
 */
export function attachedAttention(store: BoardStore, configDir: string): Attention {
  return createAttention({
    store,
    clock: systemClock,
    write: terminalWriter(),
    commands: false,
    fallbackCwd: configDir,
  });
}

/** The runtime's Controls with `setMuted`, and the service's release. Call it before `runtime.start()`. */
export function withAttention(runtime: Runtime): {
  readonly controls: Controls;
  dispose(): Promise<void>;
} {
  const attention = createAttention({
    store: runtime.store,
    clock: runtime.clock,
    write: terminalWriter(),
    fallbackCwd: runtime.config.dir,
    since: runtime.clock.now(),
  });
  const release = startWhenObserved(runtime, attention);
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
      runtime.dispatch({ type: 'lane/mute', laneId: id, muted, at: runtime.clock.now() }),
  };
  return { controls, dispose: release };
}
