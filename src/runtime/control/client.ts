/**
 * Client side of the control endpoint (./protocol.ts) with node:http over the Unix socket:
 * one JSON request, the liveness probe used by the lock, and NDJSON streams. Used by the
 * verbs, the attached board and `--json` when a runtime runs.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createConnection } from 'node:net';
import { API, type Health } from './protocol.js';

/** A JSON response: HTTP status and the parsed body (null when not JSON). */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The failure a request rejects with: `code` is the socket error (ENOENT, ECONNREFUSED, ETIMEDOUT). */
export class ControlConnectError extends Error {
  override readonly name = 'ControlConnectError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function open(
  socket: string,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        socketPath: socket,
        // One connection per request, made here: no Agent (whose first request compiles
        // the IPv6 pattern to name a TLS server — milliseconds the verbs do not need).
        createConnection: () => createConnection({ path: socket }),
        method,
        path,
        headers: {
          host: 'laneboard',
          accept: 'application/json',
          ...extraHeaders,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
        },
      },
      resolve,
    );
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
            timeoutMs,
          )
        : null;
    req.once('response', () => timer && clearTimeout(timer));
    req.once('error', (err: Error & { code?: string }) => {
      if (timer) clearTimeout(timer);
      reject(new ControlConnectError(`${socket}: ${err.message}`, err.code ?? 'EIO'));
    });
    req.end(payload ?? undefined);
  });
}

/**
 * One request with an optional JSON body; resolves with the status and the body as text
 * (UTF-8). Rejects like {@link requestJson}. `headers` are sent besides the usual ones
 * (e.g. `x-laneboard-config`, ./protocol.ts `CONFIG_HEADER`).
 */
export async function requestText(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
  headers?: Readonly<Record<string, string>>,
): Promise<{ readonly status: number; readonly text: string }> {
  const res = await open(socket, method, path, body, timeoutMs, headers);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * One request with an optional JSON body; resolves with the status and parsed JSON body.
 * Rejects with {@link ControlConnectError} when nothing answers on `socket` within
 * `timeoutMs` (default 10 000 ms; 0 = no limit). `headers` as for {@link requestText}.
 */
export async function requestJson(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
  headers?: Readonly<Record<string, string>>,
): Promise<JsonResponse> {
  const { status, text } = await requestText(socket, method, path, body, timeoutMs, headers);
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status, body: parsed };
}

/**
 * The runtime answering on `socket`, or null when none does (no socket file, connection
 * refused: a stale socket, or no answer within `timeoutMs`, default 2 000 ms). Never throws.
 */
export async function probeRuntime(socket: string, timeoutMs = 2_000): Promise<Health | null> {
  try {
    const r = await requestJson(socket, 'GET', '/v1/health', undefined, timeoutMs);
    const b = r.body as Partial<Health> | null;
    if (r.status === 200 && b !== null && b.api === API && typeof b.pid === 'number') {
      return b as Health;
    }
    return null;
  } catch {
    return null;
  }
}

/** What answers on a socket path: a runtime, nobody (`dead`), or something else (`unknown`). */
export type SocketState =
  | { readonly state: 'live'; readonly health: Health }
  | { readonly state: 'dead' }
  | { readonly state: 'unknown'; readonly reason: string };

/**
 * Probe `socket` for the lock (./endpoint.ts): `live` when a runtime answers
 * `GET /v1/health`; `dead` only when the connection is refused or the file is gone (no
 * process listens: a socket left by a killed runtime); `unknown` for a timeout (within
 * `timeoutMs`, default 5 000 ms) or an answer that is not a runtime's, so a runtime that
 * is merely slow is never taken for dead. Never throws.
 */
export async function probeSocket(socket: string, timeoutMs = 5_000): Promise<SocketState> {
  try {
    const r = await requestJson(socket, 'GET', '/v1/health', undefined, timeoutMs);
    const b = r.body as Partial<Health> | null;
    if (r.status === 200 && b !== null && b.api === API && typeof b.pid === 'number') {
      return { state: 'live', health: b as Health };
    }
    return { state: 'unknown', reason: `it answers HTTP ${r.status}, not as a laneboard runtime` };
  } catch (err) {
    const code = err instanceof ControlConnectError ? err.code : 'EIO';
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return { state: 'dead' };
    return { state: 'unknown', reason: `no answer (${code})` };
  }
}

/** An open NDJSON stream: `close()` ends it; `done` resolves when it ended (either side). */
export interface LineStream {
  close(): void;
  readonly done: Promise<void>;
}

/**
 * GET `path` as an NDJSON stream: `onLine` gets each parsed line (unparsable lines are
 * skipped). Rejects with {@link ControlConnectError} when the request cannot be made or
 * the status is not 200.
 */
export async function streamLines(
  socket: string,
  path: string,
  onLine: (value: unknown) => void,
): Promise<LineStream> {
  const res = await open(socket, 'GET', path, undefined, 10_000);
  if (res.statusCode !== 200) {
    res.resume();
    throw new ControlConnectError(`${path}: HTTP ${res.statusCode ?? '?'}`, 'EPROTO');
  }
  res.setEncoding('utf8');
  let partial = '';
  const done = new Promise<void>((resolve) => {
    res.on('data', (d: string) => {
      const parts = (partial + d).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          continue;
        }
        onLine(v);
      }
    });
    res.once('close', resolve);
    res.once('end', resolve);
    res.once('error', () => resolve());
  });
  return { close: () => res.destroy(), done };
}
