/**
 * Reading and rewriting lanes.yaml for `init`, `add` and `remove`: the text is edited in
 * memory (src/config/edit-lanes.ts), validated with `parseConfig`, then written
 * atomically (a temp file in the same directory, then rename; the file's mode is kept),
 * so a running board never reads a half-written file.
 */
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** An operator-facing refusal: the command prints `message` and exits with `code`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    /** Exit code: 1 refused for the state of a lane (dirty, unmerged…), 2 bad usage / config. */
    readonly code: 1 | 2,
  ) {
    super(message);
  }
}

/** Read lanes.yaml as text. @throws {CommandError} (exit 2) when it is missing or unreadable. */
export async function readLanesText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CommandError(
        `no lanes.yaml at ${file}; run \`laneboard init\` inside the repository first, or pass --config FILE`,
        2,
      );
    }
    throw new CommandError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
}

/**
 * Replace `file`'s contents with `text` atomically (temp file + rename in the same
 * directory); a new file gets mode 0644 (umask applies), an existing one keeps its mode.
 */
export async function writeLanesText(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  let mode: number | null = null;
  try {
    mode = (await stat(file)).mode & 0o7777;
  } catch {
    mode = null;
  }
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    if (mode !== null) await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
