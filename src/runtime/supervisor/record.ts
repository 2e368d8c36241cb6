/**
 * The supervisor record `<stateDir>/supervisor.json`: which worker process each lane has
 * (pid, process group, start time = `/proc/<pid>/stat` field 22), whether the operator
 * stopped it, and how often it restarted — so a board started after one that died (e.g.
 * SIGKILL) adopts or stops the old workers and never starts duplicates (docs/pitfalls.md,
 * "A SIGKILLed board cleans up nothing").
 *
 * Format, version 1:
 * `{ "version": 1, "boardPid": 123, "lanes": { "<laneId>": { "pid": 456 | null,
 *   "pgid": 456 | null, "startTime": 78901 | null, "token": "<uuid>" (optional),
 *   "logStart": 1234 (optional: byte of worker.log where the live run's output starts),
 *   "operatorStopped": false,
 *   "restarts": 0, "command": ["node", "agent.js"] | null,
 *   "state": { "phase", "startedAt", "exitCode", "signal", "nextStartAt", "error",
 *   "adopted" } } } }` (`state` optional).
 * Written atomically: a temp file in the same directory, then rename. A lane with nothing to
 * keep (no command, no process, no operator stop) has no entry ({@link recordEntryText}).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { KEYED_STATE_FILE } from '../../state/state-files.js';
import { keyedName } from '../config-key.js';
import { errorMessage } from '../../state/error-text.js';

const laneEntrySchema = z.object({
  pid: z.number().int().positive().nullable(),
  pgid: z.number().int().positive().nullable(),
  startTime: z.number().int().nonnegative().nullable(),
  /** The lane's worker token (runtime/proc/env-token.ts); optional in older records. */
  token: z.string().max(200).nullable().optional(),
  /**
   * Size of `<bridge>/worker.log` (bytes) when the live run started, so a runtime that
   * adopts the worker reads its output live from there (./live-output.ts). Optional:
   * older records lack it (the adopting runtime then reads from the log's size at adoption).
   */
  logStart: z.number().int().nonnegative().optional(),
  operatorStopped: z.boolean(),
  restarts: z.number().int().nonnegative(),
  command: z.array(z.string()).nullable(),
  /**
   * The supervisor's view of the worker when the record was written (phase, last exit,
   * next start during backoff), so `laneboard --json` shows what the board shows.
   * Optional: records written before it existed lack it.
   */
  state: z
    .object({
      phase: z.string(),
      startedAt: z.number().nullable(),
      exitCode: z.number().nullable(),
      signal: z.string().nullable(),
      nextStartAt: z.number().nullable(),
      error: z.string().nullable(),
      adopted: z.boolean(),
    })
    .optional(),
});

const recordSchema = z.object({
  version: z.literal(1),
  boardPid: z.number().int(),
  lanes: z.record(laneEntrySchema),
});

/** One lane's entry in the record. */
export type RecordLane = z.infer<typeof laneEntrySchema>;
/** The whole record (version 1). */
export type SupervisorRecord = z.infer<typeof recordSchema>;

/** Result of {@link readRecord}. */
export type ReadRecordResult =
  | { readonly status: 'ok'; readonly record: SupervisorRecord }
  | { readonly status: 'missing' }
  | { readonly status: 'corrupt'; readonly error: string };

/**
 * Absolute path of the record of config `configFile` in `stateDir`:
 * `<stateDir>/supervisor.json` for lanes.yaml, `supervisor.<name>.json` for another file
 * name of the same directory (../config-key.ts: each config file has its own runtime).
 */
export function recordPath(stateDir: string, configFile: string): string {
  return join(stateDir, keyedName(KEYED_STATE_FILE.supervisor, configFile));
}

/**
 * Read and validate the record. Never throws: a missing file is `missing`; unreadable,
 * non-JSON or wrongly shaped content is `corrupt` with a one-line reason.
 */
