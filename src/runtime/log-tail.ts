/**
 * Reading a lane's worker log (`<bridge>/worker.log`, written by the supervisor, see
 * ./supervisor/spawn-worker.ts): the last bytes for the detail pane and `laneboard logs`.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKER_LOG } from './supervisor/index.js';

/** Bytes of worker.log shown by default (the board's detail pane). */
export const LOG_TAIL_BYTES = 8 * 1024;

/** Path of a lane's worker log given its bridge directory. */
export function workerLogPath(bridge: string): string {
  return join(bridge, WORKER_LOG);
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
  try {
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const start = Math.max(0, size - Math.max(0, bytes));
      const buf = Buffer.alloc(size - start);
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      return { text: buf.subarray(0, bytesRead).toString('utf8'), size: start + bytesRead };
    } finally {
      await fh.close();
    }
  } catch {
    return { text: '', size: 0 };
  }
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
  try {
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const restarted = from > size;
      const start = restarted ? 0 : Math.max(0, from);
      const buf = Buffer.alloc(Math.min(max, size - start));
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      return {
        text: buf.subarray(0, bytesRead).toString('utf8'),
        size,
        next: start + bytesRead,
        restarted,
      };
    } finally {
      await fh.close();
    }
  } catch {
    return { text: '', size: 0, next: 0, restarted: from > 0 };
  }
}
