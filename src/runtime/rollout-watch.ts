/**
 * The rollout watch: a failed turn of an interactive Codex CLI session fires no hook, and
 * the session stays open, so no `SessionEnd` comes to read its rollout either. While a
 * lane's agent is `running` and its `transcriptPath` (from the Codex hooks' payload) names
 * a Codex rollout file (`rollout-*.jsonl`), this service checks that file every
 * `intervalMs` (default 2000 ms) — only when its size or mtime changed — and, when the
 * last completed turn failed and was not reported yet, appends the failure line to the
 * lane's `hook-events.jsonl` (./codex-rollout.ts), which the bridge watcher then reads like
 * any hook event (rate_limit, auth, …, with the source named). Never throws; a rollout that
 * cannot be read is skipped until the next check.
 *
 * The same for Claude Code: an Esc interrupt fires no hook and only the transcript gets
 * `[Request interrupted by user]`. While a Claude Code lane is `running` or shows a
 * permission prompt, its transcript (the hooks' `transcript_path`, any other `.jsonl`) is
 * checked the same way; an interrupt or API error ending the last turn that the hook
 * events do not report yet is recorded as a hook-shaped `Interrupt` / `StopFailure` line
 * (`source: "transcript"`, ./claude-transcript-read.ts), so the lane shows "interrupted"
 * within one interval instead of at the session's end.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { selectBoardView } from '../state/board-view.js';
import type { BoardStore } from '../state/store.js';
import { appendLine } from './bridge/safe-write.js';
import { claudeTranscriptLine } from './claude-transcript-read.js';
import { codexTurnFailureLine } from './codex-rollout.js';
import { changeFilter, pollService, type LanePollOptions } from './poll-service.js';
import type { Service } from './types.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** True for a Codex rollout file name (`rollout-<time>-<session id>.jsonl`). */
function isCodexRollout(path: string): boolean {
  return /^rollout-.+\.jsonl$/.test(basename(path));
}

/**
 * Agent statuses under which the transcript is watched: a Codex turn that runs; a Claude
 * Code session that runs or shows a permission prompt (Esc cancels either, with no hook).
 */
const WATCHED: ReadonlySet<string> = new Set(['running', 'tool_permission_required']);

/** Create the watch (nothing runs until `start()`; `dispose()` stops it). */
export function createRolloutWatch(
  opts: LanePollOptions & { readonly store: BoardStore },
): Service {
  const changed = changeFilter();
  const check = async (): Promise<void> => {
    const state = opts.store.getState();
    for (const lane of opts.config.lanes) {
      const agent = selectBoardView(state, lane.id).agent;
      const rollout = agent?.notes.transcriptPath;
      if (rollout === undefined || !WATCHED.has(agent?.status ?? '')) continue;
      const codex = isCodexRollout(rollout);
      if (!codex && !rollout.endsWith('.jsonl')) continue;
      if (codex && agent?.status !== 'running') continue;
      const st = await stat(rollout).catch(() => null);
      if (st === null || !st.isFile()) continue;
      const stamp = `${rollout}:${st.size}:${st.mtimeMs}`;
      if (!changed(lane.id, stamp)) continue;
      const now = new Date(opts.clock.now()).toISOString();
      const line = codex
        ? await codexTurnFailureLine(rollout, lane.bridge, now)
        : await claudeTranscriptLine(rollout, agent?.sessionId ?? null, lane.bridge, now);
      if (line !== null)
        await appendLine(join(lane.bridge, BRIDGE_FILE.hookEvents), JSON.stringify(line)).catch(
          () => undefined,
        );
    }
  };
  return pollService({ intervalMs: opts.intervalMs ?? 2_000, tick: check });
}
