/**
 * The one bounded reader of part of a file: the tail of a log or JSONL file, or the bytes
 * from an offset on. Used for worker logs (detail pane, `laneboard logs`, exit reports),
 * agent transcripts and rollouts, the tails of hook events, approvals and inbox files,
 * and the state dir's hook-errors.jsonl. Whole JSON documents are read by
 * ./bridge/read-json.ts (`readFileBounded`: whole file or an error saying why) and the
 * live events.jsonl by ./bridge/events-tail.ts; both share this module's open flags.
 *
 * Every read opens with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY` (a symlink is refused, a FIFO
 * never blocks), reads only regular files, holds at most the requested number of bytes,
 * and never throws: a missing, unreadable or non-regular file is `null`.
 */
import { SAFE_OPEN_FLAGS } from './bridge/read-json.js';
import { closeFd, fstatFd, openFd, readFd } from './bridge/fd-io.js';

/** The identity and size of the file at the time of a read. */
export interface RangeStat {
  /** File size (bytes) at `fstat`. */
  readonly size: number;
  readonly dev: number;
  readonly ino: number;
}

/**
 * What to read:
 * - `{ tail, notBefore? }`: the last `tail` bytes, starting no earlier than byte
 *   `notBefore` (default 0; a `notBefore` past the end means the file was rotated or
 *   truncated, and the tail of the new content is read);
 * - `{ from, max }`: at most `max` bytes from byte `from` (a number, or chosen from the
 *   file's stat); a `from` past the end means the file was rotated or truncated: reading
 *   restarts at 0 and `restarted` is true.
 */
export type RangeMode =
  | { readonly tail: number; readonly notBefore?: number }
  | { readonly from: number | ((st: RangeStat) => number); readonly max: number };

/** The bytes read and where they sit in the file. */
export interface RangeRead extends RangeStat {
  /** The bytes read (owned by the caller). */
  readonly bytes: Buffer;
  /** File offset of `bytes[0]`. */
  readonly start: number;
  /** Tail mode: the tail began after `notBefore`, so the first line of `bytes` is cut. */
  readonly cut: boolean;
  /** From mode: the file was shorter than `from` (rotated), so reading restarted at 0. */
  readonly restarted: boolean;
}

interface Span {
  readonly start: number;
  readonly len: number;
  readonly cut: boolean;
  readonly restarted: boolean;
}

function span(mode: RangeMode, st: RangeStat): Span {
  if ('tail' in mode) {
    const wanted = mode.notBefore ?? 0;
    const base = wanted <= st.size ? Math.max(0, wanted) : 0;
    const start = Math.max(base, st.size - Math.max(0, mode.tail));
    return { start, len: st.size - start, cut: start > base, restarted: false };
  }
  const from = typeof mode.from === 'function' ? mode.from(st) : mode.from;
  const restarted = from > st.size;
  const start = restarted ? 0 : Math.max(0, from);
  const len = Math.max(0, Math.min(mode.max, st.size - start));
  return { start, len, cut: false, restarted };
}

/**
 * Read part of the regular file at `file` as `mode` says (module doc). Resolves null when
 * it is missing, not a regular file, a symlink, or unreadable. Never throws.
 */
export async function readRange(file: string, mode: RangeMode): Promise<RangeRead | null> {
  let fd: number;
  try {
    fd = await openFd(file, SAFE_OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const st = await fstatFd(fd);
    if (!st.isFile()) return null;
    const { start, len, cut, restarted } = span(mode, st);
    const buf = Buffer.allocUnsafe(len);
    const n = len === 0 ? 0 : await readFd(fd, buf, 0, len, start);
    const bytes = n === len ? buf : buf.subarray(0, n);
    return { bytes, start, size: st.size, dev: st.dev, ino: st.ino, cut, restarted };
  } catch {
    return null;
  } finally {
    await closeFd(fd);
  }
}

/**
 * The last `bytes` of a regular file (not before byte `notBefore`, see {@link RangeMode})
 * as UTF-8 lines, the cut first line dropped; [] when it cannot be read. Never throws.
 */
export async function tailLines(file: string, bytes: number, notBefore = 0): Promise<string[]> {
  const r = await readRange(file, { tail: bytes, notBefore });
  if (r === null) return [];
  const lines = r.bytes.toString('utf8').split('\n');
  return r.cut ? lines.slice(1) : lines;
}
