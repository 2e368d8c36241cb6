/**
 * A fleet command sent with the core NATS client alone (no `@nats-io/jetstream` or
 * `@nats-io/kv`), for the lean verb (src/cli/fleet/verb-lean.ts): the same protocol and
 * outcomes as ./sender.ts, spoken on the JetStream wire API that the KV client uses
 * (https://docs.nats.io/reference/reference-protocols/nats_api_reference).
 *
 * - The command is a KV create: a publish to `$KV.laneboard-cmds.cmd.<host>.<id>` with the
 *   header `Nats-Expected-Last-Subject-Sequence: 0`, acknowledged by the stream (PubAck).
 * - The receipt key is followed by one ephemeral push consumer filtered to
 *   `$KV.laneboard-cmds.rcpt.<host>.<id>` (`deliver_policy: all`, no acks, in memory),
 *   created at the same time as the command is written: it delivers the receipt value
 *   that exists when it starts and every later one, so no state is missed.
 * - A sender that gets no claim in time expires the command by creating the receipt
 *   itself (the same header); if that fails, the host claimed it first.
 * Resolves null when the commands bucket does not exist (the full command line creates it).
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { cjs } from './cjs.js';
import { CMDS_BUCKET, commandKey, receiptKey } from './keys.js';
import { parseReceipt, type Receipt } from './receipt.js';
import type { SendOptions, SendOutcome } from './sender.js';
import { createPushConsumer, ScanRefusedError, STREAM_NOT_FOUND } from './bucket-scan.js';
import { commandValue } from './receipt.js';

const PREFIX = `$KV.${CMDS_BUCKET}.`;

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
 * Send one command on `nc` (receipts delivered to the fresh inbox subject `inbox`) and
 * wait for its outcome as {@link sendCommand} does. Resolves null when there is no
 * commands bucket; rejects when the command cannot be written (permissions, timeout).
 */
export async function sendCommandWire(
  nc: NatsConnection,
  inbox: string,
  opts: SendOptions,
): Promise<SendOutcome | null> {
  const { headers, nuid } = cjs(await import('@nats-io/transport-node'));
  const id = nuid.next();
  const rkey = receiptKey(opts.host, id);
  const deliverMs = opts.deliverTimeoutMs ?? 10_000;
  const seen: Receipt[] = [];
  let wake: () => void = () => undefined;
  const sub = nc.subscribe(inbox, {
    callback: (err: Error | null, m: Msg) => {
      if (err || !m.subject.startsWith(PREFIX) || m.headers?.get('KV-Operation')) return;
      const r = parseReceipt(m.string());
      if (r) {
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
  const consumer = async (): Promise<void> => {
    const filter = `${PREFIX}${rkey}`;
    try {
      await createPushConsumer(nc, CMDS_BUCKET, { inbox, filter, deliverPolicy: 'all' }, deliverMs);
    } catch (err) {
      if (err instanceof ScanRefusedError && err.errCode === STREAM_NOT_FOUND) throw new NoBucket();
      throw err;
    }
  };
  const cmd = commandValue(id, opts);
  try {
    const [c, w] = await Promise.allSettled([
      consumer(),
      create(commandKey(opts.host, id), JSON.stringify(cmd)),
    ]);
    for (const r of [c, w]) if (r.status === 'rejected') throw r.reason;
    opts.onState?.('pending');
    let last: Receipt | null = null;
    let deadline = Date.now() + deliverMs;
    for (;;) {
      const r = seen.shift();
      if (r === undefined) {
        const wait = deadline - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, wait);
            wake = () => (clearTimeout(t), resolve());
          });
          continue;
        }
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
      if (r.state === 'expired') return { state: 'not_delivered', id, reason: 'expired' };
      deadline = Date.now() + (opts.doneTimeoutMs ?? 30_000);
    }
  } catch (err) {
    if (err instanceof NoBucket) return null;
    throw err;
  } finally {
    sub.unsubscribe();
  }
}
