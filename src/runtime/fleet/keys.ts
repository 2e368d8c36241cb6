/**
 * Key layout of the fleet's two NATS JetStream KV buckets, and the token encoding that
 * makes any host name or lane id a valid key token.
 *
 * KV keys follow NATS subject rules: `.`-separated tokens of `[-/_=.a-zA-Z0-9]`, no empty
 * token. Lane ids (`[A-Za-z0-9._-]{1,64}`, lanes.yaml) may contain `.`, and host names are
 * free text, so each is encoded as one token: `A-Z a-z 0-9 _ -` stay as they are, every
 * other UTF-8 byte becomes `=XX` (upper-case hex). The encoding is reversible and
 * deterministic, so a key names exactly one host/lane pair.
 *
 * Buckets and keys:
 * - `laneboard-fleet`: `lane.<host>.<lane>` (a lane's snapshot object + host + seq) and
 *   `host.<host>` (the host's liveness record);
 * - `laneboard-cmds`: `cmd.<host>.<id>` (a command to one of the host's lanes) and
 *   `rcpt.<host>.<id>` (its receipt, created by the host before it executes the command).
 */

/** Bucket holding lane values and host liveness records. */
export const FLEET_BUCKET = 'laneboard-fleet';
/** Bucket holding commands and receipts (entries expire after {@link CMDS_TTL_MS}). */
export const CMDS_BUCKET = 'laneboard-cmds';
/** Age (ms) after which the server removes a command or receipt: 1 hour. */
export const CMDS_TTL_MS = 60 * 60 * 1000;

const PLAIN = /[A-Za-z0-9_-]/;
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Encode one free-text name (host name, lane id, command id) as a single KV key token.
 * Throws on an empty string (no valid token encodes it).
 */
export function encodeToken(name: string): string {
  if (name.length === 0) throw new Error('an empty name cannot be a fleet key token');
  if (PLAIN_TOKEN.test(name)) return name; // nothing to encode (the common case)
  let out = '';
  for (const ch of name) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) {
      out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Decode a token made by {@link encodeToken}; returns null when it is not one. */
export function decodeToken(token: string): string | null {
  if (PLAIN_TOKEN.test(token)) return token; // nothing encoded (the common case)
  if (!/^(?:[A-Za-z0-9_-]|=[0-9A-F]{2})+$/.test(token)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < token.length;) {
    if (token[i] === '=') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(token.charCodeAt(i));
      i += 1;
    }
  }
  const text = Buffer.from(bytes).toString('utf8');
  return encodeToken(text) === token ? text : null;
}

/** `lane.<host>.<lane>` in the fleet bucket. */
export function laneKey(host: string, laneId: string): string {
  return `lane.${encodeToken(host)}.${encodeToken(laneId)}`;
}

/** `host.<host>` in the fleet bucket. */
export function hostKey(host: string): string {
  return `host.${encodeToken(host)}`;
}

/**
 * `lanes.<host>` in the fleet bucket: every lane of the host in one value, for one-shot
 * readers (src/runtime/fleet/host-lanes.ts). Not a key {@link parseFleetKey} knows: boards
 * and watches read the lane keys.
 */
export function hostLanesKey(host: string): string {
  return `lanes.${encodeToken(host)}`;
}

/** Key filter for every lane key of one host (`lane.<host>.*`). */
export function hostLaneKeys(host: string): string {
  return `lane.${encodeToken(host)}.*`;
}

/** `cmd.<host>.<id>` in the commands bucket. */
export function commandKey(host: string, id: string): string {
  return `cmd.${encodeToken(host)}.${encodeToken(id)}`;
}

/** Watch filter for the commands addressed to one host. */
export function commandFilter(host: string): string {
  return `cmd.${encodeToken(host)}.*`;
}

/** `rcpt.<host>.<id>` in the commands bucket. */
export function receiptKey(host: string, id: string): string {
  return `rcpt.${encodeToken(host)}.${encodeToken(id)}`;
}

/** A parsed fleet-bucket key. */
export type FleetKey =
  | { readonly kind: 'lane'; readonly host: string; readonly laneId: string }
  | { readonly kind: 'host'; readonly host: string };

/** Parse a fleet-bucket key; null for anything that is not one of ours. */
export function parseFleetKey(key: string): FleetKey | null {
  const parts = key.split('.');
  if (parts[0] === 'lane' && parts.length === 3) {
    const host = decodeToken(parts[1] ?? '');
    const laneId = decodeToken(parts[2] ?? '');
    return host !== null && laneId !== null ? { kind: 'lane', host, laneId } : null;
  }
  if (parts[0] === 'host' && parts.length === 2) {
    const host = decodeToken(parts[1] ?? '');
    return host !== null ? { kind: 'host', host } : null;
  }
  return null;
}

/**
 * Split a verb target `<host>/<lane>` at its last `/` (lane ids never contain one).
 * Returns null when either side is empty.
 */
export function parseTarget(target: string): { host: string; laneId: string } | null {
  const at = target.lastIndexOf('/');
  if (at <= 0 || at === target.length - 1) return null;
  return { host: target.slice(0, at), laneId: target.slice(at + 1) };
}
