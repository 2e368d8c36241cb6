/**
 * A one-shot core NATS connection for short-lived fleet commands (the lean `--json
 * --nats`, the lean verbs, `logs <host>/<lane> --nats`): only `@nats-io/transport-node`
 * (no JetStream or KV client), no reconnects, the server checked at connect
 * (./server-check.ts). Long-lived processes (hosts, boards) use ./connect.ts instead.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { cjs } from './cjs.js';
import { authOptions, redactUrl } from './credentials.js';
import { checkServer } from './server-check.js';
import { errorMessage } from '../../state/error-text.js';

/** A connected one-shot client and what goes with it. */
export interface CoreConnection {
  readonly nc: NatsConnection;
  /** A fresh inbox subject of this client. */
  readonly inbox: () => string;
  /** The URL without credentials (safe to print). */
  readonly displayUrl: string;
}

/**
 * Connect to `url` (with the credentials file `creds`) as client `name`, give up after
 * `timeoutMs` (default 5000). Rejects with one clear line (credentials redacted) when the
 * server is unreachable, refuses the identity, lacks JetStream or is too old.
 */
export async function connectCore(
  url: string,
  creds: string | undefined,
  name: string,
  timeoutMs = 5_000,
): Promise<CoreConnection> {
  const displayUrl = redactUrl(url);
  const { connect, createInbox } = cjs(await import('@nats-io/transport-node'));
  const auth = await authOptions(url, creds);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: auth.servers,
      name,
      ...auth.options,
      timeout: timeoutMs,
      reconnect: false,
    });
  } catch (err) {
    throw new Error(`cannot connect to NATS at ${displayUrl}: ${errorMessage(err)}`);
  }
  try {
    if (!nc.info) throw new Error('the server sent no INFO');
    checkServer(nc.info);
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw new Error(`NATS at ${displayUrl}: ${errorMessage(err)}`);
  }
  return { nc, inbox: createInbox, displayUrl };
}
