/**
 * Where the first read of an events file starts (a board's cold start, `--json`): only
 * its end is read, so the cost of a start does not grow with the file (issue #12 item 1).
 * Two bounds apply: a window of bytes (memory and I/O) and a number of lines inside it
 * (the CPU of parsing, normalizing and folding each event).
 */
import { readFd } from './fd-io.js';

/**
 * Default cold start window of an events tail (bytes): 256 KiB, about 2 000 Claude Code
 * hook payloads. The lines actually folded are further capped by {@link COLD_LINES}.
 */
export const COLD_WINDOW_BYTES = 256 * 1024;

/**
 * Default number of lines a cold start folds (the newest ones of the window): 500, ten
 * times the `recent` ring a lane keeps (50), far more than a lane's current state (last
 * status, open blockers, the newest events) depends on, and few enough that a start on a
 * 1 M-line file costs about what it costs on an empty one (bench "big events file").
 */
export const COLD_LINES = 500;

/** Where to start reading, and what is at that offset. */
export interface ColdStart {
  /** Byte offset of the first byte to read. */
  readonly offset: number;
  /** The offset may be inside a line: skip up to the first newline. */
  readonly midLine: boolean;
  /** Newline-terminated lines between `offset` and the file's end (at most `maxLines`; a cut first one counts). */
  readonly lines: number;
}

/**
 * Find the start of the last `maxLines` complete lines among the bytes `[from, size)` of
 * the open file `fd` (one read of at most `size - from` bytes; the caller bounds it with
 * its window). A trailing line without its newline is not counted (it is read anyway).
 * @returns `{offset: from, midLine: from > 0}` and the line count when the range holds at
 *   most `maxLines` lines; otherwise the offset just after the newline that ends the line
 *   before them (`midLine: false`). Throws the read error.
 */
export async function coldStartIn(
  fd: number,
  from: number,
  size: number,
  maxLines: number,
): Promise<ColdStart> {
  const len = Math.max(0, size - from);
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = await readFd(fd, buf, got, len - got, from + got);
    if (n <= 0) break;
    got += n;
  }
  const bytes = buf.subarray(0, got);
  let end = bytes.lastIndexOf(0x0a);
  let lines = 0;
  while (end !== -1) {
    if (lines === maxLines) return { offset: from + end + 1, midLine: false, lines };
    lines += 1;
    end = end === 0 ? -1 : bytes.lastIndexOf(0x0a, end - 1);
  }
  // A window that starts right after a newline starts on a line of its own.
  return { offset: from, midLine: from > 0, lines };
}
