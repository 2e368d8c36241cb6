/** The one "does anything exist at this path" check (no symlink followed). */
import { lstat } from 'node:fs/promises';

/**
 * True when something (file, directory, dangling symlink, …) exists at `p`; false when
 * `lstat` fails for any reason (missing, not a directory on the way, no permission).
 * Never rejects.
 */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
