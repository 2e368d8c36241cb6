/**
 * Board side: follows the fleet bucket (every `lane.*.*` and `host.*`) and keeps the
 * newest value of each. Only a higher KV revision replaces what is known (revisions are
 * assigned by the server in write order, so host clocks never decide order); a deleted
 * lane key removes the lane; a host key's revisions feed the liveness rule of
 * src/runtime/fleet/liveness.ts. Values that are not JSON objects are kept as a visible
 * problem on that lane instead of being dropped. At start the reader asks the server for
 * its time (src/runtime/fleet/server-clock.ts), so the values already in the bucket are
 * aged by the server's clock, whatever the reader's own clock says.
 */
import { randomUUID } from 'node:crypto';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../types.js';
import { FLEET_BUCKET, parseFleetKey } from './keys.js';
import { readHostRecord, type HostRecord, type HostSeen } from './liveness.js';
import { parseRecordLine, type JsonRecord } from '../../state/dialects/util.js';
import { watchResilient } from './watch.js';
import { probeServerOffset } from './server-clock.js';
import type { ResilientWatch } from './watch.js';
import { laneText, type LaneText } from './lane-text.js';

/** One remote lane as last read. */
export interface RemoteLane {
  readonly host: string;
  readonly laneId: string;
  readonly revision: number;
  /**
   * Reader-clock time (epoch ms) this revision arrived; for a value already in the bucket
   * when the reader started, the server's time of the write moved onto the reader's
   * clock (never later than the start).
   * Ages of the lane are carried forward from here (src/runtime/fleet/ages.ts).
   */
  readonly arrivedAt: number;
  /**
   * The published value (snapshot lane + host + seq), or null when unreadable or when
   * the lane is kept as `text` instead.
   */
  readonly value: Record<string, unknown> | null;
  /** The value as the host's JSON text and its facts (one-shot readers, ./lane-text.ts). */
  readonly text?: LaneText;
  /** Why `value` is null. */
  readonly problem: string | null;
}

/** A remote lane's value as an object, parsing it when the lane is kept as `text`. */
export function remoteValue(r: RemoteLane): Record<string, unknown> | null {
  return r.text ? (JSON.parse(r.text.json) as Record<string, unknown>) : r.value;
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

/** The host record of `host` in a KV value (fields by {@link readHostRecord}), or null. */
function hostRecord(v: JsonRecord | null, host: string): HostRecord | null {
  return v === null ? null : { ...readHostRecord(v), host };
}

/** One KV entry as the reader needs it (from a watch, or from a one-shot bucket scan). */
export type FleetEntry = Pick<KvWatchEntry, 'key' | 'revision' | 'operation' | 'created'> & {
  text: string;
};

/** Mutable maps {@link applyEntryTo} writes into. */
export interface FleetMaps {
  readonly lanes: Map<string, RemoteLane>;
  readonly hosts: Map<string, HostSeen>;
}

/**
 * Apply one KV entry to `maps` in place. Returns false when nothing changed (an older or
 * repeated revision, or a key that is not ours). `now` is the reader's clock (epoch ms);
 * `initial` marks entries that were in the bucket before the reader started: their
 * server time, moved onto the reader's clock by `serverOffsetMs` (server clock minus
 * reader clock, ms; src/runtime/fleet/server-clock.ts) and clamped to `now`, stands in
 * for the arrival time, so a reader whose clock is off from the server's judges them as
 * one whose clock agrees. With `keepText` a lane value that ./lane-text.ts can splice is
 * kept as text, not as the parsed object (one-shot readers).
 */
export function applyEntryTo(
  maps: FleetMaps,
  e: FleetEntry,
  now: number,
  initial: boolean,
  serverOffsetMs = 0,
  keepText = false,
): boolean {
  const k = parseFleetKey(e.key);
  if (!k) return false;
  const arrivedAt = initial ? Math.min(e.created.getTime() - serverOffsetMs, now) : now;
  if (k.kind === 'lane') {
    const known = maps.lanes.get(e.key);
    if (known && known.revision >= e.revision) return false;
    if (e.operation !== 'PUT') {
      maps.lanes.delete(e.key);
      return true;
    }
    const lane = { host: k.host, laneId: k.laneId, revision: e.revision, arrivedAt };
    const value = parseRecordLine(e.text);
    const text = keepText && value ? laneText(value, e.text, k.host, k.laneId) : null;
    return applyLaneTo(maps, e.key, lane, text ? null : value, text);
  }
  const known = maps.hosts.get(k.host);
  if (known && known.revision >= e.revision) return false;
  maps.hosts.set(k.host, {
    record: e.operation === 'PUT' ? hostRecord(parseRecordLine(e.text), k.host) : null,
    revision: e.revision,
    observedAt: arrivedAt,
    serverAt: e.created.getTime(),
  });
  return true;
}

/**
 * Apply one lane value that is already parsed (`value`: a JSON object, or null when it was
 * not one) or kept as text (`text`, ./lane-text.ts; then `value` is null) at key `key` to
 * `maps` in place, unless a revision at least as new is known. Returns false when nothing
 * changed. `lane.arrivedAt` is reader-clock epoch ms.
 */
export function applyLaneTo(
  maps: FleetMaps,
  key: string,
  lane: { host: string; laneId: string; revision: number; arrivedAt: number },
  value: JsonRecord | null,
  text?: LaneText | null,
): boolean {
  const known = maps.lanes.get(key);
  if (known && known.revision >= lane.revision) return false;
  if (text) {
    maps.lanes.set(key, { ...lane, value: null, text, problem: null });
    return true;
  }
  const problem = value ? null : 'unreadable lane value in the fleet bucket';
  maps.lanes.set(key, { ...lane, value, problem });
  return true;
}

/**
 * Create a reader (nothing happens until `start()`). Entries are applied in place and
 * `state()` hands out a copy made only when something changed since the last call, so
 * loading N values costs O(N), not O(N²) map copies.
 */
export function createFleetReader(opts: FleetReaderOptions): FleetReader {
  const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
  let snapshot: FleetState | null = null;
  let watch: ResilientWatch | null = null;
  let loaded = false;
  let offset = 0;
  return {
    start: async () => {
      await opts.ready?.();
      const inbox = `_INBOX.laneboard-clock.${randomUUID()}`;
      offset = await probeServerOffset(opts.nc, FLEET_BUCKET, inbox, opts.clock);
      watch = watchResilient({
        kv: opts.kv,
        nc: opts.nc,
        key: '>',
        ready: opts.ready,
        onError: opts.onError,
        onEntry: (e) => {
          // Hosts' one-value copies of their lanes are for one-shot readers (./fleet-scan.ts).
          if (e.key.startsWith('lanes.')) return;
          const entry = {
            key: e.key,
            revision: e.revision,
            operation: e.operation,
            created: e.created,
            text: e.string(),
          };
          const initial = !loaded && !e.isUpdate;
          if (!applyEntryTo(maps, entry, opts.clock.now(), initial, offset)) return;
          snapshot = null;
          opts.onChange?.();
        },
      });
      await watch.ready;
      loaded = true;
    },
    state: () => (snapshot ??= { lanes: new Map(maps.lanes), hosts: new Map(maps.hosts) }),
    dispose: async () => {
      await watch?.stop();
    },
  };
}
