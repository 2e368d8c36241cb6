/**
 * A scripted Gemini API server on loopback (port 0) for driving the real Gemini CLI:
 * `POST /v1beta/models/<model>:streamGenerateContent` answers with the parts
 * `script(body)` returns as one server-sent event (`data: {"candidates":[{"content":
 * {"role":"model","parts":[…]},"finishReason":"STOP"}],"usageMetadata":…}`);
 * `:generateContent` (the client's helper queries) with a `{}` text; `:countTokens` with a
 * count; anything else 404 with the API's error body. Every request (path + parsed body)
 * is recorded.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One part of a model turn: text, or a function call. */
export type Part =
  | { readonly text: string }
  | { readonly functionCall: { readonly name: string; readonly args: Record<string, unknown> } };

/** A running server. */
export interface GeminiServer {
  /** `http://127.0.0.1:<port>` (for GOOGLE_GEMINI_BASE_URL). */
  readonly url: string;
  readonly requests: { readonly path: string; readonly body: Record<string, unknown> | null }[];
  close(): Promise<void>;
}

const USAGE = { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 };

function candidate(parts: readonly Part[]): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: USAGE,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Start a server whose streamed turns are `script(body)` (the request body of
 * `streamGenerateContent`, parsed; null when it was not JSON).
 */
export async function startGeminiServer(
  script: (body: Record<string, unknown> | null) => readonly Part[],
): Promise<GeminiServer> {
  const requests: GeminiServer['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> | null = null;
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        body = v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      requests.push({ path, body });
      if (req.method !== 'POST') return json(res, 404, { error: { code: 404, message: path } });
      if (path.endsWith(':streamGenerateContent')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify(candidate(script(body)))}\r\n\r\n`);
      } else if (path.endsWith(':generateContent')) json(res, 200, candidate([{ text: '{}' }]));
      else if (path.endsWith(':countTokens')) json(res, 200, { totalTokens: 5 });
      else json(res, 404, { error: { code: 404, message: path, status: 'NOT_FOUND' } });
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
