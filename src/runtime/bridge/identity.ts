/**
 * The identity of a file or directory, built in one place: `dev:ino:birthtimeMs`. Two
 * stats with the same identity are the same object; a directory deleted and recreated
 * under the same path gets a new one (new inode or birth time). The content stamp of a
 * bridge file (./read-json.ts `stampOf`) extends it with size and times.
 */
import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';

/** `dev:ino:birthtimeMs` of a stat result. */
export function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.birthtimeMs}`;
}

/**
 * The identity of the directory at `path` (`follow`: through a symlink, `stat`; else
 * `lstat`, so a symlink is not a directory), or null when nothing or no directory is
 * there or it cannot be stat'ed. Never rejects.
 */
export async function dirIdentity(path: string, follow: boolean): Promise<string | null> {
  try {
    const st = follow ? await stat(path) : await lstat(path);
    return st.isDirectory() ? identityOf(st) : null;
  } catch {
    return null;
  }
}
