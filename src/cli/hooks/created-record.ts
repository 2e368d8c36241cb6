/**
 * The record of agent settings files that `laneboard hooks install` created because they
 * did not exist (`<stateDir>/hooks-created.json`, {@link STATE_FILE}.hooksCreated: absolute
 * file path → the first directory install made for it, or null). `hooks uninstall` removes
 * such a file, and the directories made for it when they are empty, once laneboard's hooks
 * are out and nothing else is left in it; a file the user had is never removed. The record
 * is shared by every config file of the state dir (paths are absolute). Read-modify-write,
 * replaced by a rename; a missing or unreadable record reads as empty.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_FILE } from '../../state/state-files.js';

/** Settings file path → the first directory install created for it (null: none). */
export type CreatedFiles = Readonly<Record<string, string | null>>;

const recordPath = (stateDir: string): string => join(stateDir, STATE_FILE.hooksCreated);

/** The record in `stateDir` ({} when missing or not a JSON object of strings or null). */
export async function readCreated(stateDir: string): Promise<CreatedFiles> {
  try {
    const doc = JSON.parse(await readFile(recordPath(stateDir), 'utf8')) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return {};
    const entries = Object.entries(doc as Record<string, unknown>);
    const kept = entries.filter(
      (e): e is [string, string | null] => e[1] === null || typeof e[1] === 'string',
    );
    return Object.fromEntries(kept);
  } catch {
    return {};
  }
}

/**
 * Record `file` as created by install (`dir`: the first directory made for it), or forget
 * it (`dir` undefined). Creates the state dir when missing. Rejects on a write error.
 */
export async function recordCreated(
  stateDir: string,
  file: string,
  dir: string | null | undefined,
): Promise<void> {
  const record: Record<string, string | null> = { ...(await readCreated(stateDir)) };
  if (dir === undefined) {
    if (!(file in record)) return;
    delete record[file];
  } else record[file] = dir;
  await mkdir(stateDir, { recursive: true });
  const tmp = `${recordPath(stateDir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, recordPath(stateDir));
}
