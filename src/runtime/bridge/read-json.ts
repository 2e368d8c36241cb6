/**
 * Bounded, symlink-safe reading of one whole-file JSON bridge document (`state.json`,
 * `result.json`, `.claw/worker-state.json`). Never throws: every failure is a
 * {@link JsonFileRead} of kind `missing` or `error` with a message fit for the board
 * (bridge contract "Readers must survive a writer that is not atomic").
 */
import { createHash } from 'node:crypto';
import { constants as fsc, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { closeFd, fstatFd, openFd, readFd } from './fd-io.js';
import { identityOf } from './identity.js';
import { basename } from 'node:path';
import { describeAccessError, errnoCode, formatBytes, isMissing, snippet } from './text.js';

/**
 * Open flags for bridge files: read-only, never through a final symlink, never block on a
 * FIFO, never become the controlling terminal (a hostile tty node).
 */
export const SAFE_OPEN_FLAGS = fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | fsc.O_NOCTTY;

/** Largest single `read()` issued by the bridge readers (bytes). */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Identity + version of a file as seen by `lstat`/`fstat`: `dev:ino:birth:size:mtime:ctime`.
 * Two equal stamps mean "nothing changed" for the stat-based safety-net rescan.
 */
export type FileStamp = string;

/** Why a document read failed (stable codes for tests and callers). */
export type JsonReadErrorCode =
  'oversize' | 'symlink' | 'not_file' | 'unreadable' | 'utf8' | 'empty' | 'json';

/** Outcome of {@link readJsonFileBounded}. */
export type JsonFileRead =
  | {
      readonly kind: 'ok';
      /** The parsed JSON value (untrusted; any JSON type). */
      readonly value: unknown;
      /** Size read (bytes). */
      readonly bytes: number;
      readonly stamp: FileStamp;
      /** sha1 (base64) of the bytes read: equal digests mean identical content. */
      readonly digest: string;
    }
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'error';
      readonly code: JsonReadErrorCode;
      /** One line for the operator, e.g. `state.json is 104.9 MB, over the 4 MB read limit`. */
      readonly message: string;
      /** Stamp of what is at the path now (null when it could not be stat'ed). */
      readonly stamp: FileStamp | null;
    };

