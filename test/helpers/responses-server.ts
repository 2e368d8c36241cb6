/**
 * A scripted OpenAI Responses API server on loopback (port 0), for driving the real Codex
 * CLI in tests (a custom `model_providers.<id>` with `wire_api = "responses"` and
 * `base_url = <url>/v1`). `POST /v1/responses` answers with the next scripted
 * {@link Turn} (or the fallback): a streamed response in the Responses SSE format
 * (`response.created`, one `response.output_item.done` per output item,
 * `response.completed` with usage), or an HTTP error with the API's error body
 * (`{"error":{type,code,message}}`), e.g. 429 `rate_limit_exceeded`. A turn may be held
 * open (`hold`) until {@link ResponsesServer.release} — for interrupting a running turn.
 * Every other path answers 404 with an error body. Every request (path + parsed body) is
 * recorded in `requests`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export type Turn =
  | { readonly kind: 'text'; readonly text: string; readonly hold?: boolean }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: Record<string, unknown>;
      readonly hold?: boolean;
    }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly type: string;
      readonly message: string;
    };

/** A recorded request. */
export interface SeenRequest {
  readonly path: string;
  readonly body: Record<string, unknown> | null;
}

/** A running scripted server. */
export interface ResponsesServer {
  /** `http://127.0.0.1:<port>/v1` (the provider's `base_url`). */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Queue answers for the next `/v1/responses` requests, in order. */
  push(...turns: Turn[]): void;
  /** The answer given when the queue is empty. */
  setFallback(turn: Turn): void;
  /** Finish every held response (an interrupted client has closed it already). */
  release(): void;
  /** How many responses are held open now. */
  held(): number;
  close(): Promise<void>;
}

/** An assistant message ending the turn. */
export const say = (text: string): Turn => ({ kind: 'text', text });

/** A turn calling Codex's `exec_command` tool with `cmd` (extra arguments merged in). */
export const shell = (cmd: string, extra: Record<string, unknown> = {}): Turn => ({
  kind: 'call',
  name: 'exec_command',
  args: { cmd, ...extra },
});

/** HTTP 429 with the API's `rate_limit_exceeded` body. */
export const rateLimited = (): Turn => ({
  kind: 'error',
  status: 429,
  type: 'rate_limit_exceeded',
  message: 'Rate limit reached for requests',
});

let ids = 0;

function itemOf(turn: Turn & { kind: 'text' | 'call' }): Record<string, unknown> {
  const n = ++ids;
  return turn.kind === 'text'
    ? {
        type: 'message',
        role: 'assistant',
        id: `msg_${n}`,
        status: 'completed',
        content: [{ type: 'output_text', text: turn.text, annotations: [] }],
      }
    : {
        type: 'function_call',
        id: `fc_${n}`,
        call_id: `call_${n}`,
        name: turn.name,
        arguments: JSON.stringify(turn.args),
        status: 'completed',
      };
}

function event(res: ServerResponse, type: string, data: Record<string, unknown>): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => resolve(null));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' ? (v as Record<string, unknown>) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

/** Start a server on 127.0.0.1 (port 0) answering `fallback` when nothing is queued. */
export async function startResponsesServer(fallback: Turn): Promise<ResponsesServer> {
  const queue: Turn[] = [];
  const requests: SeenRequest[] = [];
  const held = new Set<() => void>();
  let otherwise = fallback;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '/';
      requests.push({ path, body });
      if (req.method !== 'POST' || !path.startsWith('/v1/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'not_found', message: `no route ${path}` } }));
        return;
      }
      const turn = queue.shift() ?? otherwise;
      if (turn.kind === 'error') {
        res.writeHead(turn.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { type: turn.type, code: turn.type, message: turn.message } }),
        );
        return;
      }
      const id = `resp_${++ids}`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      event(res, 'response.created', { response: { id } });
      const finish = (): void => {
        held.delete(finish);
        if (res.writableEnded || res.destroyed) return;
        event(res, 'response.output_item.done', { output_index: 0, item: itemOf(turn) });
        event(res, 'response.completed', {
          response: {
            id,
            usage: {
              input_tokens: 10,
              input_tokens_details: null,
              output_tokens: 5,
              output_tokens_details: null,
              total_tokens: 15,
            },
          },
        });
        res.end();
      };
      if (turn.hold === true) held.add(finish);
      else finish();
    });
  });
  // A kept-alive socket the server drops after Node's 5 s default can be reused by the
  // client at that moment: ECONNRESET, which the agent CLI shows as an API error (seen
  // under load between a denied tool and the next turn). Keep idle sockets for the test.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...turns) => void queue.push(...turns),
    setFallback: (turn) => {
      otherwise = turn;
    },
    release: () => {
      for (const f of [...held]) f();
    },
    held: () => held.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const f of [...held]) f();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
