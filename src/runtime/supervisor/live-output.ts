/**
 * A supervised headless worker's own output, read while it runs. `claude -p
 * --output-format stream-json --verbose` prints one JSON object per line as it goes, and
 * with `--input-format stream-json` (steering over stdin) it runs turn after turn without
 * exiting, so reading its output only at exit (./exit-report.ts) would never see a turn's
 * outcome. At each check (run by ./log-watch.ts when `worker.log` changed, else on a slow
 * fallback) the lines the run appended to `<bridge>/worker.log` since the last check (from
 * byte `logStart` on; at most 256 KiB per check, whole lines only) are read, and:
 * - a `rate_limit_event` whose status is `rejected` (recorded from Claude Code 2.1.330 for
 *   a subscription account, with `resetsAt` in epoch seconds) is recorded at once as a
 *   hook-shaped `StopFailure` (`rate_limit`, `reset_at`, `source: "worker output"`), so the
 *   lane shows the limit and counts down to the reset while the worker still runs;
 * - each `result` object is recorded like at exit (a failure as `StopFailure`, a good turn
 *   that no hook reported as `Stop`; `exit_code: null`), so a good turn clears the limit.
 * Recorded lines go to the lane's hook-events.jsonl (read by the bridge watcher like any
 * hook event), each once even when the output is read again (a runtime that adopted the
 * worker reads from its run's start: ./lane-worker.ts `adopt`). A log that shrank
 * (rotated) or was replaced (another inode) is read again from its start. Never throws.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  headlessOutcome,
  rejectedLimit,
  rejectedLimitEvent,
} from '../../state/dialects/claude-result.js';
import { parseRecordLine, prop } from '../../state/dialects/util.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';
import { appendLine } from '../bridge/safe-write.js';
import { readRange, tailLines } from '../read-range.js';
import { recordOutcome } from './exit-report.js';

/** Most bytes read per check. */
const CHUNK_BYTES = 256 * 1024;

/**
 * True when the lane's hook events already hold this refused limit as read from worker
 * output (same session and reset time): a runtime that adopted the worker reads its run's
 * output again from the start and must not record it twice (a second line would put the
 * limit back after a later good turn cleared it). Results are deduplicated by their uuid
 * (./exit-report.ts). Never throws.
 */
async function limitRecorded(bridge: string, event: Record<string, unknown>): Promise<boolean> {
  const lines = await tailLines(join(bridge, BRIDGE_FILE.hookEvents), CHUNK_BYTES);
  const marks = [
    '"source":"worker output"',
    `"reset_at":${JSON.stringify(event.reset_at)}`,
    `"session_id":${JSON.stringify(event.session_id)}`,
  ];
  return lines.some((l) => marks.every((m) => l.includes(m)));
}

/** Options of {@link readWorkerOutput}. */
export interface LiveOutputOptions {
  /** Clock (epoch ms) for the recorded lines' times. */
  readonly now: () => number;
}

/** The live reader of one run's output (see the module doc). */
export interface OutputReader {
  /**
   * Reads what the run appended since the last check (at most 256 KiB) and records what
   * matters. Resolves true when it stopped at that limit (more to read: check again soon).
   * Never rejects; must not run twice at once (./paced-check.ts guarantees it).
   */
  check(): Promise<boolean>;
  /** Nothing is recorded any more, not even by a check under way. Idempotent. */
  close(): void;
}

/**
 * The reader of the run that started at byte `logStart` of `<bridge>/worker.log` (see the
 * module doc). It has no timer: ./log-watch.ts decides when to check.
 */
export function readWorkerOutput(
  bridge: string,
  logStart: number,
  opts: LiveOutputOptions,
): OutputReader {
  const log = join(bridge, BRIDGE_FILE.workerLog);
  let offset = logStart;
  /** Inode of the log at the last check (null before the first). */
  let inode: number | null = null;
  /** `rate_limit_event` lines since the last `result` (they give its reset time). */
  let turn: string[] = [];
  const resets = new Set<number>();
  let stopped = false;

  const record = async (line: Record<string, unknown>): Promise<void> => {
    await appendLine(join(bridge, BRIDGE_FILE.hookEvents), JSON.stringify(line)).catch(
      () => undefined,
    );
  };
  const handle = async (line: string): Promise<void> => {
    // Only these two kinds matter; other output (any worker's own prints) is not parsed.
    if (!line.includes('"type":"result"') && !line.includes('"type":"rate_limit_event"')) return;
    const row = parseRecordLine(line);
    if (row === null) return;
    const iso = new Date(opts.now()).toISOString();
    const limit = rejectedLimit(row);
    if (limit !== null && !resets.has(limit.resetsAt)) {
      resets.add(limit.resetsAt);
      const event = rejectedLimitEvent(limit, iso);
      if (!(await limitRecorded(bridge, event))) await record(event);
    }
    turn.push(line);
    if (prop(row, 'type') !== 'result') return;
    const outcome = headlessOutcome(turn);
    turn = [];
    if (outcome !== null) await recordOutcome(bridge, outcome, null, iso);
  };
  const check = async (): Promise<boolean> => {
    // A log that did not change size since the last check (an idle worker) costs one lstat
    // instead of open + fstat + close: readRange would read nothing from it (a symlink or a
    // missing log reads as nothing too).
    const st = await lstat(log).catch(() => null);
    if (st === null || !st.isFile()) return false;
    if (st.ino !== inode) {
      // Replaced (renamed away and recreated): the new file is read from its start, even
      // when it has the size the old one was read to.
      if (inode !== null) [offset, turn] = [0, []];
      inode = st.ino;
    }
    if (st.size === offset) return false;
    const r = await readRange(log, { from: offset, max: CHUNK_BYTES });
    if (r === null || stopped) return false;
    const full = r.bytes.length === CHUNK_BYTES;
    if (r.restarted) turn = [];
    const text = r.bytes.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      // One line longer than a chunk: skip it rather than stall on it.
      offset = full ? r.start + r.bytes.length : r.start;
      return full;
    }
    offset = r.start + Buffer.byteLength(text.slice(0, end + 1));
    for (const line of text.slice(0, end).split('\n')) {
      if (stopped) return false;
      await handle(line);
    }
    return full;
  };
  return {
    check: () => check().catch(() => false),
    close: () => {
      stopped = true;
    },
  };
}
