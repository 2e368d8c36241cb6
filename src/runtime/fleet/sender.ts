/**
 * Sender side of fleet commands (the fleet board's keys and the CLI verbs): writes one
 * command and follows its receipt (protocol in src/runtime/fleet/commands.ts) until it is
 * final or the sender gives up. Outcomes, as the board shows them:
 * `pending` (written, no receipt yet) → `delivered` (the host recorded it) → `done` /
 * `failed`; or `not_delivered` when no host claimed it within the timeout (the command is
 * then expired, so a host coming back later never executes it).
 */
import { randomUUID } from 'node:crypto';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import { parseReceipt } from './commands.js';
import type { FleetConnection } from './connect.js';
import type { FleetCommand, FleetVerb, Receipt } from './commands.js';
import { commandKey, receiptKey } from './keys.js';
import { commandValue } from './receipt.js';

/** Final outcome of a sent command. */
export type SendOutcome =
  | { readonly state: 'done' | 'failed'; readonly id: string; readonly receipt: Receipt }
  | { readonly state: 'not_delivered'; readonly id: string; readonly reason: string }
  /** Claimed by the host, but no final receipt within the timeout. */
  | { readonly state: 'delivered'; readonly id: string; readonly receipt: Receipt };

/** Options of {@link sendCommand}. */
export interface SendOptions {
  readonly host: string;
  readonly laneId: string;
  readonly verb: FleetVerb;
  /** Steering text (`steer` only). */
  readonly text?: string;
  /** Sender name recorded in the command. */
  readonly by?: string;
  /** Give up waiting for the host's claim after this long (ms). Default 10000. */
  readonly deliverTimeoutMs?: number;
  /** Give up waiting for the final receipt after the claim after this long (ms). Default 30000. */
  readonly doneTimeoutMs?: number;
  /** Told of every receipt state seen (`pending` first, once written). */
  readonly onState?: (state: 'pending' | Receipt['state']) => void;
}

/**
 * Send one command and wait for its outcome. Never rejects for a missing host; rejects
 * only when the command cannot be written at all (no connection, no permission).
 * The receipt key is watched from before the command is written, so every state the
 * host records is seen in order.
 */
export async function sendCommand(
  conn: Pick<FleetConnection, 'cmds' | 'ready'>,
  opts: SendOptions,
): Promise<SendOutcome> {
  const kv = conn.cmds;
  const id = randomUUID();
  const cmd: FleetCommand = commandValue(id, opts);
  const rkey = receiptKey(opts.host, id);
  // Right after a server restart requests can time out while the client reconnects and
  // JetStream recovers: retry within the delivery timeout.
  const until = Date.now() + (opts.deliverTimeoutMs ?? 10_000);
  const watch = await retrying(async () => {
    await conn.ready();
    return kv.watch({ key: rkey });
  }, until);
  try {
    await retrying(async () => {
      await conn.ready();
      try {
        await kv.create(commandKey(opts.host, id), JSON.stringify(cmd));
      } catch (err) {
        // The id is ours alone: if it exists, an earlier attempt that timed out wrote it.
        if (!/wrong last sequence/i.test(err instanceof Error ? err.message : '')) throw err;
      }
    }, until);
    opts.onState?.('pending');
    return await follow(kv, watch, rkey, id, opts);
  } finally {
    watch.stop();
  }
}

/** Run `fn`, retrying every 250 ms on failure until epoch-ms `until`; then rethrow. */
async function retrying<T>(fn: () => Promise<T>, until: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + 250 > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function follow(
  kv: KV,
  watch: AsyncIterable<KvWatchEntry>,
  rkey: string,
  id: string,
  opts: SendOptions,
): Promise<SendOutcome> {
  const it = watch[Symbol.asyncIterator]();
  let last: Receipt | null = null;
  let deadline = Date.now() + (opts.deliverTimeoutMs ?? 10_000);
  for (;;) {
    const wait = Math.max(0, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), wait)));
    const next = await Promise.race([it.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') {
      if (last) return { state: 'delivered', id, receipt: last };
      // Nobody claimed it: expire it, unless the host claims it at this very moment.
      try {
        await kv.create(rkey, JSON.stringify({ id, state: 'expired' } satisfies Receipt));
        opts.onState?.('expired');
        return { state: 'not_delivered', id, reason: `host ${opts.host} did not answer` };
      } catch {
        deadline = Date.now() + (opts.doneTimeoutMs ?? 30_000);
        continue;
      }
    }
    if (next.done) {
      return last
        ? { state: 'delivered', id, receipt: last }
        : { state: 'not_delivered', id, reason: 'connection closed' };
    }
    const e = next.value;
    const r = e.operation === 'PUT' ? parseReceipt(e.string()) : null;
    if (!r || r.state === last?.state) continue;
    last = r;
    opts.onState?.(r.state);
    if (r.state === 'done' || r.state === 'failed') return { state: r.state, id, receipt: r };
    if (r.state === 'expired') return { state: 'not_delivered', id, reason: 'expired' };
    deadline = Date.now() + (opts.doneTimeoutMs ?? 30_000);
  }
}
