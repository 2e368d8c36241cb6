/**
 * What `laneboard hooks install` writes for each agent family, and where.
 * - Claude Code: `<worktree>/.claude/settings.local.json` (project-local, not committed);
 *   every event is captured by the shell append (./capture.ts) except `Stop`, which runs
 *   `laneboard hook` (it records the payload and answers with pending steering),
 *   `SessionEnd`, which runs `laneboard hook` to read the transcript first, and
 *   `PermissionRequest`, which runs `laneboard hook --timeout 600` (600 s: with
 *   `approvals: board` it waits for the operator's answer). Timeouts in seconds.
 * - Gemini CLI: `<worktree>/.gemini/settings.json`, its 11 hook events captured by the
 *   shell append except `AfterAgent`, which runs `laneboard hook` (it answers with pending
 *   steering, like Claude Code's Stop); timeouts in milliseconds.
 * - Codex CLI: `$CODEX_HOME/hooks.json` (default `~/.codex`), one file for every lane, so
 *   each event runs `laneboard hook --config <lanes.yaml>`, which finds the lane by the
 *   payload's session or cwd (PermissionRequest with a 600 s timeout, as for Claude Code).
 *   Codex runs new hooks only after the user trusts them.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LaneConfig } from '../../state/config-types.js';
import { APPROVAL_HOOK_TIMEOUT_S } from '../hook-approval.js';
import { captureCommand, shQuote } from './capture.js';
import type { HookGroup, WantedHooks } from './merge.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/** Agent families `hooks install` knows. */
export type AgentFamily = 'claude' | 'codex' | 'gemini';

/** Claude Code hook events captured by the shell append (2.1.330). */
const CLAUDE_CAPTURED = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'SubagentStop',
  'PreCompact',
  'StopFailure',
] as const;

/** Gemini CLI hook events (all captured). */
const GEMINI_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'BeforeAgent',
  'AfterAgent',
  'BeforeModel',
  'AfterModel',
  'BeforeToolSelection',
  'BeforeTool',
  'AfterTool',
  'PreCompress',
  'Notification',
] as const;

/**
 * Codex CLI hook events laneboard listens to (of Codex 0.171.0's 12: the others —
 * PreCompact, PostCompact, SubagentStart, SubagentStop — change no lane state). Codex
 * clamps the timeout of SessionEnd and Interrupt hooks to 3 s, the others get 10 s.
 */
const CODEX_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PermissionRequest',
  'Stop',
  'Interrupt',
  'SessionEnd',
] as const;

/** Codex hook timeouts (seconds) by event; 10 s for the rest. */
const CODEX_TIMEOUTS: Readonly<Record<string, number>> = { SessionEnd: 3, Interrupt: 3 };

const TOOL_EVENTS = new Set([
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'BeforeTool',
  'AfterTool',
]);

/** How to run this laneboard from a hook: `'<node>' '<bin/laneboard.js>'`. */
export interface Runner {
  readonly node: string;
  readonly bin: string;
}

/**
 * `laneboard hook` command line for a lane (or, without `laneId`, routed by cwd/session);
 * `timeoutS` (seconds) tells the hook its own timeout (`--timeout`, for approvals).
 */
function hookCommand(
  runner: Runner,
  configPath: string,
  laneId?: string,
  timeoutS?: number,
): string {
  const lane = laneId !== undefined ? ` --lane ${shQuote(laneId)}` : '';
  const timeout = timeoutS !== undefined ? ` --timeout ${timeoutS}` : '';
  return `${shQuote(runner.node)} ${shQuote(runner.bin)} hook --config ${shQuote(configPath)}${lane}${timeout}`;
}

/**
 * The PermissionRequest hook: `laneboard hook --timeout 600` with a 600 s timeout, so a
 * lane with `approvals: board` can wait for the operator (src/cli/hook-approval.ts); on
 * other lanes it records the request and returns at once.
 */
function permissionGroup(runner: Runner, configPath: string, laneId?: string): HookGroup {
  const t = APPROVAL_HOOK_TIMEOUT_S;
  return group('PermissionRequest', hookCommand(runner, configPath, laneId, t), t);
}

function group(event: string, command: string, timeout: number): HookGroup {
  return {
    ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}),
    hooks: [{ type: 'command', command, timeout }],
  };
}

/** One settings file to write and what goes into it. */
export interface InstallTarget {
  readonly agent: AgentFamily;
  /** Absolute path of the settings file. */
  readonly file: string;
  /** Lanes it serves (one per worktree file; every selected lane for Codex). */
  readonly laneIds: readonly string[];
  /** Bridge dirs of those lanes (created at install, so the first capture finds its dir). */
  readonly bridges: readonly string[];
  /** Worktree whose git excludes should list the file, or null (Codex: outside any repo). */
  readonly worktree: string | null;
  /** Path of the file relative to the worktree, for the exclude line. */
  readonly relPath: string | null;
  readonly wanted: WantedHooks;
}

/** The targets for `agent` and the selected lanes. `env` supplies CODEX_HOME / HOME. */
export function targetsFor(
  agent: AgentFamily,
  lanes: readonly LaneConfig[],
  configPath: string,
  runner: Runner,
  env: NodeJS.ProcessEnv,
): InstallTarget[] {
  if (agent === 'codex') {
    const home = env.CODEX_HOME ?? join(env.HOME ?? homedir(), '.codex');
    const wanted: Record<string, HookGroup> = {};
    for (const e of CODEX_EVENTS)
      wanted[e] = group(e, hookCommand(runner, configPath), CODEX_TIMEOUTS[e] ?? 10);
    wanted.PermissionRequest = permissionGroup(runner, configPath);
    return [
      {
        agent,
        file: join(home, 'hooks.json'),
        laneIds: lanes.map((l) => l.id),
        bridges: lanes.map((l) => l.bridge),
        worktree: null,
        relPath: null,
        wanted,
      },
    ];
  }
  return lanes.map((lane) => {
    const events = join(lane.bridge, BRIDGE_FILE.hookEvents);
    const wanted: Record<string, HookGroup> = {};
    if (agent === 'claude') {
      for (const e of CLAUDE_CAPTURED) wanted[e] = group(e, captureCommand(events), 10);
      wanted.PermissionRequest = permissionGroup(runner, configPath, lane.id);
      wanted.Stop = group('Stop', hookCommand(runner, configPath, lane.id), 10);
      // SessionEnd reads the transcript (an interrupt or a lost StopFailure): ../../runtime/claude-transcript-read.ts.
      wanted.SessionEnd = group('SessionEnd', hookCommand(runner, configPath, lane.id), 10);
    } else {
      for (const e of GEMINI_EVENTS) wanted[e] = group(e, captureCommand(events), 10_000);
      // AfterAgent answers with pending steering (`decision: "block"` is Gemini's alias of
      // "deny": its `reason` goes to the agent as a new prompt).
      wanted.AfterAgent = group('AfterAgent', hookCommand(runner, configPath, lane.id), 10_000);
    }
    const relPath = agent === 'claude' ? '.claude/settings.local.json' : '.gemini/settings.json';
    return {
      agent,
      file: join(lane.worktree, relPath),
      laneIds: [lane.id],
      bridges: [lane.bridge],
      worktree: lane.worktree,
      relPath,
      wanted,
    };
  });
}