export async function readRecord(path: string): Promise<ReadRecordResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return { status: 'missing' };
    return { status: 'corrupt', error: `cannot read ${path}: ${errorMessage(e)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { status: 'corrupt', error: `${path} is not valid JSON: ${errorMessage(e)}` };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    return { status: 'corrupt', error: `${path} is not a version 1 supervisor record${where}` };
  }
  return { status: 'ok', record: parsed.data };
}

/**
 * One lane's entry as it stands in the record's text (`JSON.stringify(entry, null, 2)`),
 * or '' when it has nothing to keep and is left out: an observe-only lane (no command)
 * with no process and no operator stop — every reader treats a missing entry the same
 * (nothing to adopt, stop or show; ../record-view.ts, ./restore.ts), and a board of many
 * observed lanes then writes a record of its supervised ones only.
 */
export function recordEntryText(entry: RecordLane): string {
  if (entry.command === null && entry.pid === null && !entry.operatorStopped) return '';
  return JSON.stringify(entry, null, 2);
}

/**
 * The record's file text from each lane's entry text ({@link recordEntryText}; '' leaves
 * the lane out), in order: exactly `JSON.stringify({ version: 1, boardPid, lanes }, null,
 * 2)` plus a newline, built without serializing the lanes that did not change (a board of
 * 250 lanes writes its record on every worker change; docs/performance.md, "Fleet,
 * session 7").
 */
export function recordText(
  boardPid: number,
  entries: readonly (readonly [id: string, entryText: string])[],
): string {
  const head = `{\n  "version": 1,\n  "boardPid": ${JSON.stringify(boardPid)},\n  "lanes": `;
  const lanes = entries.filter(([, text]) => text !== '');
  if (lanes.length === 0) return `${head}{}\n}\n`;
  // Entry texts hold no raw newline but their own line breaks (JSON escapes the rest).
  const body = lanes.map(
    ([id, text]) => `    ${JSON.stringify(id)}: ${text.replace(/\n/g, '\n    ')}`,
  );
  return `${head}{\n${body.join(',\n')}\n  }\n}\n`;
}

/**
 * `build(...inputs)`, computed again only when an input is not the same value (`===`) as
 * the last call's: for entries whose inputs are replaced, never changed in place.
 */
export function memoByIdentity<A extends readonly unknown[]>(
  build: (...inputs: A) => string,
): (...inputs: A) => string {
  let last: A | null = null;
  let value = '';
  return (...inputs) => {
    if (last === null || inputs.some((x, i) => x !== last?.[i])) {
      value = build(...inputs);
      last = inputs;
    }
    return value;
  };
}

let tmpCounter = 0;

/**
 * Write the record's text atomically and synchronously (tmp file, rename; no fsync: a
 * killed process loses nothing already written, only a machine crash could). Used for
 * every change of a worker process so the record on disk never lags behind a pid the board has shown: a
 * board SIGKILLed a moment after starting a worker must leave a record the next board
 * can adopt from (a lagging async write once let the next board start a duplicate).
 * @throws on I/O errors (the caller reports them as a board notice).
 */
function writeRecordSync(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Record writer. `changed()` compares `text()` with what it last wrote: the same text is
 * not written again; when `key()` (the lanes and their processes: pid, group, start time,
 * token, log start; operator stop; command) changed too, the text is written at once (synchronously, see {@link writeRecordSync}), so the
 * record never lags behind a pid the runtime has shown; when only the rest changed
 * (phase, restart count, last exit, error), the write waits up to
 * {@link RELAXED_WRITE_MS} and is folded into the next one — a restart's `stopping` and
 * `starting` go to disk with the pid changes that follow them, not each on its own (each
 * write is a rename over the old file, ~1 ms on ext4; docs/performance.md, "Restart verb,
 * session 7"). `flush()` writes what waits and resolves. Write errors go to `onError`
 * (never thrown; the next call writes again).
 */
export interface RecordWriter {
  changed(): void;
  flush(): Promise<void>;
}

/** Longest delay of a write that changes no lane's process (ms). */
export const RELAXED_WRITE_MS = 100;

/**
 * Create a {@link RecordWriter} for `path`; `text` gives the record's file text
 * ({@link recordText}), `key` the part of it that must be written at once (see there).
 */
export function createRecordWriter(
  path: string,
  text: () => string,
  key: () => string,
  onError: (message: string) => void,
): RecordWriter {
  let written: { text: string; key: string } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const write = (next: string, nextKey: string): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    try {
      writeRecordSync(path, next);
      written = { text: next, key: nextKey };
    } catch (e) {
      written = null;
      onError(`cannot write supervisor record ${path}: ${errorMessage(e)}`);
    }
  };
  const now = (): void => {
    const next = text();
    if (next !== written?.text) write(next, key());
  };
  return {
    changed() {
      const next = text();
      if (next === written?.text) return;
      const nextKey = key();
      if (written !== null && nextKey === written.key) {
        timer ??= setTimeout(now, RELAXED_WRITE_MS).unref();
        return;
      }
      write(next, nextKey);
    },
    flush() {
      now();
      return Promise.resolve();
    },
  };
}
