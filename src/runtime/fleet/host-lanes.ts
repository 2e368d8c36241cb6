/**
 * Host side: every lane of this host in one value, `lanes.<host>` in the fleet bucket, so
 * a one-shot reader (`laneboard --json --nats`, src/runtime/fleet/fleet-scan.ts) reads one
 * message per host instead of one per lane (per-message work in a cold process is what
 * the read costs: docs/performance.md, "Fleet, session 5"). The lane keys stay the truth;
 * this value is a copy that a reader completes from them:
 *
 * `{ host, tailFrom, writtenAt, lanes: [{ id, rev, value }] }` — `value` is the lane value
 * exactly as written to `lane.<host>.<id>`, `rev` its KV revision; `writtenAt` is this
 * host's clock when the value was built (readers place each lane's arrival at the value's
 * server time minus `writtenAt − value.publishedAt`, one clock each); `tailFrom` is the
 * revision from which a reader must also read this host's lane keys: the value is built
 * only while none of the host's lane writes is in flight, so every write with a revision
 * below `tailFrom` is in it, and any later one has a higher revision.
 *
 * Written at most every `minIntervalMs` (default 250), after lane writes settled and while
 * no command runs on the host (`hold`); a failed
 * write (e.g. a server whose permissions predate this key) is reported once and retried
 * with the next change. Readers that find no such value for a host read its lane keys.
 */
import type { KV } from '@nats-io/kv';
import { hostLanesKey } from './keys.js';

/** Options of {@link createHostLanes}. */
export interface HostLanesOptions {
  readonly kv: KV;
  readonly host: string;
  /** Shortest gap (ms) between two writes. Default 250. */
  readonly minIntervalMs?: number;
  /** Told about a failed write (once until a write succeeds again). */
  readonly onError?: (err: unknown) => void;
}

/** The aggregate writer; the lane publisher reports each lane write to it. */
export interface HostLanes {
  /** A lane write (put or delete) was issued. */
  begin(): void;
  /** A lane put settled: acknowledged at `revision` with value text `text`, or failed (null). */
  put(id: string, text: string, revision: number | null): void;
  /** A lane delete settled (`ok`: acknowledged). */
  deleted(id: string, ok: boolean): void;
  /**
   * Write no copy until the returned release is called (holds nest): while a command runs,
   * the ~290 KB copy of a 250-lane host would share the connection and the server with the
   * command's own writes (docs/performance.md, "Fleet, session 7"). Changes made meanwhile
   * are written after the last release, as usual.
   */
  hold(): () => void;
  /** Stop writing (a write in flight is not awaited). */
  dispose(): void;
}

/** Create the writer (it writes after the first settled lane write). */
export function createHostLanes(opts: HostLanesOptions): HostLanes {
  const minIntervalMs = opts.minIntervalMs ?? 250;
  const lanes = new Map<string, { text: string; rev: number }>();
  let inflight = 0;
  let maxRev = 0;
  let dirty = false;
  let writing = false;
  let lastWrite = 0;
  let failed = false;
  let disposed = false;
  let held = 0;
  let timer: NodeJS.Timeout | null = null;

  const build = (): string => {
    const items: string[] = [];
    for (const [id, l] of lanes)
      items.push(`{"id":${JSON.stringify(id)},"rev":${l.rev},"value":${l.text}}`);
    const head = JSON.stringify({
      host: opts.host,
      tailFrom: maxRev + 1,
      writtenAt: new Date().toISOString(),
    });
    return `${head.slice(0, -1)},"lanes":[${items.join(',')}]}`;
  };

  const write = (): void => {
    timer = null;
    // Only between writes: then every lane write issued so far is acknowledged (or failed).
    if (disposed || !dirty || writing || inflight > 0 || held > 0) return;
    dirty = false;
    writing = true;
    lastWrite = Date.now();
    opts.kv.put(hostLanesKey(opts.host), build()).then(
      () => {
        failed = false;
        writing = false;
        schedule();
      },
      (err: unknown) => {
        if (!failed) opts.onError?.(err);
        failed = true;
        writing = false;
      },
    );
  };

  function schedule(): void {
    if (timer !== null || disposed || !dirty || inflight > 0 || held > 0) return;
    timer = setTimeout(write, Math.max(0, lastWrite + minIntervalMs - Date.now()));
    timer.unref();
  }

  const settled = (): void => {
    inflight = Math.max(0, inflight - 1);
    dirty = true;
    schedule();
  };

  return {
    begin: () => {
      inflight += 1;
    },
    put: (id, text, revision) => {
      if (revision !== null) {
        lanes.set(id, { text, rev: revision });
        maxRev = Math.max(maxRev, revision);
      }
      settled();
    },
    deleted: (id, ok) => {
      if (ok) lanes.delete(id);
      settled();
    },
    hold: () => {
      held += 1;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held -= 1;
        schedule();
      };
    },
    dispose: () => {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
