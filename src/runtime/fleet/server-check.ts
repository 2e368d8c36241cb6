/**
 * The fleet's server requirements, checked at connect from the server's INFO (pure, no
 * NATS client import, so the lean `--json --nats` bundle can use it too): JetStream
 * enabled and nats-server ≥ {@link MIN_SERVER_VERSION} (KV with direct get and the
 * filtered consumer-create API, which the permission sample in docs/fleet.md relies on).
 * Per-message TTL (2.11) is reported in {@link ServerFeatures} but not required: host
 * liveness is judged by the reader's own clock (src/runtime/fleet/liveness.ts).
 */

/** What the connected server can do. */
export interface ServerFeatures {
  /** The server's version string, e.g. "2.9.10". */
  readonly version: string;
  /** Per-message TTL on KV entries (nats-server ≥ 2.11). */
  readonly perMessageTtl: boolean;
}

/** Parse "2.9.10" / "v2.11.0-beta" into [major, minor, patch]; null when unparsable. */
function parseVersion(v: string): [number, number, number] | null {
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
const MIN_SERVER_VERSION = '2.9.0';

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
