/**
 * Host liveness. The host side writes `host.<host>` in the fleet bucket every
 * {@link HEARTBEAT_MS} (`{ host, online: true, seq, lanes, version }`) and, on a clean stop,
 * once more with `online: false`. The reader side decides "online" with its own clock
 * only: a host is online while its record says so and a new revision of it arrived less
 * than {@link OFFLINE_AFTER_MS} ago (by the reader's clock). Host clocks never enter the
 * decision; the server's timestamp of the record is used only to age records that were
 * already in the bucket when the reader started (against the server's own clock, read at
 * start: src/runtime/fleet/server-clock.ts), and is reported as `lastSeen`.
 */
import type { KV } from '@nats-io/kv';
import { hostKey } from './keys.js';

/** Heartbeat period (ms) of a host's liveness record. */
const HEARTBEAT_MS = 3_000;
/** A host whose record has not changed for this long (ms) is offline: within 15 s of its death. */
const OFFLINE_AFTER_MS = 10_000;

/**
 * The value of `host.<host>`, as written and as read back (by {@link readHostRecord}).
 */
export interface HostRecord {
  readonly host: string;
  readonly online: boolean;
  /** Heartbeat counter of this host process. */
  readonly seq: number;
  /** Number of lanes the host publishes. */
  readonly lanes: number;
  /** laneboard version of the host. */
  readonly version: string;
}

/**
 * A host record read from an untrusted JSON object: a reader takes what it can, a missing
 * or mistyped field reads as its default (`''`, `false`, `0`); other fields are dropped.
 * Hand-written rather than a schema so the lean `--json --nats` bundle loads no schema
 * library (docs/performance.md, "Fleet, session 6").
 */
export function readHostRecord(v: Record<string, unknown>): HostRecord {
  const str = (x: unknown): string => (typeof x === 'string' ? x : '');
  const num = (x: unknown): number => (typeof x === 'number' && !Number.isNaN(x) ? x : 0);
  return {
    host: str(v.host),
    online: typeof v.online === 'boolean' ? v.online : false,
    seq: num(v.seq),
    lanes: num(v.lanes),
    version: str(v.version),
  };
}

/** Options of {@link createHeartbeat}. */
export interface HeartbeatOptions {
  readonly kv: KV;
  readonly host: string;
  readonly version: string;
  /** Current lane count (read at each beat). */
  readonly laneCount: () => number;
  /** Period (ms); default {@link HEARTBEAT_MS}. */
  readonly intervalMs?: number;
  readonly onError?: (err: unknown) => void;
}

/** A running heartbeat: `start()` writes the first beat; `dispose()` writes `online: false`. */
export interface Heartbeat {
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Create the host's heartbeat writer. */
export function createHeartbeat(opts: HeartbeatOptions): Heartbeat {
  let seq = 0;
  let timer: NodeJS.Timeout | null = null;
  const beat = async (online: boolean, timeout?: number): Promise<void> => {
    seq += 1;
    const rec: HostRecord = {
      host: opts.host,
      online,
      seq,
      lanes: opts.laneCount(),
      version: opts.version,
    };
    try {
      await opts.kv.put(hostKey(opts.host), JSON.stringify(rec), timeout ? { timeout } : {});
    } catch (err) {
      opts.onError?.(err);
    }
  };
  return {
    start: async () => {
      await beat(true);
      timer = setInterval(() => void beat(true), opts.intervalMs ?? HEARTBEAT_MS);
    },
    dispose: async () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
      // Bounded: a host leaving while the server is away must not hang its shutdown.
      await beat(false, 1_000);
    },
  };
}

/** What the reader knows about one host. */
export interface HostSeen {
  readonly record: HostRecord | null;
  readonly revision: number;
  /** Reader-clock time (epoch ms) the latest revision was observed, or its server time if it predates the reader. */
  readonly observedAt: number;
  /** Server timestamp (epoch ms) of the latest revision. */
  readonly serverAt: number;
}

/** Online by the rule in the module doc; `now` is the reader's clock (epoch ms). */
export function hostOnline(h: HostSeen | undefined, now: number): boolean {
  if (!h || !h.record || !h.record.online) return false;
  return now - h.observedAt < OFFLINE_AFTER_MS;
}
