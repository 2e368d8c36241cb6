/**
 * One pass over a KV bucket's current values, for one-shot readers (`laneboard --json
 * --nats`): the newest value of every key, read with a single JetStream consumer instead
 * of a get per key. It needs only the core NATS client (`@nats-io/transport-node`), so the
 * lean `--json` bundle does not load `@nats-io/jetstream` or `@nats-io/kv`.
 *
 * How (the JetStream wire API that `@nats-io/kv`'s own watch uses, documented at
 * https://docs.nats.io/reference/reference-protocols/nats_api_reference): a KV bucket
 * `B` is the stream `KV_B`, a key `k` the subject `$KV.B.k`. The scan subscribes to an
 * inbox and creates an ephemeral push consumer on `$JS.API.CONSUMER.CREATE.KV_B` with
 * `deliver_policy: last_per_subject` (the newest message of each key), `ack_policy:
 * none`, in memory, removed by the server 2 s after the scan unsubscribes. Every
 * delivered message's reply subject (`$JS.ACK.<stream>.<consumer>.<delivered>.<stream
 * seq>.<consumer seq>.<timestamp ns>.<pending>`, or the 12-token form with domain and
 * account hash) carries its revision (stream sequence), server time and the count still
 * to come; the scan ends at pending 0. Deletes and purges arrive as messages with a
 * `KV-Operation` header (`DEL` / `PURGE`) and are returned as such.
 *
 * That count is the server's running estimate, and nats-server releases have shipped with
 * estimates that stay above 0 after the last message (e.g. nats-server issue #5367, 2.9.16:
 * "NumPending == 0 … set to 15 when in indeed it was the last message"). So a scan still
 * running after {@link STALL_CHECK_MS} asks the server for its consumer's state
 * (`$JS.API.CONSUMER.INFO`, which recounts): nothing pending and every delivered message
 * received ends it too. A scan whose connection closes fails at once.
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../types.js';
import type { FleetEntry } from './reader.js';
import { serverOffsetMs } from './server-clock.js';

/** The server refused the scan (e.g. the bucket does not exist: `code` 404, `errCode` 10059). */
export class ScanRefusedError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly errCode: number,
  ) {
    super(message);
    this.name = 'ScanRefusedError';
  }
}

/** JetStream's error code for "stream not found" (the bucket was never created). */
export const STREAM_NOT_FOUND = 10059;

/** Delivery info from a JetStream reply subject; null when it is not one. */
export function parseAckSubject(
  reply: string | undefined,
): { revision: number; createdMs: number; pending: number } | null {
  if (reply === undefined) return null;
  const t = reply.split('.');
  if (t.length === 9) t.splice(2, 0, '_', '');
  if (t.length < 11 || t[0] !== '$JS' || t[1] !== 'ACK') return null;
  const revision = Number(t[7]);
  const pending = Number(t[10]);
  const ns = t[9] ?? '';
  if (!Number.isSafeInteger(revision) || !Number.isSafeInteger(pending) || !/^\d+$/.test(ns))
    return null;
  return { revision, createdMs: Number(BigInt(ns) / 1_000_000n), pending };
}

/** The server's answer to a consumer create (ConsumerInfo, or an error). */
export interface CreateReply {
  readonly error?: { code?: number; err_code?: number; description?: string };
  readonly num_pending?: number;
  readonly delivered?: { consumer_seq?: number };
  /** Server time the consumer was created (RFC 3339): the server's "now". */
  readonly created?: string;
  /** The consumer's name (the server names an ephemeral one). */
  readonly name?: string;
}

/** How often a scan still running asks the server for its consumer's state (ms). */
export const STALL_CHECK_MS = 1_000;

/**
 * Create an ephemeral push consumer on the stream of KV bucket `bucket` delivering to
 * `inbox` the messages of subject `filter` (`deliver_policy` as given; no acks, in
 * memory, removed by the server 2 s after its inbox goes away). Resolves with the server's
 * reply; rejects with {@link ScanRefusedError} when the server refuses it (no such
 * bucket, no permission), or with the client's error (timeout after `timeoutMs`).
 */
export async function createPushConsumer(
  nc: NatsConnection,
  bucket: string,
  o: {
    inbox: string;
    filter: string;
    deliverPolicy: 'all' | 'last_per_subject' | 'by_start_sequence';
    /** First stream sequence to deliver (`by_start_sequence` only). */
    startSeq?: number;
  },
  timeoutMs: number,
): Promise<CreateReply> {
  const stream = `KV_${bucket}`;
  const config = {
    deliver_subject: o.inbox,
    deliver_policy: o.deliverPolicy,
    ...(o.deliverPolicy === 'by_start_sequence' ? { opt_start_seq: o.startSeq ?? 1 } : {}),
    ack_policy: 'none',
    filter_subject: o.filter,
    replay_policy: 'instant',
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: 2_000_000_000, // ns
  };
  const reply = await nc.request(
    `$JS.API.CONSUMER.CREATE.${stream}`,
    JSON.stringify({ stream_name: stream, config }),
    { timeout: timeoutMs },
  );
  const body = reply.json<CreateReply>();
  const e = body.error;
  if (e) {
    throw new ScanRefusedError(
      `the server refused to read the ${bucket} bucket: ${e.description ?? 'error'}`,
      e.code ?? 0,
      e.err_code ?? 0,
    );
  }
  return body;
}

/** What {@link scanBucket} read. */
export interface BucketScan {
  /** Every key's newest entry, in delivery order. */
  readonly entries: FleetEntry[];
  /**
   * Server clock minus the reader's `clock` (ms), from the scan consumer's `created` time
   * (src/runtime/fleet/server-clock.ts): pass it to `applyEntryTo` so the entries'
   * server timestamps are aged by server time, not by the reader's clock.
   */
  readonly serverOffsetMs: number;
}

