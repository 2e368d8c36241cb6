/**
 * `laneboard logs <lane> [-f]`: the lane's worker log (`<bridge>/worker.log`) through the
 * control endpoint — the last 64 KiB, then with `-f` every new byte (polled every 250 ms;
 * a rotation starts again at the new file's beginning) until SIGINT/SIGTERM (exit 0) or
 * the runtime stops (exit 1). Worker output is sanitized line by line before it reaches
 * the terminal (src/state/sanitize.ts).
 */
import { sanitizeMultiline } from '../../state/sanitize.js';
import { EXIT } from '../commands/exit.js';
import type { Connection } from './link.js';
import { selectLanes } from './link.js';
import { lanesOf } from './lane-ops.js';
import { errorMessage } from '../../state/error-text.js';

const TAIL_BYTES = 64 * 1024;
const POLL_MS = 250;

interface LogChunk {
  readonly text: string;
  readonly next: number;
  readonly restarted: boolean;
}

/** Print the log of `laneId`; follow it with `follow`. Resolves with the exit code. */
export async function runLogs(conn: Connection, laneId: string, follow: boolean): Promise<number> {
  selectLanes(
    (await lanesOf(conn)).map((l) => l.id),
    [laneId],
    false,
  );
  const path = `/v1/lanes/${encodeURIComponent(laneId)}/log`;
  const first = (await conn.call('GET', `${path}?tail=${TAIL_BYTES}`)) as unknown as LogChunk;
  process.stdout.write(sanitizeMultiline(first.text));
  if (!follow) return EXIT.ok;
  let next = first.next;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, stop);
  process.stdout.on('error', stop);
  while (!stopped) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (stopped) break;
    let chunk: LogChunk;
    try {
      chunk = (await conn.call('GET', `${path}?from=${next}`)) as unknown as LogChunk;
    } catch (err) {
      process.stderr.write(`laneboard: the runtime stopped (${errorMessage(err)})\n`);
      return EXIT.runtime;
    }
    if (chunk.restarted) process.stderr.write('laneboard: (log rotated)\n');
    if (chunk.text !== '') process.stdout.write(sanitizeMultiline(chunk.text));
    next = chunk.next;
  }
  return EXIT.ok;
}
