/**
 * Two JetStream API reads for the one-shot fleet read (./fleet-scan.ts), on the core NATS
 * client alone (https://docs.nats.io/reference/reference-protocols/nats_api_reference):
 *
 * - which lane keys the bucket's stream holds: `$JS.API.STREAM.INFO.KV_<bucket>` with
 *   `subjects_filter` (nats-server ≥ 2.9 answers `state.subjects`, a map of subject →
 *   message count, at most `limit` of them — 100 000 by default);
 * - the newest entry of a few keys one by one: `$JS.API.STREAM.MSG.GET.KV_<bucket>` with
 *   `last_by_subj`; the reply carries the message's sequence (the KV revision), server
 *   time, base64 headers (a `KV-Operation: DEL | PURGE` header marks a deleted key) and
 *   base64 data.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { FleetEntry } from './reader.js';

/**
 * The lane keys (`lane.<host>.<lane>`, relative to the bucket) the stream of `bucket`
 * holds, or null when the server's answer does not list them all (an error, paging, no
 * subject list). Rejects with the client's error (timeout after `timeoutMs`).
 */
export async function laneSubjects(
  nc: NatsConnection,
  bucket: string,
  timeoutMs: number,
): Promise<Set<string> | null> {
  const prefix = `$KV.${bucket}.`;
  const r = await nc.request(
    `$JS.API.STREAM.INFO.KV_${bucket}`,
    JSON.stringify({ subjects_filter: `${prefix}lane.>` }),
    { timeout: timeoutMs },
  );
  const info = r.json<{
    error?: unknown;
    total?: unknown;
    state?: { num_subjects?: unknown; subjects?: Record<string, unknown> };
  }>();
  if (info.error !== undefined || info.state === undefined) return null;
  const keys = new Set<string>();
  for (const subject of Object.keys(info.state.subjects ?? {})) {
    if (!subject.startsWith(prefix)) return null;
    keys.add(subject.slice(prefix.length));
  }
  // The server pages long lists (`total` counts them all); an empty list is left out.
  if (typeof info.total === 'number' && info.total !== keys.size) return null;
  return keys;
}

/** A KV operation from a message's NATS/1.0 header block: DEL, PURGE or PUT. */
function operationOf(headers: string): FleetEntry['operation'] {
  const m = /\r\nKV-Operation:\s*(\w+)/i.exec(headers);
  const op = m?.[1]?.toUpperCase();
  return op === 'DEL' || op === 'PURGE' ? op : 'PUT';
}

/**
 * The newest entry of each of `keys` (relative to the bucket) of `bucket`, one request
 * each, all at once. A key with no message left is skipped (a full scan would not see it
 * either). Resolves null when the server refuses a read for another reason or its reply
 * is not readable; rejects with the client's error (timeout after `timeoutMs`).
 */
export async function readKeys(
  nc: NatsConnection,
  bucket: string,
  keys: readonly string[],
  timeoutMs: number,
): Promise<FleetEntry[] | null> {
  const prefix = `$KV.${bucket}.`;
  const replies = await Promise.all(
    keys.map((k) =>
      nc.request(
        `$JS.API.STREAM.MSG.GET.KV_${bucket}`,
        JSON.stringify({ last_by_subj: `${prefix}${k}` }),
        { timeout: timeoutMs },
      ),
    ),
  );
  const entries: FleetEntry[] = [];
  for (const r of replies) {
    const body = r.json<{
      error?: { code?: number };
      message?: {
        subject?: unknown;
        seq?: unknown;
        time?: unknown;
        hdrs?: unknown;
        data?: unknown;
      };
    }>();
    if (body.error?.code === 404) continue;
    const m = body.message;
    if (body.error !== undefined || m === undefined) return null;
    const created = typeof m.time === 'string' ? new Date(m.time) : new Date(NaN);
    if (
      typeof m.subject !== 'string' ||
      !m.subject.startsWith(prefix) ||
      !Number.isSafeInteger(m.seq) ||
      Number.isNaN(created.getTime())
    )
      return null;
    const b64 = (v: unknown): string =>
      typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '';
    entries.push({
      key: m.subject.slice(prefix.length),
      revision: m.seq as number,
      operation: operationOf(b64(m.hdrs)),
      created,
      text: b64(m.data),
    });
  }
  return entries;
}
