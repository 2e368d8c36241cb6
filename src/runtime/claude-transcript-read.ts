/**
 * What `laneboard hook` reads beyond a Claude Code hook payload: the session's transcript
 * (the payload's `transcript_path`), because Claude Code fires no hook on an Esc interrupt
 * and its `StopFailure` hook can be killed in `-p` teardown. At a `SessionEnd`, the hook
 * reads the transcript's tail and, when the last turn ended in an API error
 * (`isApiErrorMessage`) or an interrupt marker that the lane's hook events do not report
 * yet, records one hook-shaped `StopFailure` / `Interrupt` line (`source: "transcript"`)
 * before the SessionEnd line (src/state/dialects/claude-transcript.ts), so the lane ends
 * rate-limited, failed or interrupted instead of "finished".
 */
import { join } from 'node:path';
import {
  alreadyReported,
  lastTurnOutcome,
  transcriptEvent,
} from '../state/dialects/claude-transcript.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';
import { tailLines } from './read-range.js';

/** Bytes read from the end of the transcript (the last turn's rows are near the end). */
const TRANSCRIPT_TAIL_BYTES = 256 * 1024;
/** Bytes of the lane's hook events searched for an earlier report of the same turn. */
const REPORTED_TAIL_BYTES = 256 * 1024;

/**
 * The line to record for the abnormal end of the last turn of Claude Code session
 * `sessionId` whose transcript is `transcript`, or null (a normal end, an unreadable or
 * foreign file, or the lane's `<bridge>/hook-events.jsonl` already reports it). `now` is
 * ISO-8601. Never throws.
 */
export async function claudeTranscriptLine(
  transcript: string,
  sessionId: string | null,
  bridge: string,
  now: string,
): Promise<Record<string, unknown> | null> {
  const outcome = lastTurnOutcome(await tailLines(transcript, TRANSCRIPT_TAIL_BYTES));
  if (outcome === null) return null;
  const seen = await tailLines(join(bridge, BRIDGE_FILE.hookEvents), REPORTED_TAIL_BYTES);
  if (alreadyReported(seen, sessionId, outcome.uuid)) return null;
  return transcriptEvent(outcome, sessionId, now);
}