/** Which entries {@link scanBucket} reads; default: the newest of every key. */
export interface ScanSelect {
  /** Keys (NATS subject syntax relative to the bucket, e.g. `host.*`). Default `>`. */
  readonly keys?: string;
  /** Every entry from stream sequence (revision) `fromRevision` on, not only the newest per key. */
  readonly fromRevision?: number;
}

/**
 * Read every key's newest entry of `bucket` (see the module doc), or what `select` says.
 * `inbox` is a fresh inbox subject (`createInbox()` of the client); `clock` is the
 * reader's clock (for {@link BucketScan.serverOffsetMs}). Resolves with the entries in
 * delivery order; rejects with {@link ScanRefusedError} when the server refuses the
 * consumer (no such bucket, no permission), or with an Error when the scan does not
 * complete within `timeoutMs` (default 5000).
 */
export async function scanBucket(
  nc: NatsConnection,
  bucket: string,
  inbox: string,
  clock: Clock,
  timeoutMs = 5_000,
  select: ScanSelect = {},
): Promise<BucketScan> {
  const prefix = `$KV.${bucket}.`;
  const entries: FleetEntry[] = [];
  // Reader-clock time of the first sign that the consumer exists (its first message may
  // be handled before the reply to the create): the late end of the `created` estimate.
  let firstSign = Infinity;
  let sawLast = false;
  /** The server's answer to the consumer create came (for the timeout's message). */
  let created = false;
  /** `pending` of the last delivered message (for the timeout's message). */
  let lastPending: number | null = null;
  let finish: (err?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err?: Error) => (err === undefined ? resolve() : reject(err));
  });
  done.catch(() => undefined); // a late failure after an early exit must not go unhandled
  const onMsg = (err: Error | null, m: Msg): void => {
    if (err) return finish(err);
    if (firstSign === Infinity) firstSign = clock.now();
    const info = parseAckSubject(m.reply);
    if (!info || !m.subject.startsWith(prefix)) return;
    lastPending = info.pending;
    const op = m.headers?.get('KV-Operation');
    entries.push({
      key: m.subject.slice(prefix.length),
      revision: info.revision,
      operation: op === 'DEL' || op === 'PURGE' ? op : 'PUT',
      created: new Date(info.createdMs),
      text: m.string(),
    });
    if (info.pending === 0) {
      sawLast = true;
      finish();
    }
  };
  let over = false;
  void done.finally(() => (over = true)).catch(() => undefined);
  void nc.closed().then(() => finish(new Error('the connection to the server closed')));
  let checks: NodeJS.Timeout | undefined;
  const sub = nc.subscribe(inbox, { callback: onMsg });
  const timer = setTimeout(() => {
    const where = !created
      ? 'the server did not answer the consumer create'
      : `${entries.length} entries in, the last with ${String(lastPending ?? 'no')} still to come`;
    const keys = select.keys ?? '>';
    finish(
      new Error(
        `reading the ${bucket} bucket (${keys}) took longer than ${timeoutMs} ms: ${where}`,
      ),
    );
  }, timeoutMs);
  try {
    const sentAt = clock.now();
    const body = await createPushConsumer(
      nc,
      bucket,
      {
        inbox,
        filter: `${prefix}${select.keys ?? '>'}`,
        ...(select.fromRevision === undefined
          ? { deliverPolicy: 'last_per_subject' as const }
          : { deliverPolicy: 'by_start_sequence' as const, startSeq: select.fromRevision }),
      },
      timeoutMs,
    );
    created = true;
    firstSign = Math.min(firstSign, clock.now());
    // Nothing to deliver, and everything delivered so far is in: an empty bucket, or the
    // last message was already handled (then `sawLast` is set anyway).
    const delivered = body.delivered?.consumer_seq ?? 0;
    if (!sawLast && body.num_pending === 0 && delivered <= entries.length) finish();
    checks = stallChecks(nc, bucket, body.name, () => over, entries, finish);
    await done;
    return { entries, serverOffsetMs: serverOffsetMs(body.created, sentAt, firstSign) };
  } finally {
    clearTimeout(timer);
    clearInterval(checks);
    sub.unsubscribe();
  }
}

/**
 * Every {@link STALL_CHECK_MS} until `over()`: ask the server for consumer `name`'s state
 * and `finish()` when nothing is pending and `received` holds every message it delivered.
 * A failed or refused ask changes nothing (the scan's own timeout still applies). Returns
 * the interval (clear it when the scan is over); null without a name.
 */
export function stallChecks(
  nc: NatsConnection,
  bucket: string,
  name: string | undefined,
  over: () => boolean,
  received: readonly FleetEntry[],
  finish: () => void,
): NodeJS.Timeout | undefined {
  if (name === undefined || over()) return undefined;
  let asking = false;
  const check = async (): Promise<void> => {
    if (asking || over()) return;
    asking = true;
    try {
      const r = await nc.request(`$JS.API.CONSUMER.INFO.KV_${bucket}.${name}`, '', {
        timeout: STALL_CHECK_MS,
      });
      const info = r.json<CreateReply>();
      const delivered = info.delivered?.consumer_seq;
      if (info.error === undefined && info.num_pending === 0 && delivered !== undefined) {
        if (delivered <= received.length) finish();
      }
    } catch {
      // no answer in time: the next check, or the scan's timeout
    } finally {
      asking = false;
    }
  };
  const t = setInterval(() => void check(), STALL_CHECK_MS);
  t.unref();
  return t;
}
