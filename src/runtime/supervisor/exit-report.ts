/**
 * A supervised headless worker's own output, read when it exits (and, result by result,
 * while it runs: ./live-output.ts): `claude -p
 * --output-format json|stream-json` prints its result (`terminal_reason`,
 * `api_error_status`, `rate_limit_event.resetsAt`) into the lane's `worker.log`
 * (../../state/dialects/claude-result.ts). When that run failed and the lane's hook events
 * do not report it yet (its `StopFailure` hook was killed in `-p` teardown, or hooks are
 * not installed), one hook-shaped `StopFailure` line with `source: "worker output"` and the
 * exit code is appended to the lane's `hook-events.jsonl`, which the bridge watcher reads
 * like any hook event. A report that adds a reset time the hooks lack is recorded too. A
 * good run that no `Stop` hook reported (no hooks installed) is recorded as a `Stop`, so a
 * successful resume clears the rate limit before it.
 */
import { join } from 'node:path';
import { alreadyReported } from '../../state/dialects/claude-transcript.js';
import {
  apiErrorWord,
  headlessFailureEvent,
  headlessOutcome,
  headlessSuccessEvent,
  type HeadlessOutcome,
} from '../../state/dialects/claude-result.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';
import { appendLine } from '../bridge/safe-write.js';
import { tailLines } from '../read-range.js';

/** Bytes of worker output read at an exit (the result is the last line). */
const OUTPUT_TAIL_BYTES = 256 * 1024;

/** True when `lines` (hook events) hold a `Stop` hook of session `sessionId` (any shape). */
function stopReported(lines: readonly string[], sessionId: string | null): boolean {
  const sid = sessionId === null ? null : `"session_id":${JSON.stringify(sessionId)}`;
  return lines.some(
    (l) => l.includes('"hook_event_name":"Stop"') && (sid === null || l.includes(sid)),
  );
}

/** What the exit report found. */
export interface ExitReport {
  /** The run ended in a rate limit (429 / `rate_limit_error`) by its own output. */
  readonly rateLimited: boolean;
  /** The line appended to the hook events, or null. */
  readonly recorded: Record<string, unknown> | null;
}

/**
 * The hook events a new result is checked against: the lines after the last one that
 * recorded an earlier result (`"result_uuid":"…"`), so that in a worker that runs many
 * turns (stream-json input) the reports of earlier turns do not hide this one.
 */
function sinceLastResult(lines: readonly string[]): readonly string[] {
  for (let i = lines.length - 1; i >= 0; i--)
    if (lines[i]?.includes('"result_uuid":"')) return lines.slice(i + 1);
  return lines;
}

/**
 * Record `outcome` (one result of a headless run) in the lane's hook events unless they
 * report it already (see the module doc): its `result_uuid` is there, or — for a failure —
 * a hook `StopFailure` / transcript line reports the turn and the reset time (if any) is
 * there too, or — for a success — a `Stop` of the session follows the previous result.
 * `exitCode` is null while the worker runs or after a signal. Never throws.
 */
export async function recordOutcome(
  bridge: string,
  outcome: HeadlessOutcome,
  exitCode: number | null,
  now: string,
): Promise<ExitReport> {
  const rateLimited =
    (outcome.isError || outcome.apiErrorStatus !== null) &&
    apiErrorWord(outcome.apiErrorStatus, outcome.apiErrorType) === 'rate_limit';
  try {
    const all = await tailLines(join(bridge, BRIDGE_FILE.hookEvents), OUTPUT_TAIL_BYTES);
    const mark = outcome.uuid === null ? null : `"result_uuid":${JSON.stringify(outcome.uuid)}`;
    if (mark !== null && all.some((l) => l.includes(mark))) return { rateLimited, recorded: null };
    const seen = sinceLastResult(all);
    const failed = headlessFailureEvent(outcome, exitCode, now);
    const line = failed ?? headlessSuccessEvent(outcome, exitCode, now);
    if (line === null) return { rateLimited, recorded: null };
    const reset = typeof line.reset_at === 'string' ? `"reset_at":"${line.reset_at}"` : null;
    // Hooks already told: a good turn by its Stop, a failed one by its StopFailure (unless
    // the output adds a reset time the lines lack).
    if (
      failed === null
        ? stopReported(seen, outcome.sessionId)
        : alreadyReported(seen, outcome.sessionId, null) &&
          (reset === null || seen.some((l) => l.includes(reset)))
    )
      return { rateLimited, recorded: null };
    await appendLine(join(bridge, BRIDGE_FILE.hookEvents), JSON.stringify(line));
    return { rateLimited, recorded: line };
  } catch {
    return { rateLimited, recorded: null };
  }
}

/**
 * Read the output a worker wrote to `<bridge>/worker.log` since byte `logStart` and
 * record its last result ({@link recordOutcome}). `exitCode` is the worker's (null after
 * a signal); `now` ISO-8601. Never throws.
 */
export async function recordHeadlessExit(
  bridge: string,
  logStart: number,
  exitCode: number | null,
  now: string,
): Promise<ExitReport> {
  const outcome = headlessOutcome(
    await tailLines(join(bridge, BRIDGE_FILE.workerLog), OUTPUT_TAIL_BYTES, logStart),
  );
  if (outcome === null) return { rateLimited: false, recorded: null };
  return recordOutcome(bridge, outcome, exitCode, now);
}
