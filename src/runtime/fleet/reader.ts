/**
 * Board side: follows the fleet bucket (every `lane.*.*` and `host.*`) and keeps the
 * newest value of each. Only a higher KV revision replaces what is known (revisions are
 * assigned by the server in write order, so host clocks never decide order); a deleted
 * lane key removes the lane; a host key's revisions feed the liveness rule of
 * src/runtime/fleet/liveness.ts. Values that are not JSON objects are kept as a visible
 * problem on that lane instead of being dropped.
 */
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../types.js';
import { parseFleetKey } from './keys.js';
import type { HostRecord, HostSeen } from './liveness.js';
import { watchResilient } from './watch.js';
import type { ResilientWatch } from './watch.js';

/** One remote lane as last read. */
export interface RemoteLane {
  readonly host: string;
  readonly laneId: string;
  readonly revision: number;
  /** The published value (snapshot lane + host + seq), or null when unreadable. */
  readonly value: Record<string, unknown> | null;
  /** Why `value` is null. */
  readonly problem: string | null;
}

/** Everything the reader knows; maps are replaced (never mutated) on change. */
export interface FleetState {
  /** By key `lane.<host>.<lane>`. */
  readonly lanes: ReadonlyMap<string, RemoteLane>;
  readonly hosts: ReadonlyMap<string, HostSeen>;
}

/** Options of {@link createFleetReader}. */
export interface FleetReaderOptions {
  readonly kv: KV;
  readonly nc: NatsConnection;
  readonly clock: Clock;
  /** Resolves when the connection is up; re-watches wait for it. */
  readonly ready?: () => Promise<void>;
  /** Called after each applied change. */
  readonly onChange?: () => void;
  readonly onError?: (err: unknown) => void;
}

/** A running reader. */
export interface FleetReader {
  /** Resolves when the values present at start have been read. */
  start(): Promise<void>;
  state(): FleetState;
  dispose(): Promise<void>;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function hostRecord(v: Record<string, unknown> | null, host: string): HostRecord | null {
  if (!v) return null;
  return {
    host,
    online: v.online === true,
    seq: typeof v.seq === 'number' ? v.seq : 0,
    lanes: typeof v.lanes === 'number' ? v.lanes : 0,
    version: typeof v.version === 'string' ? v.version : '',
  };
}

/**
 * Apply one KV entry to `state` (pure). Returns the same object when nothing changed
 * (an older or repeated revision, or a key that is not ours). `now` is the reader's
 * clock (epoch ms); `initial` marks entries that were in the bucket before the reader
 * started (their server time stands in for the observation time).
 */
export function applyEntry(
  state: FleetState,
  e: Pick<KvWatchEntry, 'key' | 'revision' | 'operation' | 'created'> & { text: string },
  now: number,
  initial: boolean,
): FleetState {
  const k = parseFleetKey(e.key);
  if (!k) return state;
  if (k.kind === 'lane') {
    const known = state.lanes.get(e.key);
    if (known && known.revision >= e.revision) return state;
    const lanes = new Map(state.lanes);
    if (e.operation !== 'PUT') {
      lanes.delete(e.key);
    } else {
      const value = parseObject(e.text);
      lanes.set(e.key, {
        host: k.host,
        laneId: k.laneId,
        revision: e.revision,
        value,
        problem: value ? null : 'unreadable lane value in the fleet bucket',
      });
    }
    return { lanes, hosts: state.hosts };
  }
  const known = state.hosts.get(k.host);
  if (known && known.revision >= e.revision) return state;
  const serverAt = e.created.getTime();
  const hosts = new Map(state.hosts);
  hosts.set(k.host, {
    record: e.operation === 'PUT' ? hostRecord(parseObject(e.text), k.host) : null,
    revision: e.revision,
    observedAt: initial ? Math.min(serverAt, now) : now,
    serverAt,
  });
  return { lanes: state.lanes, hosts };
}

/** Create a reader (nothing happens until `start()`). */
export function createFleetReader(opts: FleetReaderOptions): FleetReader {
  let state: FleetState = { lanes: new Map(), hosts: new Map() };
  let watch: ResilientWatch | null = null;
  let loaded = false;
  return {
    start: async () => {
      watch = watchResilient({
        kv: opts.kv,
        nc: opts.nc,
        key: '>',
        ready: opts.ready,
        onError: opts.onError,
        onEntry: (e) => {
          const next = applyEntry(
            state,
            {
              key: e.key,
              revision: e.revision,
              operation: e.operation,
              created: e.created,
              text: e.string(),
            },
            opts.clock.now(),
            !loaded && !e.isUpdate,
          );
          if (next === state) return;
          state = next;
          opts.onChange?.();
        },
      });
      await watch.ready;
      loaded = true;
    },
    state: () => state,
    dispose: async () => {
      await watch?.stop();
    },
  };
}
