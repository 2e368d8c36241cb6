/**
 * Which lane a Claude Code hook payload belongs to (for `laneboard hook`). Decided, in
 * order, by:
 * 1. `--lane <id>` (looked up in lanes.yaml);
 * 2. `LANEBOARD_BRIDGE_DIR` (set by the supervisor for the worker and inherited by the
 *    agent's hook commands; no lanes.yaml needed);
 * 3. `LANEBOARD_LANE_ID` (looked up in lanes.yaml);
 * 4. the payload's `session_id`, when a lane's `hook-events.jsonl` already records that
 *    session — so an agent that `cd`s out of its worktree is still recorded in its own
 *    lane, where the outside `cwd` raises `workspace_mismatch` (a cwd match alone would
 *    file the payload under the wrong lane or drop it);
 * 5. the payload's `cwd` inside a lane's worktree (configured path or realpath);
 * 6. the hook process's own cwd inside a lane's worktree (Claude Code runs hook commands
 *    in the project directory), which also routes payloads that are not valid JSON.
 * Never throws: a problem (bad lanes.yaml, unknown lane) comes back as text.
 */
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, formatConfigError, loadConfig } from '../config/index.js';
import type { BoardConfig, LaneConfig } from '../state/config-types.js';
import { isInsidePath } from '../state/dialects/index.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';
import { readRange } from '../runtime/read-range.js';

/** Bytes read from the end of each lane's hook events file when looking for a session. */
const SESSION_SCAN_BYTES = 256 * 1024;

/** What {@link routeHook} needs to know. */
export interface RouteInput {
  /** lanes.yaml path (relative to the hook process's cwd). */
  readonly configPath: string;
  readonly laneId?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** The payload's `cwd`, when it had one. */
  readonly payloadCwd: string | null;
  /** The payload's `session_id`, when it had one. */
  readonly sessionId: string | null;
  /** The hook process's own working directory. */
  readonly processCwd: string;
}

/** Where the payload goes, and how that was decided. */
export interface HookRoute {
  /** Absolute bridge directory of the lane. */
  readonly bridge: string;
  /** Lane id, when known (not for a bare `LANEBOARD_BRIDGE_DIR`). */
  readonly laneId: string | null;
  readonly how: 'lane-option' | 'env-bridge' | 'env-lane' | 'session' | 'cwd' | 'process-cwd';
  /** The lane's `approvals` setting when found in lanes.yaml (absent for `env-bridge`). */
  readonly approvals?: 'agent' | 'board';
}

/** Routing outcome: a route, or why there is none; `stateDir` of lanes.yaml when it loaded. */
export interface RouteResult {
  readonly route: HookRoute | null;
  readonly problem: string | null;
  /** `<config dir>/.laneboard` when lanes.yaml loaded (where unroutable problems go). */
  readonly stateDir: string | null;
}

async function load(configPath: string): Promise<{ config: BoardConfig } | { problem: string }> {
  try {
    // No repo checks: the hook must be fast and must work while a repo is being moved.
    return { config: await loadConfig(configPath, { checkRepos: false }) };
  } catch (err) {
    const msg =
      err instanceof ConfigError
        ? formatConfigError(err)
        : err instanceof Error
          ? err.message
          : String(err);
    return { problem: `cannot load ${configPath}: ${msg.split('\n')[0] ?? msg}` };
  }
}

async function roots(lane: LaneConfig): Promise<string[]> {
  const real = await realpath(lane.worktree).catch(() => null);
  return real && real !== lane.worktree ? [lane.worktree, real] : [lane.worktree];
}

async function laneOfPath(lanes: readonly LaneConfig[], p: string): Promise<LaneConfig | null> {
  const real = await realpath(p).catch(() => p);
  for (const lane of lanes) {
    const r = await roots(lane);
    if (isInsidePath(p, r) || isInsidePath(real, r)) return lane;
  }
  return null;
}

/** True when the tail of `<bridge>/hook-events.jsonl` records `"session_id":"<id>"`. */
async function knowsSession(bridge: string, needle: string): Promise<boolean> {
  const r = await readRange(join(bridge, BRIDGE_FILE.hookEvents), { tail: SESSION_SCAN_BYTES });
  return r?.bytes.includes(needle) ?? false;
}

async function laneOfSession(
  lanes: readonly LaneConfig[],
  sessionId: string,
  first: LaneConfig | null,
): Promise<LaneConfig | null> {
  // The hook writes payloads with JSON.stringify, so the key/value spelling is exact.
  const needle = `"session_id":${JSON.stringify(sessionId)}`;
  const ordered = first ? [first, ...lanes.filter((l) => l !== first)] : lanes;
  for (const lane of ordered) if (await knowsSession(lane.bridge, needle)) return lane;
  return null;
}

function laneRoute(lane: LaneConfig, how: HookRoute['how']): HookRoute {
  return { bridge: lane.bridge, laneId: lane.id, how, approvals: lane.approvals ?? 'agent' };
}

/** Decide where a payload goes (see the module doc for the order). Never throws. */
export async function routeHook(input: RouteInput): Promise<RouteResult> {
  const { env } = input;
  if (!input.laneId && env.LANEBOARD_BRIDGE_DIR) {
    return {
      route: { bridge: env.LANEBOARD_BRIDGE_DIR, laneId: null, how: 'env-bridge' },
      problem: null,
      stateDir: null,
    };
  }
  const loaded = await load(input.configPath);
  if ('problem' in loaded) return { route: null, problem: loaded.problem, stateDir: null };
  const { config } = loaded;
  const stateDir = config.stateDir;
  const byId = input.laneId ?? env.LANEBOARD_LANE_ID;
  if (byId) {
    const lane = config.lanes.find((l) => l.id === byId);
    return lane
      ? {
          route: laneRoute(lane, input.laneId ? 'lane-option' : 'env-lane'),
          problem: null,
          stateDir,
        }
      : { route: null, problem: `no lane "${byId}" in ${config.file}`, stateDir };
  }
  const cwdLane = input.payloadCwd ? await laneOfPath(config.lanes, input.payloadCwd) : null;
  if (input.sessionId) {
    const lane = await laneOfSession(config.lanes, input.sessionId, cwdLane);
    if (lane)
      return {
        route: laneRoute(lane, 'session'),
        problem: null,
        stateDir,
      };
  }
  if (cwdLane) {
    return {
      route: laneRoute(cwdLane, 'cwd'),
      problem: null,
      stateDir,
    };
  }
  const own = await laneOfPath(config.lanes, input.processCwd);
  if (own) {
    return {
      route: laneRoute(own, 'process-cwd'),
      problem: null,
      stateDir,
    };
  }
  const where = input.payloadCwd ?? input.processCwd;
  return {
    route: null,
    problem: `no lane in ${config.file} has a worktree containing ${where}${input.sessionId ? ` (session ${input.sessionId})` : ''}`,
    stateDir,
  };
}
