/**
 * Connecting to the fleet's NATS server: credentials, the server version check, and the
 * two KV buckets. The NATS client libraries (`@nats-io/transport-node`, `@nats-io/jetstream`,
 * `@nats-io/kv`, v3) are imported here with `await import()` only, so nothing outside fleet
 * mode ever loads them.
 *
 * Server requirements (checked at connect, refused with a clear error): JetStream enabled
 * and nats-server ≥ 2.9.0 (KV with direct get and the filtered consumer-create API, which the
 * permission sample in docs/fleet.md relies on). Per-message TTL (2.11) is reported in
 * {@link ServerFeatures} but not required: host liveness is judged by the reader's own
 * clock from heartbeat revisions (src/runtime/fleet/liveness.ts).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { CMDS_BUCKET, CMDS_TTL_MS, FLEET_BUCKET } from './keys.js';
import { authOptions, redactUrl } from './credentials.js';
import { cjs } from './cjs.js';
import { errorMessage } from '../../state/error-text.js';

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

/** What the connected server can do. */
export interface ServerFeatures {
  /** The server's version string, e.g. "2.9.10". */
  readonly version: string;
  /** Per-message TTL on KV entries (nats-server ≥ 2.11). */
  readonly perMessageTtl: boolean;
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
  /** Drain and close the connection (resolves, never rejects). */
  readonly close: () => Promise<void>;
}

/** Parse "2.9.10" / "v2.11.0-beta" into [major, minor, patch]; null when unparsable. */
export function parseVersion(v: string): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** True when version `v` is at least `min` (both "x.y.z"); false when `v` is unparsable. */
export function versionAtLeast(v: string, min: string): boolean {
  const a = parseVersion(v);
  const b = parseVersion(min);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Lowest nats-server version the fleet runs on. */
export const MIN_SERVER_VERSION = '2.9.0';

/**
 * Check a server's INFO: returns its features, or throws an Error naming what is missing
 * (no JetStream, or a version below {@link MIN_SERVER_VERSION}).
 */
export function checkServer(info: { version: string; jetstream?: boolean }): ServerFeatures {
  if (!versionAtLeast(info.version, MIN_SERVER_VERSION)) {
    throw new Error(
      `nats-server ${info.version} is too old for the fleet: it needs ${MIN_SERVER_VERSION} or newer (JetStream KV)`,
    );
  }
  if (info.jetstream !== true) {
    throw new Error(
      `nats-server ${info.version} has JetStream disabled: start it with -js (and a store dir, -sd DIR)`,
    );
  }
  return { version: info.version, perMessageTtl: versionAtLeast(info.version, '2.11.0') };
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
    const fleet = await openBucket(kvm, FLEET_BUCKET, { history: 1, storage: 'file' });
    const cmds = await openBucket(kvm, CMDS_BUCKET, {
      history: 1,
      storage: 'file',
      ttl: CMDS_TTL_MS,
    });
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
    const close = async (): Promise<void> => {
      try {
        await nc.drain();
      } catch {
        await nc.close().catch(() => undefined);
      }
    };
    return { nc, fleet, cmds, features, displayUrl, connected, ready, close };
  } catch (err) {
    await nc.close().catch(() => undefined);
    const why = errorMessage(err);
    throw new Error(`NATS at ${displayUrl}: ${why}`);
  }
}
