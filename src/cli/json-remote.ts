/**
 * `--json` and `--json --watch` answered by the runtime that runs the lanes (no git probe,
 * no bridge re-read): `GET /v1/snapshot` printed once, or `GET /v1/events` copied line by
 * line until SIGINT/SIGTERM/SIGHUP or stdout closes. Snapshots carry `"origin": "runtime"`.
 */
import { requestText, streamLines } from '../runtime/control/client.js';
import { API } from '../runtime/control/protocol.js';
import { EXIT } from './commands/exit.js';

/** Print the runtime's snapshot(s); resolves with the exit code (1 when the runtime fails to answer or stops). */
export async function runRemoteJson(
  socket: string,
  watch: boolean,
  pretty: boolean,
): Promise<number> {
  if (!watch) {
    const r = await requestText(socket, 'GET', '/v1/snapshot');
    if (r.status !== 200) throw new Error(`the runtime answered HTTP ${r.status}`);
    // The endpoint writes the api field first (routes.ts `send`): cut it out of the text
    // instead of parsing and re-serializing the whole snapshot (~1.6 KB per lane).
    const head = `{"api":${JSON.stringify(API)},`;
    let text: string;
    if (!pretty && r.text.startsWith(head)) text = `{${r.text.slice(head.length)}\n`;
    else {
      const snap = JSON.parse(r.text) as Record<string, unknown>;
      delete snap.api;
      text = `${JSON.stringify(snap, null, pretty ? 2 : 0)}\n`;
    }
    // A reader that closed early (`| head`) is not an error of laneboard's (EPIPE).
    process.stdout.on('error', () => undefined);
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return EXIT.ok;
  }
  let interrupted = false;
  const stream = await streamLines(socket, '/v1/events', (v) => {
    process.stdout.write(`${JSON.stringify(v)}\n`);
  });
  const stop = (): void => {
    interrupted = true;
    stream.close();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
  process.stdout.on('error', stop);
  await stream.done;
  if (interrupted) return EXIT.ok;
  process.stderr.write('laneboard: the runtime stopped\n');
  return EXIT.runtime;
}
