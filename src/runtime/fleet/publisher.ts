/**
 * Host side, lanes: publishes each lane of a board store into the fleet bucket when it
 * changes. The value is the lane object of `laneboard.snapshot/1` (src/state/snapshot.ts)
 * plus `host`, `seq` (this publisher's write counter, 1, 2, …) and `publishedAt` (this
 * host's clock at the write, ISO 8601). A lane is written only
 * when its snapshot changed, ignoring fields that move with the clock alone
 * (`agent.heartbeat.ageMs`, `worker.nextStartInMs`); passes are coalesced to one per
 * `minIntervalMs`. A failed write (server away) is retried on the next pass, every
 * `retryMs` until it succeeds. Lanes that leave the store are deleted from the bucket
 * (a failed delete is retried like a failed write).
 *
 * With a `record` (./published-record.ts) the ids that may have a key in the bucket
 * survive a restart: an id is saved before its first write and dropped once its delete is
 * acknowledged, and `start()` deletes the keys of recorded lanes the store no longer has
 * (removed from lanes.yaml while the runtime was stopped).
 */
import type { KV } from '@nats-io/kv';
import { laneSnapshot } from '../../state/snapshot.js';
import { selectLaneView, selectLaneViews } from '../../state/selectors.js';
import type { LaneView } from '../../state/view-types.js';
import type { BoardStore } from '../../state/store.js';
import { laneKey } from './keys.js';
import type { HostLanes } from './host-lanes.js';
import type { PublishedRecord } from './published-record.js';

/** Options of {@link createLanePublisher}. */
export interface LanePublisherOptions {
  readonly kv: KV;
  readonly host: string;
  readonly store: BoardStore;
  /** Resolves when the connection is up; a pass waits for it instead of timing out. */
  readonly ready?: () => Promise<void>;
  /** Shortest gap (ms) between two publish passes. Default 50. */
  readonly minIntervalMs?: number;
  /** Pause (ms) before retrying failed writes. Default 1000. */
  readonly retryMs?: number;
  /** Told about write failures (once per failing pass). */
  readonly onError?: (err: unknown) => void;
  /** Told about every lane write (the host's one-value copy of its lanes, ./host-lanes.ts). */
  readonly hostLanes?: HostLanes;
  /** Where the lane ids that may have keys in the bucket are kept across restarts. */
  readonly record?: PublishedRecord;
}

