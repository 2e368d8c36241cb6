/**
 * A scripted Anthropic-compatible Messages API server on loopback (port 0), for driving
 * the real Claude Code client in tests. `POST /v1/messages` (any query) answers with the
 * next scripted {@link Reply} (or the fallback): a streamed assistant turn in the
 * Messages SSE format (`message_start`, `content_block_*`, `message_delta`,
 * `message_stop`; non-streaming requests get the same message as one JSON body), or an
 * HTTP error with the API's error body (`{"type":"error","error":{type,message}}`), e.g.
 * 429 `rate_limit_error`. Every other path answers 404 with an error body. Every request
 * (path + parsed body) is recorded in `requests`. A streamed turn may be held open after
 * its first text (`hold`) until the client goes away or the server closes — a turn to
 * interrupt.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One content block of a scripted assistant turn. */
export type Block =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly name: string; readonly input: Record<string, unknown> };

/** One scripted answer. */
export type Reply =
  | {
      readonly kind: 'message';
      readonly content: readonly Block[];
      /** Stream `message_start` and the first text block's start, then hold the response open. */
      readonly hold?: boolean;
    }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly type: string;
      readonly message: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** A recorded request. */
export interface SeenRequest {
  readonly path: string;
  readonly body: Record<string, unknown> | null;
}

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` (for ANTHROPIC_BASE_URL). */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Queue replies for the next `/v1/messages` requests, in order. */
  push(...replies: Reply[]): void;
  /** The reply given when the queue is empty. */
  setFallback(reply: Reply): void;
  /**
   * Decide replies from the request body instead (before the queue): `script` returns the
   * reply, or null to fall through to the queue / fallback. `null` removes it.
   */
  setScript(script: ((body: Record<string, unknown> | null) => Reply | null) | null): void;
  /** How many held responses are open now (the client has not gone away). */
  held(): number;
  close(): Promise<void>;
}

/** A text-only assistant turn. */
export const text = (t: string): Reply => ({
  kind: 'message',
  content: [{ type: 'text', text: t }],
});

/** A turn calling one tool. */
export const toolUse = (name: string, input: Record<string, unknown>): Reply => ({
  kind: 'message',
  content: [{ type: 'tool_use', name, input }],
});

/** A streamed text turn that starts (`t` so far) and then hangs: a turn to interrupt. */
export const held = (t: string): Reply => ({
  kind: 'message',
  content: [{ type: 'text', text: t }],
  hold: true,
});

/** HTTP 429 with the API's `rate_limit_error` body. */
export const rateLimited = (): Reply => ({
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'This request would exceed the rate limit for your organization.',
});

/**
 * HTTP 429 as a subscription's exhausted usage window: the `anthropic-ratelimit-unified-*`
 * headers say `rejected` and the reset (epoch seconds `resetsAt`), from which Claude Code
 * (logged in with an OAuth token) prints a `rate_limit_event` in stream-json.
 */
export const limitRejected = (resetsAt: number): Reply => ({
  ...(rateLimited() as Extract<Reply, { kind: 'error' }>),
  headers: {
    'anthropic-ratelimit-unified-status': 'rejected',
    'anthropic-ratelimit-unified-reset': String(resetsAt),
    'anthropic-ratelimit-unified-5h-status': 'rejected',
    'anthropic-ratelimit-unified-5h-reset': String(resetsAt),
    'anthropic-ratelimit-unified-representative-claim': 'five_hour',
  },
});

/** Content blocks of the last message of a Messages request body. */
export function lastBlocks(body: Record<string, unknown> | null): Record<string, unknown>[] {
  const msgs = body?.messages;
  if (!Array.isArray(msgs) || msgs.length === 0) return [];
  const content = (msgs[msgs.length - 1] as { content?: unknown }).content;
  return Array.isArray(content) ? (content as Record<string, unknown>[]) : [];
}

/** The tool_results the model got back, in order. */
export function toolResults(s: ScriptedServer): { text: string; isError: boolean }[] {
  const out: { text: string; isError: boolean }[] = [];
  for (const r of s.requests) {
    const b = lastBlocks(r.body).find((x) => x.type === 'tool_result');
    if (b === undefined) continue;
    const c = b.content;
    out.push({ text: typeof c === 'string' ? c : JSON.stringify(c), isError: b.is_error === true });
  }
  return out;
}

let ids = 0;

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function messageOf(content: readonly Block[], model: string): Record<string, unknown> {
  const blocks = content.map((b) =>
    b.type === 'text'
      ? { type: 'text', text: b.text }
      : { type: 'tool_use', id: `toolu_${++ids}`, name: b.name, input: b.input },
  );
  return {
    id: `msg_${++ids}`,
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

/**
 * Stream `msg` as Messages SSE. With `hold`, stop after the first block's content (no
 * block stop, no message stop) and leave the response open.
 */
function stream(res: ServerResponse, msg: Record<string, unknown>, hold = false): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const blocks = msg.content as Record<string, unknown>[];
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      ...msg,
      content: [],
      stop_reason: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  });
  (hold ? blocks.slice(0, 1) : blocks).forEach((b, index) => {
    if (b.type === 'text') {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: b.text },
      });
    } else {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
      });
    }
    if (!hold) sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  if (hold) return;
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: msg.stop_reason, stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' ? (v as Record<string, unknown>) : null);
      } catch {
        resolve(null);
      }
    });
    req.on('error', () => resolve(null));
  });
}

/** Start a scripted server on 127.0.0.1, port 0. */
export async function startScriptedServer(fallback: Reply = text('done')): Promise<ScriptedServer> {
  const queue: Reply[] = [];
  let fb = fallback;
  let script: ((body: Record<string, unknown> | null) => Reply | null) | null = null;
  const requests: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      requests.push({ path, body });
      if (req.method !== 'POST' || path !== '/v1/messages') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: path } }),
        );
        return;
      }
      const reply = script?.(body) ?? queue.shift() ?? fb;
      if (reply.kind === 'error') {
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          ...(reply.headers ?? {}),
        });
        res.end(
          JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message } }),
        );
        return;
      }
      const model = typeof body?.model === 'string' ? body.model : 'claude-test';
      const msg = messageOf(reply.content, model);
      if (reply.hold === true && body?.stream === true) {
        open.add(res);
        res.on('close', () => open.delete(res));
      }
      if (body?.stream === true) stream(res, msg, reply.hold === true);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(msg));
      }
    });
  });
  // A kept-alive socket the server drops after Node's 5 s default can be reused by the
  // client at that moment: ECONNRESET, which the agent CLI shows as an API error (seen
  // under load between a denied tool and the next turn). Keep idle sockets for the test.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...r) => queue.push(...r),
    setFallback: (r) => {
      fb = r;
    },
    setScript: (s) => {
      script = s;
    },
    held: () => open.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
