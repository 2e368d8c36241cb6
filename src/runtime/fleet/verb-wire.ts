/**
 * A fleet command sent with the core NATS client alone (no `@nats-io/jetstream` or
 * `@nats-io/kv`), for the lean verb (src/cli/fleet/verb-lean.ts): the same protocol and
 * outcomes as ./sender.ts, spoken on the JetStream wire API that the KV client uses
 * (https://docs.nats.io/reference/reference-protocols/nats_api_reference).
 *
 * - The command is a KV create: a publish to `$KV.laneboard-cmds.cmd.<host>.<id>` with the
 *   header `Nats-Expected-Last-Subject-Sequence: 0`, acknowledged by the stream (PubAck).
 * - The receipt is followed by a core subscription to its subject,
 *   `$KV.laneboard-cmds.rcpt.<host>.<id>`: every write of a KV key is a publish on its
 *   subject, and the server handles this connection's SUB before the command's PUB, while
 *   the host writes the receipt only after it saw the command — so every receipt the host
 *   writes is delivered, with no JetStream consumer to create first (one round trip and
 *   the server's consumer work less; docs/performance.md, "Fleet, session 7"). A publish
 *   the stream refused is delivered too: the only one that matters, this sender's own
 *   `expired` create that lost to the host's claim, is ignored (the create's reply
 *   decides). Should a receipt write still go unseen (on a cluster, subscription interest
 *   reaches the other servers asynchronously), the stored receipt is read
 *   (`STREAM.MSG.GET` by subject) whenever nothing arrived for a second, and before giving up.
 * - A sender that gets no claim in time expires the command by creating the receipt
 *   itself (the same header); if that fails, the host claimed it first.
 * Resolves null when the commands bucket does not exist (the full command line creates it).
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { cjs } from './cjs.js';
import { CMDS_BUCKET, commandKey, receiptKey } from './keys.js';
import { parseReceipt, type Receipt } from './receipt.js';
import type { SendOptions, SendOutcome } from './sender.js';
import { commandValue } from './receipt.js';

const PREFIX = `$KV.${CMDS_BUCKET}.`;

/** How long to wait for a receipt message before reading the stored receipt (ms). */
const STORED_CHECK_MS = 1_000;

interface ApiError {
  readonly error?: { code?: number; err_code?: number; description?: string };
}

const noResponders = (err: unknown): boolean => {
  const e = err as { isNoResponders?: () => boolean; cause?: { name?: string } };
  return e?.isNoResponders?.() === true || e?.cause?.name === 'NoRespondersError';
};

/** The bucket is missing: the caller falls back to the full path. */
class NoBucket extends Error {}

/**
 * Send one command on `nc` and wait for its outcome as {@link sendCommand} does. Resolves
 * null when there is no commands bucket; rejects when the command cannot be written
 * (permissions, timeout).
 */
export async function sendCommandWire(
  nc: NatsConnection,
  opts: SendOptions,
): Promise<SendOutcome | null> {
  const { headers, nuid } = cjs(await import('@nats-io/transport-node'));
  const id = nuid.next();
  const rkey = receiptKey(opts.host, id);
  const subject = `${PREFIX}${rkey}`;
  const deliverMs = opts.deliverTimeoutMs ?? 10_000;
  const seen: Receipt[] = [];
  let wake: () => void = () => undefined;
  const sub = nc.subscribe(subject, {
    callback: (err: Error | null, m: Msg) => {
      if (err || m.headers?.get('KV-Operation')) return;
      const r = parseReceipt(m.string());
      // `expired` is written only by this sender, and its create's reply tells the outcome.
      if (r && r.state !== 'expired') {
        seen.push(r);
        wake();
      }
    },
  });
  /** Create key `key` with `value`; false when it exists already (wrong last sequence). */
  const create = async (key: string, value: string): Promise<boolean> => {
    const h = headers();
    h.set('Nats-Expected-Last-Subject-Sequence', '0');
    let reply: Msg;
    try {
      reply = await nc.request(`${PREFIX}${key}`, value, { timeout: deliverMs, headers: h });
    } catch (err) {
      if (noResponders(err)) throw new NoBucket();
      throw err;
    }
    const e = reply.json<ApiError>().error;
    if (e === undefined) return true;
    if (e.err_code === 10071 || /wrong last sequence/i.test(e.description ?? '')) return false;
    throw new Error(`the server refused the command: ${e.description ?? 'error'}`);
  };
  /**
   * The receipt as stored in the bucket; null when there is none, it is a delete marker
   * (a message with headers) or it cannot be read now (the wait goes on).
   */
  const stored = async (): Promise<Receipt | null> => {
    try {
      const reply = await nc.request(
        `$JS.API.STREAM.MSG.GET.KV_${CMDS_BUCKET}`,
        JSON.stringify({ last_by_subj: subject }),
        { timeout: deliverMs },
      );
      const m = reply.json<{ message?: { data?: unknown; hdrs?: unknown } }>().message;
      if (typeof m?.data !== 'string' || typeof m.hdrs === 'string') return null;
      return parseReceipt(Buffer.from(m.data, 'base64').toString('utf8'));
    } catch {
      return null;
    }
  };
  try {
    if (!(await create(commandKey(opts.host, id), JSON.stringify(commandValue(id, opts)))))
      throw new Error(`command id ${id} exists already`);
    opts.onState?.('pending');
    let last: Receipt | null = null;
    let deadline = Date.now() + deliverMs;
    for (;;) {
      let r = seen.shift();
      if (r === undefined) {
        const wait = Math.min(deadline - Date.now(), STORED_CHECK_MS);
        if (wait > 0) {
          const woke = await new Promise<boolean>((resolve) => {
            const t = setTimeout(() => resolve(false), wait);
            wake = () => (clearTimeout(t), resolve(true));
          });
          if (woke) continue;
        }
        const s = await stored();
        if (s !== null && s.state !== 'expired' && s.state !== last?.state) r = s;
        else if (Date.now() < deadline) continue;
      }
      if (r === undefined) {
        if (last) return { state: 'delivered', id, receipt: last };
        // Nobody claimed it: expire it, unless the host claims it at this very moment.
        if (await create(rkey, JSON.stringify({ id, state: 'expired' }))) {
          opts.onState?.('expired');
          return { state: 'not_delivered', id, reason: `host ${opts.host} did not answer` };
        }
        deadline = Date.now() + (opts.doneTimeoutMs ?? 30_000);
        continue;
      }
      if (r.state === last?.state) continue;
      last = r;
      opts.onState?.(r.state);
      if (r.state === 'done' || r.state === 'failed') return { state: r.state, id, receipt: r };
      deadline = Date.now() + (opts.doneTimeoutMs ?? 30_000);
    }
  } catch (err) {
    if (err instanceof NoBucket) return null;
    throw err;
  } finally {
    sub.unsubscribe();
  }
}
