/**
 * Every file the board writes or truncates in a bridge directory (`worker.log` and its
 * rotated copies, `inbox.jsonl`, the hook's `hook-events.jsonl`, any JSONL) goes through
 * here, because a worker owns that directory and may plant traps in it:
 *
 * - **No writing through links.** Files are opened with `O_NOFOLLOW`. A symlink (or a FIFO,
 *   socket or device, or a regular file with more than one hard link) found at the name is
 *   unlinked and replaced by a fresh regular file created with `O_EXCL`; the caller gets a
 *   one-line description of what was replaced, to report on the lane. A directory at the
 *   name is an error (never removed).
 * - **All-or-nothing JSONL appends.** One `write()` per line (`O_APPEND`), looped on short
 *   writes; when the disk fills (ENOSPC / EFBIG) after part of the line was written, the
 *   file is truncated back to its size before the append when nobody else wrote since. A
 *   file that still ends without a newline (a torn line left by anyone) gets one first, so
 *   the next line always starts clean and is valid JSON on its own.
 */
import { constants as fsc } from 'node:fs';
import { lstat, open, readlink, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertInBridge } from './anchor.js';

/** Flags of a bridge file opened for appending (read access for the last-byte check). */
const APPEND_FLAGS =
  fsc.O_RDWR | fsc.O_APPEND | fsc.O_CREAT | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY;

/** Flags of `worker.log` opened as the worker's stdout/stderr (write-only append). */
export const LOG_FLAGS =
  fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY;

/** Flags of an existing bridge file opened to copy and truncate it (rotation; no create). */
export const ROTATE_FLAGS = fsc.O_RDWR | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY;

/** Flags of a new bridge file created by the board (fails when anything is at the name). */
export const CREATE_FLAGS =
  fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY;

/** An open bridge file, and what was found and replaced at its name (null: nothing). */
export interface SafeHandle {
  readonly fh: FileHandle;
  /** E.g. `worker.log was a symlink to /etc/passwd; replaced by a new file`. */
  readonly replaced: string | null;
}

function code(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Why the entry at `path` is not a plain file we may write, or null when it is. */
async function trapAt(path: string): Promise<string | null> {
  const st = await lstat(path);
  const name = baseName(path);
  if (st.isSymbolicLink()) {
    const target = await readlink(path).catch(() => '?');
    return `${name} was a symlink to ${JSON.stringify(target)}`;
  }
  if (st.isDirectory()) return null; // reported by the caller as an error
  if (!st.isFile()) return `${name} was not a regular file (a FIFO, socket or device)`;
  if (st.nlink > 1) return `${name} had ${st.nlink} hard links (one may be outside the bridge)`;
  return null;
}

/**
 * Open `path` (a file in a bridge dir; the directory must exist) without following a
 * symlink, replacing whatever trap is found at the name (see the module doc).
 * @param flags e.g. {@link APPEND_FLAGS}, {@link LOG_FLAGS}, {@link ROTATE_FLAGS}; a
 *   replacement is always created (`O_CREAT | O_EXCL`).
 * @returns the handle (caller closes it) and what was replaced.
 * @throws on I/O errors (ENOENT when the file is missing and `flags` lacks `O_CREAT`), on a directory at the name (`EISDIR`), or when the name keeps
 *   being replaced under us (`EEXIST` on the second try); `BridgeEscapeError` when the
 *   directory leads out of the bridge (./anchor.ts), before anything is opened.
 */
export async function openBridgeFile(path: string, flags: number): Promise<SafeHandle> {
  assertInBridge(dirname(path));
  let fh: FileHandle | null = null;
  try {
    fh = await open(path, flags, 0o644);
  } catch (e) {
    // ELOOP: the last component is a symlink. ENXIO: a FIFO without a reader.
    if (code(e) !== 'ELOOP' && code(e) !== 'ENXIO' && code(e) !== 'EISDIR') throw e;
  }
  if (fh !== null) {
    const st = await fh.stat();
    if (st.isFile() && st.nlink <= 1) return { fh, replaced: null };
    await fh.close();
  }
  const trap = await trapAt(path);
  if (trap === null) {
    const err = new Error(`${path} is a directory; expected a file`) as NodeJS.ErrnoException;
    err.code = 'EISDIR';
    throw err;
  }
  await unlink(path);
  const fresh = await open(path, flags | fsc.O_CREAT | fsc.O_EXCL, 0o644);
  return { fh: fresh, replaced: `${trap}; replaced by a new file, never written through` };
}

/** Outcome of {@link appendLine}. */
export interface AppendResult {
  /** What was replaced at the name before appending, or null. */
  readonly replaced: string | null;
}

/**
 * Append one line (a newline is added when missing) to a bridge JSONL file, all or
 * nothing (module doc).
 * @param path absolute file path; its directory must exist.
 * @param line the text, e.g. `JSON.stringify(value)`; must not contain a newline except
 *   at the end.
 * @throws the write error (ENOSPC, EFBIG, EACCES…) after undoing a partial write.
 */
export async function appendLine(path: string, line: string): Promise<AppendResult> {
  const { fh, replaced } = await openBridgeFile(path, APPEND_FLAGS);
  try {
    const before = (await fh.stat()).size;
    let text = line.endsWith('\n') ? line : `${line}\n`;
    if (before > 0) {
      const last = Buffer.alloc(1);
      const { bytesRead } = await fh.read(last, 0, 1, before - 1);
      if (bytesRead === 1 && last[0] !== 0x0a) text = `\n${text}`;
    }
    const buf = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < buf.length) {
        const { bytesWritten } = await fh.write(buf, written, buf.length - written);
        if (bytesWritten <= 0)
          throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        written += bytesWritten;
      }
    } catch (e) {
      if (written > 0) {
        const after = (await fh.stat()).size;
        // Undo only our own bytes: when someone appended since, leave the file (the next
        // append starts from a clean line).
        if (after === before + written) await fh.truncate(before);
      }
      throw e;
    }
    return { replaced };
  } finally {
    await fh.close();
  }
}
