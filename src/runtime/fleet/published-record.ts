/**
 * Host side: the lane ids this host may have keys for in the fleet bucket, kept across
 * runtime restarts, so that a lane removed from lanes.yaml while the runtime was stopped
 * has its key deleted when the runtime starts again (a host cannot list the bucket's keys
 * under the sample permissions, docs/fleet-server.conf, but it may delete its own).
 *
 * The file is `<stateDir>/fleet-lanes.json` (`fleet-lanes.<name>.json` for a config file
 * not named lanes.yaml, src/runtime/config-key.ts):
 * `{"version":1,"hosts":{"<host>":["lane-id",…]}}` — one list per host name the config
 * was published as (`--host`). The lane publisher (./publisher.ts) saves a lane id here
 * before its first write and removes it once the server acknowledged its delete, so the
 * file always names every lane key this host may have left. Written atomically (temp file
 * + rename), one at a time; saves asked for while one is written become one write of the
 * newest ids. A missing, unreadable or malformed file names nothing.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** The record of one host name in one file. */
export interface PublishedRecord {
  /** The lane ids saved for this host (none when the file is missing or malformed). Never rejects. */
  load(): Promise<string[]>;
  /**
   * Replace this host's lane ids with `ids` (other host names in the file are kept).
   * Resolves once written; never rejects (a failure is told to `onError`).
   */
  save(ids: readonly string[]): Promise<void>;
}

type Doc = { version: 1; hosts: Record<string, string[]> };

/** The file at `path` as a document (a fresh one when it is missing or malformed). */
async function readDoc(path: string): Promise<Doc> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown; hosts?: unknown };
    if (v.version !== 1 || v.hosts === null || typeof v.hosts !== 'object') throw new Error();
    const hosts: Record<string, string[]> = {};
    for (const [h, ids] of Object.entries(v.hosts as Record<string, unknown>)) {
      if (Array.isArray(ids)) hosts[h] = ids.filter((id): id is string => typeof id === 'string');
    }
    return { version: 1, hosts };
  } catch {
    return { version: 1, hosts: {} };
  }
}

/**
 * The record of host `host` in file `path`; `onError` hears a failed write (the host then
 * carries on: it only loses the clean-up of lanes removed before its next start).
 */
export function publishedRecord(
  path: string,
  host: string,
  onError: (err: unknown) => void = () => undefined,
): PublishedRecord {
  let chain: Promise<void> = Promise.resolve();
  /** The ids of the newest save not written yet (null: none waiting). */
  let pending: string[] | null = null;
  let queued: Promise<void> | null = null;
  const write = async (): Promise<void> => {
    queued = null;
    const list = pending;
    pending = null;
    if (list === null) return;
    const doc = await readDoc(path);
    if (list.length > 0) doc.hosts[host] = list;
    else delete doc.hosts[host];
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(doc)}\n`);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      onError(err);
    }
  };
  return {
    load: async () => {
      await chain;
      return [...((await readDoc(path)).hosts[host] ?? [])];
    },
    // Saves made while one is written are coalesced: the next write takes the newest ids.
    save: (ids) => {
      pending = [...ids].sort();
      if (queued === null) queued = chain = chain.then(write);
      return queued;
    },
  };
}
