/**
 * Rotation of an events file the board's own tools append to (`hook-events.jsonl`, written
 * by `laneboard hook`, one process per hook event, each opening and closing the file): once
 * the file is larger than {@link EVENTS_ROTATE_BYTES} it is renamed to `<file>.1` (the
 * previous `.1` is dropped) and the next append starts a new file. Rename is safe because
 * no writer keeps the file open. The last state is never lost: a board that starts after a
 * rotation reads the tail of `<file>.1` before the new file (./events-tail.ts, cold start
 * window), and a running board keeps what it folded.
 *
 * `events.jsonl` belongs to the worker (it may hold it open), so the board never rotates
 * it; a worker may rotate it the same way (rename to `events.jsonl.1`).
 */
import { constants as fsc } from 'node:fs';
import { lstat, open, rename, stat, unlink } from 'node:fs/promises';

/** Size above which an events file is rotated (bytes): 32 MiB. */
export const EVENTS_ROTATE_BYTES = 32 * 1024 * 1024;

/** A rotation lock older than this is abandoned (ms). */
const STALE_LOCK_MS = 10_000;

/**
 * Rotate `path` to `<path>.1` when it is a regular file larger than `maxBytes`. Concurrent
 * callers (several hook processes) are serialized by an O_EXCL lock file `<path>.rotating`;
 * a caller that finds the lock taken skips (another one is rotating).
 * @returns true when this call rotated the file.
 * @throws on I/O errors other than a missing file or a taken lock (callers ignore them:
 *   rotation is housekeeping, never a reason to lose the append that preceded it).
 */
export async function rotateIfLarge(
  path: string,
  maxBytes: number = EVENTS_ROTATE_BYTES,
): Promise<boolean> {
  const big = async (): Promise<boolean> => {
    try {
      const st = await lstat(path);
      return st.isFile() && st.size > maxBytes;
    } catch {
      return false;
    }
  };
  if (!(await big())) return false;
  const lock = `${path}.rotating`;
  let fh;
  try {
    fh = await open(lock, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
    const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
    return false;
  }
  try {
    await fh.close();
    if (!(await big())) return false;
    await rename(path, `${path}.1`);
    return true;
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
