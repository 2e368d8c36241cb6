/**
 * Answering a control endpoint request (./routes.ts, ./admin-routes.ts): JSON responses
 * that carry the api version, errors with a stable code (./protocol.ts), and the JSON body
 * of a request, bounded in size.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API, ERROR_STATUS, MAX_BODY_BYTES, type ErrorCode } from './protocol.js';

/** Answer `status` with `{ api, ...body }` as JSON (and the `x-laneboard-api` header). */
export function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify({ api: API, ...body });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-laneboard-api': API,
  });
  res.end(text);
}

/** Answer the error `code` (its HTTP status from ./protocol.ts) with `message`. */
export function fail(res: ServerResponse, code: ErrorCode, message: string): void {
  send(res, ERROR_STATUS[code], { error: { code, message } });
}

/**
 * The request's JSON body (`{}` when empty).
 * @throws when it is over {@link MAX_BODY_BYTES} or not JSON (answer `bad_request`).
 */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

/**
 * The request's JSON body as an object, or null after answering `bad_request` (not JSON,
 * too large, or not an object).
 */
export async function readObject(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | null> {
  let body: unknown;
  try {
    body = await readBody(req);
  } catch (e) {
    fail(res, 'bad_request', `body must be JSON: ${(e as Error).message}`);
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(res, 'bad_request', 'body must be a JSON object');
    return null;
  }
  return body as Record<string, unknown>;
}