/** A running lane publisher. */
export interface LanePublisher {
  /** Publish every lane now and follow the store. */
  start(): Promise<void>;
  /**
   * Run a publish pass now, after any pass in flight, so it sees the store as it is now;
   * resolves when its writes are settled.
   */
  flush(): Promise<void>;
  /**
   * Publish lane `id` now if its snapshot changed (one lane, not a whole pass: a command's
   * result, before its receipt); resolves when the write is settled.
   */
  flushLane(id: string): Promise<void>;
  /** Number of lane writes acknowledged by the server so far. */
  written(): number;
  dispose(): Promise<void>;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** The comparison form of a lane: its snapshot without clock-only fields. */
function comparable(lane: Record<string, unknown>): string {
  return JSON.stringify(lane, (k, v: unknown) =>
    k === 'ageMs' || k === 'nextStartInMs' ? undefined : v,
  );
}

/** Create a publisher (nothing happens until `start()`). */
export function createLanePublisher(opts: LanePublisherOptions): LanePublisher {
  const { kv, host, store } = opts;
  const minIntervalMs = opts.minIntervalMs ?? 50;
  const retryMs = opts.retryMs ?? 1_000;
  const published = new Map<string, string>();
  /**
   * The view each lane's published value was made from: views are memoized per lane
   * (src/state/selectors.ts), so a lane whose view is the same object has not changed and
   * a pass skips building and comparing its snapshot (a pass costs what changed, not the
   * whole board).
   */
  const publishedView = new Map<string, LaneView>();
  /** Ids that may have a key in the bucket (written, or recorded by an earlier run). */
  const inBucket = new Set<string>();
  /** The record's content as last saved (sorted ids joined), to skip unchanged saves. */
  let recorded = '';
  const saveRecord = (): Promise<void> => {
    const ids = [...inBucket].sort();
    const text = ids.join('\n');
    if (!opts.record || text === recorded) return Promise.resolve();
    recorded = text;
    return opts.record.save(ids);
  };
  let seq = 0;
  let written = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastPass = 0;
  let disposed = false;
  let unsubscribe: () => void = () => undefined;

  let failedOnce = false;
  /** Ids whose delete is in flight. */
  const deleting = new Set<string>();
  /** Save the ids of `views` that have no key yet to the record before they are written. */
  const recordNew = (views: readonly LaneView[]): Promise<void> => {
    let added = false;
    for (const v of views) {
      if (inBucket.has(v.id)) continue;
      inBucket.add(v.id);
      added = true;
    }
    return added ? saveRecord() : Promise.resolve();
  };

  /** Write one lane if its snapshot changed; the write (rejects on failure), or null. */
  const write = (v: LaneView): Promise<void> | null => {
    if (publishedView.get(v.id) === v) return null;
    const lane = laneSnapshot(v);
    const cmp = comparable(lane);
    publishedView.set(v.id, v);
    if (published.get(v.id) === cmp) return null;
    published.set(v.id, cmp);
    seq += 1;
    // publishedAt (this host's clock): readers age the lane from it and the value's
    // arrival, never by comparing clocks (src/state/fleet-ages.ts).
    const value = JSON.stringify({ ...lane, host, seq, publishedAt: new Date().toISOString() });
    opts.hostLanes?.begin();
    return kv.put(laneKey(host, v.id), value).then(
      (revision) => {
        written += 1;
        opts.hostLanes?.put(v.id, value, revision);
      },
      (err: unknown) => {
        opts.hostLanes?.put(v.id, value, null);
        // Forget it so the next pass writes it again.
        if (published.get(v.id) === cmp) {
          published.delete(v.id);
          publishedView.delete(v.id);
        }
        if (!failedOnce) opts.onError?.(err);
        failedOnce = true;
        throw err;
      },
    );
  };

  const pass = async (): Promise<void> => {
    failedOnce = false;
    await opts.ready?.();
    lastPass = Date.now();
    const state = store.getState();
    // Only this host's own lanes: a fleet board's store also holds other hosts' lanes.
    const views = selectLaneViews(state).filter((v) => !state.lanes[v.id]?.remote);
    const seen = new Set<string>();
    const writes: Promise<unknown>[] = [];
    let failed = false;
    await recordNew(views);
    for (const v of views) {
      seen.add(v.id);
      const w = write(v);
      if (w) writes.push(w.then(undefined, () => void (failed = true)));
    }
    for (const id of [...inBucket]) {
      if (seen.has(id) || deleting.has(id)) continue;
      published.delete(id);
      publishedView.delete(id);
      deleting.add(id);
      opts.hostLanes?.begin();
      writes.push(
        kv.delete(laneKey(host, id)).then(
          () => {
            deleting.delete(id);
            opts.hostLanes?.deleted(id, true);
            // Unless the lane came back meanwhile (then its write recorded it again).
            if (!published.has(id)) inBucket.delete(id);
            void saveRecord();
          },
          (err: unknown) => {
            deleting.delete(id);
            opts.hostLanes?.deleted(id, false);
            if (!failedOnce) opts.onError?.(err);
            failedOnce = true;
            failed = true;
          },
        ),
      );
    }
    await Promise.all(writes);
    if (failed && !disposed) schedule(retryMs);
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = null;
      if (again && !disposed) {
        again = false;
        schedule(0);
      }
    });
    return running;
  };

  function schedule(delayMs: number): void {
    if (timer !== null || disposed) return;
    const wait = Math.max(delayMs, lastPass + minIntervalMs - Date.now(), 0);
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, wait);
  }

  return {
    start: async () => {
      for (const id of (await opts.record?.load()) ?? []) inBucket.add(id);
      recorded = [...inBucket].sort().join('\n');
      unsubscribe = store.subscribe(() => schedule(0));
      await run();
    },
    flush: async () => {
      // A pass in flight read the store before the caller's change: let it end, then run
      // a fresh one now (not after the coalescing interval).
      while (running) await running.catch(() => undefined);
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      again = false;
      await run();
    },
    flushLane: async (id) => {
      await opts.ready?.();
      const state = store.getState();
      const lane = state.lanes[id];
      if (!lane || lane.remote) return;
      const view = selectLaneView(state, id);
      await recordNew([view]);
      const w = write(view);
      // A failed write is retried by the next pass.
      if (w) await w.catch(() => (disposed ? undefined : schedule(retryMs)));
    },
    written: () => written,
    dispose: async () => {
      disposed = true;
      unsubscribe();
      opts.hostLanes?.dispose();
      if (timer !== null) clearTimeout(timer);
      // Bounded: a pass may be waiting for a connection that is not coming back.
      if (running) await Promise.race([running.catch(() => undefined), delay(1_000)]);
    },
  };
}
