/**
 * Connecting to the fleet's NATS server: credentials, the server version check, and the
 * two KV buckets. The NATS client libraries (`@nats-io/transport-node`, `@nats-io/jetstream`,
 * `@nats-io/kv`, v3) are imported here with `await import()` only, so nothing outside fleet
 * mode ever loads them.
 *
 * Server requirements (checked at connect, refused with a clear error) are in
 * ./server-check.ts: JetStream enabled and nats-server ≥ 2.9.0.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { CMDS_BUCKET, CMDS_TTL_MS, FLEET_BUCKET } from './keys.js';
import { authOptions, redactUrl } from './credentials.js';
import { cjs } from './cjs.js';
import { errorMessage } from '../../state/error-text.js';
import { checkServer, type ServerFeatures } from './server-check.js';

export { checkServer, versionAtLeast, type ServerFeatures } from './server-check.js';

/** Longest wait (ms) for a drain on close before the connection is closed outright. */
const CLOSE_DRAIN_MS = 1_000;

/** Options of {@link connectFleet}. */
export interface FleetConnectOptions {
  /** Server URL, e.g. `nats://127.0.0.1:4222` (user:password in the URL is accepted). */
  readonly url: string;
  /** A credentials file (see src/runtime/fleet/credentials.ts for the accepted formats). */
  readonly creds?: string;
  /** Connection name shown by the server (`laneboard/<host>`). */
  readonly name: string;
  /** Give up the first connect after this long (ms); reconnects afterwards never give up. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Pause between reconnect attempts (ms). Default 250, so lanes flow within ~1 s of the server returning. */
  readonly reconnectWaitMs?: number;
}

/** An open fleet connection: the NATS connection and both buckets. */
export interface FleetConnection {
  readonly nc: NatsConnection;
  readonly fleet: KV;
  readonly cmds: KV;
  readonly features: ServerFeatures;
  /** The URL without credentials (safe to print). */
  readonly displayUrl: string;
  /** True while connected (false between a disconnect and the next reconnect). */
  readonly connected: () => boolean;
  /**
   * Resolves when connected (at once if connected now). Requests issued while the client
   * reconnects can be lost and only time out, so senders wait for this first.
   */
  readonly ready: () => Promise<void>;
  /**
   * Drain and close the connection: resolves within about a second even when the server
   * is away (then it closes without draining); never rejects.
   */
  readonly close: () => Promise<void>;
}

/** Create (or, without the permission to create, open) one bucket. */
async function openBucket(
  kvm: { create(n: string, o?: object): Promise<KV>; open(n: string): Promise<KV> },
  name: string,
  opts: object,
): Promise<KV> {
  try {
    return await kvm.create(name, opts);
  } catch (err) {
    // Host identities may lack the right to create streams (docs/fleet.md): the operator
    // creates the buckets once, hosts open them.
    try {
      return await kvm.open(name);
    } catch {
      throw err;
    }
  }
}

/**
 * Connect, check the server, and open both buckets (creating them when allowed).
 * Rejects with a clear Error (credentials redacted) when the server is unreachable within
 * `connectTimeoutMs`, lacks JetStream, is too old, or refuses the credentials.
 */
export async function connectFleet(opts: FleetConnectOptions): Promise<FleetConnection> {
  const [{ connect }, { jetstream }, { Kvm }] = await Promise.all([
    import('@nats-io/transport-node').then(cjs),
    import('@nats-io/jetstream').then(cjs),
    import('@nats-io/kv').then(cjs),
  ]);
  const auth = await authOptions(opts.url, opts.creds);
  const displayUrl = redactUrl(opts.url);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: auth.servers,
      name: opts.name,
      ...auth.options,
      timeout: opts.connectTimeoutMs ?? 5_000,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: opts.reconnectWaitMs ?? 250,
      reconnectJitter: 50,
      pingInterval: 5_000,
      maxPingOut: 2,
    });
  } catch (err) {
    const why = errorMessage(err);
    throw new Error(`cannot connect to NATS at ${displayUrl}: ${why}`);
  }
  try {
    const info = nc.info;
    if (!info) throw new Error('the server sent no INFO');
    const features = checkServer(info);
    const js = jetstream(nc, { timeout: 3_000 });
    const kvm = new Kvm(js);
    // Both at once: each is a few JetStream API round trips (every verb pays them).
    const [fleet, cmds] = await Promise.all([
      openBucket(kvm, FLEET_BUCKET, { history: 1, storage: 'file' }),
      openBucket(kvm, CMDS_BUCKET, { history: 1, storage: 'file', ttl: CMDS_TTL_MS }),
    ]);
    let up = true;
    const waiters: (() => void)[] = [];
    void (async () => {
      for await (const st of nc.status()) {
        if (st.type === 'disconnect') up = false;
        if (st.type === 'reconnect') {
          up = true;
          for (const w of waiters.splice(0)) w();
        }
      }
    })().catch(() => undefined);
    void nc.closed().then(() => {
      for (const w of waiters.splice(0)) w();
    });
    const connected = (): boolean => up && !nc.isClosed();
    const ready = (): Promise<void> =>
      connected() || nc.isClosed() ? Promise.resolve() : new Promise((r) => waiters.push(r));
    // Bounded: draining needs the server, and a process stopping while the server is
    // away (serve's SIGTERM) must not wait for it to come back.
    const close = async (): Promise<void> => {
      if (nc.isClosed()) return;
      if (connected()) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((r) => (timer = setTimeout(r, CLOSE_DRAIN_MS)));
        await Promise.race([nc.drain().catch(() => undefined), late]);
        clearTimeout(timer);
      }
      if (!nc.isClosed()) await nc.close().catch(() => undefined);
    };
    return { nc, fleet, cmds, features, displayUrl, connected, ready, close };
  } catch (err) {
    await nc.close().catch(() => undefined);
    const why = errorMessage(err);
    throw new Error(`NATS at ${displayUrl}: ${why}`);
  }
}
