/**
 * A KV watch that survives server restarts and network blips. NATS KV watches are
 * ephemeral push consumers; when the server restarts (or the client reconnects) the
 * consumer may be gone. This loop re-creates the watch after every reconnect and
 * whenever the iterator ends, resuming at the revision after the last one it delivered,
 * so no update is missed; repeats are possible, and callers apply only newer revisions.
 */
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** Options of {@link watchResilient}. */
export interface ResilientWatchOptions {
  readonly kv: KV;
  readonly nc: NatsConnection;
  /** Key filter (NATS subject syntax relative to the bucket, e.g. `lane.>`). */
  readonly key: string;
  /** Called for every entry, in revision order per watch (repeats possible after a re-watch). */
  readonly onEntry: (e: KvWatchEntry) => void;
  /** Called when a (re-)watch fails to start (e.g. permission denied, server down). */
  readonly onError?: (err: unknown) => void;
  /** Resolves when the connection is up (src/runtime/fleet/connect.ts); awaited before each (re-)watch. */
  readonly ready?: () => Promise<void>;
  /** Pause (ms) before re-creating a watch that failed or ended. Default 250. */
  readonly retryMs?: number;
}

/** A running resilient watch. */
export interface ResilientWatch {
  /**
   * Resolves once the first watch delivered every value present when it started (for a
   * whole-bucket watch, key `>`); for a filtered watch, once the watch is set up.
   */
  readonly ready: Promise<void>;
  /** Highest revision delivered so far (0 before any). */
  lastRevision(): number;
  /** Stop watching (idempotent). */
  stop(): Promise<void>;
}

/** Start a resilient watch (see the module doc). */
export function watchResilient(opts: ResilientWatchOptions): ResilientWatch {
  const retryMs = opts.retryMs ?? 250;
  let stopped = false;
  let last = 0;
  let current: { stop(): void } | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));

  const runOnce = async (): Promise<void> => {
    await opts.ready?.();
    const first = last === 0;
    // An empty bucket delivers nothing, not even the end of the initial values: ask how
    // many entries it holds first (the count is only known for the whole bucket).
    const whole = opts.key === '>';
    if (first && whole) {
      const status = await opts.kv.status();
      if (status.values === 0) markReady();
    }
    const it = await opts.kv.watch({
      key: opts.key,
      ...(last > 0 ? { resumeFromRevision: last + 1 } : {}),
    });
    current = it;
    if (!whole) markReady();
    if (stopped) {
      it.stop();
      return;
    }
    for await (const e of it) {
      if (e.revision > last) last = e.revision;
      opts.onEntry(e);
      if (e.isUpdate) markReady();
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        await runOnce();
      } catch (err) {
        if (!stopped) opts.onError?.(err);
      }
      current = null;
      if (!stopped) await new Promise((r) => setTimeout(r, retryMs));
    }
  };

  // After a reconnect the consumer behind the watch may be gone: re-watch from `last`.
  const statusLoop = async (): Promise<void> => {
    for await (const s of opts.nc.status()) {
      if (stopped) break;
      if (s.type === 'reconnect') current?.stop();
    }
  };

  void loop();
  void statusLoop().catch(() => undefined);
  return {
    ready,
    lastRevision: () => last,
    stop: () => {
      stopped = true;
      current?.stop();
      markReady();
      return Promise.resolve();
    },
  };
}
