/**
 * Reading a Codex CLI session's rollout file (the hooks' `transcript_path`), because a
 * failed Codex turn fires no hook — a 429 shows only as the rollout's
 * `task_complete.error` (src/state/dialects/codex.ts). Used by `laneboard hook` at a
 * `SessionEnd` (the failure line goes before the SessionEnd line, so the lane ends
 * rate-limited or failed instead of "finished") and by the runtime's rollout watch
 * (./rollout-watch.ts) while a session stays open. Each failed turn is recorded once, as
 * one native `lane.blocked` / `lane.failed` line in the lane's `hook-events.jsonl`.
 */
import { join } from 'node:path';
import { lastTurnFailure, turnFailureEvent } from '../state/dialects/codex.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';
import { tailLines } from './read-range.js';

/** Bytes read from the end of the rollout (a failed turn's record is near the end). */
const ROLLOUT_TAIL_BYTES = 256 * 1024;
/** Bytes of the lane's hook events searched for an earlier report of the same turn. */
const REPORTED_TAIL_BYTES = 256 * 1024;

/**
 * The line to record for a failed last turn of the Codex session whose rollout is
 * `rollout`, or null (the last turn succeeded, the rollout is unreadable or not a Codex
 * rollout, or the lane's `<bridge>/hook-events.jsonl` already holds a report of that turn).
 * `now` is ISO-8601. Never throws.
 */
export async function codexTurnFailureLine(
  rollout: string,
  bridge: string,
  now: string,
): Promise<Record<string, unknown> | null> {
  const failure = lastTurnFailure(await tailLines(rollout, ROLLOUT_TAIL_BYTES));
  if (failure === null) return null;
  if (failure.turnId !== null) {
    const mark = `"turnId":${JSON.stringify(failure.turnId)}`;
    const seen = await tailLines(join(bridge, BRIDGE_FILE.hookEvents), REPORTED_TAIL_BYTES);
    if (seen.some((l) => l.includes(mark))) return null;
  }
  return turnFailureEvent(failure, rollout, now);
}
