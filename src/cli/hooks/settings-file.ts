/**
 * Reading and writing an agent's settings file for `laneboard hooks`: the text and its
 * parsed document (a missing or blank file is `{}`), a write by rename, and the removal of
 * a file that install created (./created-record.ts).
 */
import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { errorMessage } from '../../state/error-text.js';

/** A settings file as read: its text ('' when missing) and its parsed document. */
export interface Settings {
  readonly exists: boolean;
  readonly text: string;
  readonly doc: unknown;
}

/**
 * `file`'s text ('' when missing or blank) and document ({} then).
 * @throws when it cannot be read, or is not valid JSON (the message says so).
 */
export async function readSettings(file: string): Promise<Settings> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null || text.trim() === '') return { exists: text !== null, text: '', doc: {} };
  try {
    return { exists: true, text, doc: JSON.parse(text) as unknown };
  } catch (err) {
    throw new Error(`not valid JSON (${errorMessage(err)})`);
  }
}

/** Write `text` to `file` (by a rename); resolves with the first directory it had to create. */
export async function writeSettings(file: string, text: string): Promise<string | null> {
  const made = await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.laneboard-${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
  return made ?? null;
}

/**
 * Remove `file`, which install created, then the directories it made for it (`made` and
 * those below it on the way to the file) while they are empty.
 */
export async function removeCreated(file: string, made: string | null): Promise<void> {
  await rm(file, { force: true });
  if (made === null) return;
  let dir = dirname(file);
  while (dir === made || dir.startsWith(`${made}${sep}`)) {
    const gone = await rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!gone || dir === made) return;
    dir = dirname(dir);
  }
}
