/**
 * Remote worker logs over NATS (`laneboard logs <host>/<lane> --nats URL`, the fleet
 * board's detail pane): a core NATS request/reply service, not a stream. Each host answers
 * requests on `laneboard.log.<host>.<lane>` (tokens encoded as in ./keys.ts) by reading its
 * own `<bridge>/worker.log` (src/runtime/log-tail.ts), so log bytes cross the network only
 * while someone reads them: nothing is stored on the server, nothing is published while no
 * one looks, and retention is the host's own log rotation.
 *
 * Request (JSON): `{ "tail": <bytes> }` (the last bytes) or `{ "from": <byte offset> }`
 * (what follows; a rotated or truncated log restarts at 0). Reply (JSON): `{ text, size,
 * next, restarted }` as the control endpoint's `GET /v1/lanes/<id>/log`
 * (src/runtime/control/routes.ts), or `{ error }` for an unknown lane or a bad request.
 * Replies carry at most {@link MAX_LOG_CHUNK} bytes of log (well under NATS's default
 * 1 MiB max_payload); the text is untrusted and is sanitized by whoever displays it.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { readLogFrom, readLogTail } from '../log-tail.js';
import { decodeToken, encodeToken } from './keys.js';

/** Most log bytes one reply carries (64 KiB). */
export const MAX_LOG_CHUNK = 64 * 1024;

/** Subject prefix of the log service. */
export const LOG_SUBJECT = 'laneboard.log';

/** `laneboard.log.<host>.<lane>`: where `host` answers for `laneId`'s worker log. */
export function logSubject(host: string, laneId: string): string {
  return `${LOG_SUBJECT}.${encodeToken(host)}.${encodeToken(laneId)}`;
}

/** A log request: the last `tail` bytes, or the bytes from offset `from` on. */
export type LogRequest = { readonly tail: number } | { readonly from: number };

/** A log reply (bytes are byte offsets into the host's worker.log). */
export interface LogChunk {
  readonly text: string;
  readonly size: number;
  /** The offset to ask `from` next. */
  readonly next: number;
  /** The log was shorter than `from` (rotated or truncated): `text` starts at 0. */
  readonly restarted: boolean;
}

/** The host did not know the lane, or refused the request (text from the host). */
export class LogRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogRequestError';
  }
}

/** No runtime of that host answers (offline, or never joined): NATS reported no responders. */
export class NoLogServiceError extends Error {
  constructor(host: string) {
    super(`no runtime of host ${host} answers`);
    this.name = 'NoLogServiceError';
  }
}

function parseRequest(data: Uint8Array): LogRequest | null {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
    const ok = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    if (ok(v.tail)) return { tail: Math.min(v.tail, MAX_LOG_CHUNK) };
    if (ok(v.from)) return { from: v.from };
    return null;
  } catch {
    return null;
  }
}

/** Options of {@link serveLogs}. */
export interface LogServiceOptions {
  readonly nc: NatsConnection;
  readonly host: string;
  /** Path of the lane's worker.log, or undefined when `laneId` is not one of this host's lanes. */
  readonly logFile: (laneId: string) => string | undefined;
}

/**
 * Answer log requests for this host's lanes until the returned subscription is
 * unsubscribed (the client re-subscribes by itself after a reconnect). Malformed requests
 * and unknown lanes get `{ error }`; nothing a requester sends can crash the host.
 */
export function serveLogs(opts: LogServiceOptions): Subscription {
  const answer = async (m: Msg): Promise<void> => {
    const laneId = decodeToken(m.subject.slice(m.subject.lastIndexOf('.') + 1));
    const file = laneId === null ? undefined : opts.logFile(laneId);
    const req = parseRequest(m.data);
    if (file === undefined) return void m.respond(JSON.stringify({ error: 'no such lane' }));
    if (req === null) return void m.respond(JSON.stringify({ error: 'bad log request' }));
    if ('tail' in req) {
      const r = await readLogTail(file, req.tail);
      m.respond(JSON.stringify({ text: r.text, size: r.size, next: r.size, restarted: false }));
    } else {
      m.respond(JSON.stringify(await readLogFrom(file, req.from, MAX_LOG_CHUNK)));
    }
  };
  return opts.nc.subscribe(`${LOG_SUBJECT}.${encodeToken(opts.host)}.*`, {
    callback: (err, m) => {
      if (err === null && m.reply) void answer(m).catch(() => undefined);
    },
  });
}

const noResponders = (err: unknown): boolean => {
  const e = err as { isNoResponders?: () => boolean; name?: string; cause?: { name?: string } };
  return (
    e?.isNoResponders?.() === true ||
    e?.name === 'NoRespondersError' ||
    e?.cause?.name === 'NoRespondersError'
  );
};

/**
 * Ask `host` for a piece of `laneId`'s worker log. Rejects with {@link NoLogServiceError}
 * when no runtime of that host listens, {@link LogRequestError} when the host refused (no
 * such lane), or the client's error (timeout after `timeoutMs`, default 3000; connection).
 */
export async function requestLog(
  nc: NatsConnection,
  host: string,
  laneId: string,
  req: LogRequest,
  timeoutMs = 3_000,
): Promise<LogChunk> {
  let m: Msg;
  try {
    m = await nc.request(logSubject(host, laneId), JSON.stringify(req), { timeout: timeoutMs });
  } catch (err) {
    if (noResponders(err)) throw new NoLogServiceError(host);
    throw err;
  }
  const v = m.json<Partial<LogChunk> & { error?: unknown }>();
  if (typeof v.error === 'string') throw new LogRequestError(v.error);
  return {
    text: typeof v.text === 'string' ? v.text : '',
    size: typeof v.size === 'number' ? v.size : 0,
    next: typeof v.next === 'number' ? v.next : 0,
    restarted: v.restarted === true,
  };
}
