/**
 * Size cap and rotation of a worker's `worker.log` (bridge contract "What the board
 * writes"). The worker holds the log through an O_APPEND descriptor, so the file cannot be
 * renamed away (the worker would keep writing into the renamed file). Instead the tail is
 * copied to `worker.log.1` (older copies shift to `.2` … `.<files>`) and `worker.log` is
 * truncated to 0 bytes in place; the worker's next append lands at the new end (offset 0).
 * Output is streamed file-to-file and never held in board memory beyond one chunk.
 */
import { lstat, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertInBridge } from '../bridge/anchor.js';
import { CREATE_FLAGS, openBridgeFile, ROTATE_FLAGS } from '../bridge/safe-write.js';

/** Rotation limits. */
export interface RotateOptions {
  /** Rotate when the file is larger than this (bytes); the copy keeps at most this many bytes. */
  readonly maxBytes: number;
  /** Rotated copies kept (`.1` … `.<files>`); 0 ⇒ just truncate. */
  readonly files: number;
  /**
   * Called with a one-line description when a symlink (or other non-file) was found at the
   * log's name and replaced by an empty file instead of being read or truncated through.
   */
  readonly onReplaced?: (message: string) => void;
}

/**
 * Rotate `path` when its size exceeds `opts.maxBytes`. Nothing is opened through a symlink
 * (`O_NOFOLLOW`, ../bridge/safe-write.ts): a symlink at `path` is replaced by an empty
 * file (reported through `opts.onReplaced`), one at `path.1.tmp` is removed first.
 * Bytes the worker appends between the copy and the truncate are lost (a few ms of output);
 * that is the price of never renaming a file another process holds open.
 * @returns true when the file was rotated or replaced, false when it was small enough or missing.
 * @throws only on I/O errors other than a missing file (callers report them, never crash).
 */
export async function rotateLog(path: string, opts: RotateOptions): Promise<boolean> {
  // The supervisor asks every 500 ms per running worker: an lstat answers "a small regular
  // file with one link" without opening it (open + fstat + close each time were the largest
  // part of an idle board's CPU in a profile; docs/performance.md "Scale"). The lstat only
  // reads metadata, so the bridge-dir check (a realpath walk: one lstat per path component,
  // twice) waits until something may be written: anything else (too big, a symlink, a hard
  // link, not a file, an lstat error) is refused first when the bridge dir leads elsewhere,
  // then takes the O_NOFOLLOW path below.
  try {
    const st = await lstat(path);
    const small = st.size <= Math.max(0, Math.floor(opts.maxBytes));
    if (st.isFile() && st.nlink === 1 && small) return false;
  } catch (e) {
    if (isNotFound(e)) return false;
    assertInBridge(dirname(path));
    throw e;
  }
  assertInBridge(dirname(path));
  let opened;
  try {
    opened = await openBridgeFile(path, ROTATE_FLAGS);
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
  const { fh, replaced } = opened;
  try {
    if (replaced !== null) {
      opts.onReplaced?.(replaced);
      return true;
    }
    const size = (await fh.stat()).size;
    const maxBytes = Math.max(0, Math.floor(opts.maxBytes));
    if (size <= maxBytes) return false;
    const files = Math.max(0, Math.floor(opts.files));
    if (files > 0) {
      // Copy first, then shift: `.1` is missing only between two renames.
      const tmp = `${path}.1.tmp`;
      await rm(tmp, { force: true });
      const out = await openBridgeFile(tmp, CREATE_FLAGS);
      // Copy only up to the size seen above: the tail of at most maxBytes bytes.
      const start = Math.max(0, size - maxBytes);
      await pipeline(
        fh.createReadStream({ start, end: Math.max(start, size - 1), autoClose: false }),
        out.fh.createWriteStream(),
      );
      await rm(`${path}.${files}`, { force: true });
      for (let i = files - 1; i >= 1; i--) {
        await rename(`${path}.${i}`, `${path}.${i + 1}`).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      }
      await rename(tmp, `${path}.1`);
    }
    await fh.truncate(0);
    return true;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}