/** Builds the {@link FileStamp} of a stat result. */
export function stampOf(st: Stats): FileStamp {
  return `${identityOf(st)}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function fail(
  code: JsonReadErrorCode,
  message: string,
  stamp: FileStamp | null,
): Extract<JsonFileRead, { kind: 'error' }> {
  return { kind: 'error', code, message, stamp };
}

/** Message for a non-regular file at a bridge path, or null when `st` is a regular file. */
export function notRegularFileMessage(name: string, st: Stats): string | null {
  if (st.isSymbolicLink()) return `${name} is a symlink; not followed`;
  if (st.isDirectory()) return `${name} is a directory, not a file`;
  if (!st.isFile()) return `${name} is not a regular file`;
  return null;
}

function oversize(name: string, size: number, maxBytes: number, atLeast: boolean): string {
  const shown = `${atLeast ? 'over ' : ''}${formatBytes(size)}`;
  return `${name} is ${shown}, over the ${formatBytes(maxBytes)} read limit`;
}

/**
 * Reads the whole file behind `fd` when it is at most `maxBytes` long: one read sized from
 * `size` (plus one byte, to notice growth), more reads only if the file grew meanwhile.
 * Never holds more than `maxBytes + 1` bytes. Returns fewer bytes than `size` when the file
 * shrank, and `maxBytes + 1` bytes when it grew past the limit.
 */
async function readWhole(fd: number, size: number, maxBytes: number): Promise<Buffer> {
  const cap = maxBytes + 1;
  let buf = Buffer.allocUnsafe(Math.min(cap, size + 1));
  let total = 0;
  for (;;) {
    const want = Math.min(READ_CHUNK_BYTES, buf.length - total);
    const bytesRead = await readFd(fd, buf, total, want, total);
    total += bytesRead;
    // A short read of a regular file is its end: one read for a file that did not grow.
    if (bytesRead < want || total >= cap) break;
    if (total === buf.length) {
      // Grew since fstat: keep reading (bounded by the cap).
      const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
      buf.copy(bigger, 0, 0, total);
      buf = bigger;
    }
  }
  return total === buf.length ? buf : buf.subarray(0, total);
}

/** Outcome of {@link readFileBounded}: the raw bytes, or why there are none. */
export type FileBytesRead =
  | {
      readonly kind: 'ok';
      /** The whole file (at most `maxBytes`); owned by the caller. */
      readonly bytes: Buffer;
      readonly stamp: FileStamp;
    }
  | Exclude<JsonFileRead, { kind: 'ok' }>;

/** Classifies a failed open of a bridge file (lstat only on this rare path). */
async function openFailure(path: string, name: string, error: unknown): Promise<FileBytesRead> {
  const code = errnoCode(error);
  if (isMissing(code)) return { kind: 'missing' };
  if (code === 'ELOOP') return fail('symlink', `${name} is a symlink; not followed`, null);
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (lerror) {
    if (isMissing(errnoCode(lerror))) return { kind: 'missing' };
    return fail('unreadable', describeAccessError(name, error), null);
  }
  const lstamp = stampOf(st);
  const notFile = notRegularFileMessage(name, st);
  if (notFile !== null) {
    return fail(st.isSymbolicLink() ? 'symlink' : 'not_file', notFile, lstamp);
  }
  return fail('unreadable', describeAccessError(name, error), lstamp);
}

/**
 * Reads one whole bridge file without following a final symlink and without ever holding
 * more than `maxBytes + 1` bytes of it. Hot path (every watch event of a document): open
 * (`O_NOFOLLOW | O_NONBLOCK | O_NOCTTY`), fstat, one read sized from the fstat, close; an
 * lstat only when the open fails, to say why.
 *
 * @param path absolute path of the file.
 * @param maxBytes read limit (bytes); larger files are not read and give
 *   `{kind:'error', code:'oversize'}`.
 * @param name how the file is named in messages (default: the base name).
 * @returns `ok` with the bytes and the file's stamp; `missing` (ENOENT / ENOTDIR); `error`
 *   for a symlink, directory or other non-file, unreadable file (EACCES…) or oversize
 *   file. Never throws.
 */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  name: string = basename(path),
): Promise<FileBytesRead> {
  let fd: number;
  try {
    fd = await openFd(path, SAFE_OPEN_FLAGS);
  } catch (error) {
    return openFailure(path, name, error);
  }
  try {
    const fst = await fstatFd(fd);
    const stamp = stampOf(fst);
    const bad = notRegularFileMessage(name, fst);
    if (bad !== null) return fail('not_file', bad, stamp);
    if (fst.size > maxBytes) {
      return fail('oversize', oversize(name, fst.size, maxBytes, false), stamp);
    }
    const bytes = await readWhole(fd, fst.size, maxBytes);
    if (bytes.length > maxBytes) {
      return fail('oversize', oversize(name, bytes.length - 1, maxBytes, true), stamp);
    }
    return { kind: 'ok', bytes, stamp };
  } catch (error) {
    return fail('unreadable', describeAccessError(name, error), null);
  } finally {
    await closeFd(fd);
  }
}

/**
 * Reads and JSON-parses one document ({@link readFileBounded} + {@link parseDocument}).
 *
 * @param path absolute path of the file.
 * @param maxBytes read limit (bytes, e.g. `settings.maxBridgeFileBytes`); larger files are
 *   not read and give `{kind:'error', code:'oversize'}`.
 * @param name how the file is named in messages (default: the base name), e.g. `state.json`.
 * @returns `ok` with the parsed value; `missing` when nothing is at the path (ENOENT /
 *   ENOTDIR); `error` for a symlink, directory or other non-file, unreadable file
 *   (EACCES…), oversize file, invalid UTF-8, empty file or invalid/half-written JSON.
 *   Never throws.
 */
export async function readJsonFileBounded(
  path: string,
  maxBytes: number,
  name: string = basename(path),
): Promise<JsonFileRead> {
  const read = await readFileBounded(path, maxBytes, name);
  if (read.kind !== 'ok') return read;
  return parseDocument(read.bytes, name, read.stamp);
}

/**
 * Decodes (strict UTF-8, BOM dropped) and JSON-parses a whole document already in memory.
 * Same result shape and messages as {@link readJsonFileBounded}; never throws.
 */
export function parseDocument(bytes: Uint8Array, name: string, stamp: FileStamp): JsonFileRead {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('utf8', `${name} is not valid UTF-8`, stamp);
  }
  if (text.trim() === '') return fail('empty', `${name} is empty (being written?)`, stamp);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const why = error instanceof Error ? snippet(error.message, 60) : 'parse error';
    return fail('json', `${name} is not valid JSON (half-written?): ${why}`, stamp);
  }
  const digest = createHash('sha1').update(bytes).digest('base64');
  return { kind: 'ok', value, bytes: bytes.length, stamp, digest };
}
