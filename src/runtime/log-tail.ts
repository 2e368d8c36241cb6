/**
 * Reading a lane's worker log (`<bridge>/worker.log`, written by the supervisor, see
 * ./supervisor/spawn-worker.ts): the last bytes for the detail pane and `laneboard logs`.
 */
import { join } from 'node:path';
import { readRange } from './read-range.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** Bytes of worker.log shown by default (the board's detail pane). */
export const LOG_TAIL_BYTES = 8 * 1024;

/** Path of a lane's worker log given its bridge directory. */
export function workerLogPath(bridge: string): string {
  return join(bridge, BRIDGE_FILE.workerLog);
}

/**
 * The last `bytes` (default {@link LOG_TAIL_BYTES}) of the log at `file` as UTF-8 (a
 * character cut at the start shows as U+FFFD), and the file size in bytes. A missing or
 * unreadable file is `{ text: '', size: 0 }`; never throws.
 */
export async function readLogTail(
  file: string,
  bytes: number = LOG_TAIL_BYTES,
): Promise<{ readonly text: string; readonly size: number }> {
  const r = await readRange(file, { tail: bytes });
  if (r === null) return { text: '', size: 0 };
  return { text: r.bytes.toString('utf8'), size: r.start + r.bytes.length };
}

/**
 * Bytes of the log at `file` from byte `from` on (at most `max`, default 1 MiB) and the
 * file size. When the file is shorter than `from` (rotated or truncated) reading restarts
 * at 0 and `restarted` is true. A missing file is `{ text: '', size: 0 }`; never throws.
 */
export async function readLogFrom(
  file: string,
  from: number,
  max = 1024 * 1024,
): Promise<{
  readonly text: string;
  readonly size: number;
  readonly next: number;
  readonly restarted: boolean;
}> {
  const r = await readRange(file, { from, max });
  if (r === null) return { text: '', size: 0, next: 0, restarted: from > 0 };
  const text = r.bytes.toString('utf8');
  return { text, size: r.size, next: r.start + r.bytes.length, restarted: r.restarted };
}
