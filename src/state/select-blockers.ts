/**
 * The blocker list of a lane, derived from every source the board has: the agent's own
 * report (and time-derived stalls), lane events, the supervisor, git (stale branch before
 * blame), bridge read problems and steering that was never acknowledged. Each blocker
 * carries its source; the list is ordered most urgent first.
 */
import type { BoardSettings } from './config-types.js';
import { agentBlockers, isInsidePath } from './dialects/index.js';
import { worktreePaths } from './reduce-bridge.js';
import { currentAgent } from './select-agent.js';
import type { Blocker, LaneState } from './types.js';
import type { GitView, SteerView, TestsView } from './view-types.js';
import { BRIDGE_FILE, CLAW_FILE } from './bridge-files.js';

/** A bridge file unreadable for longer than this (ms) becomes a `bridge_error` blocker. */
export const BRIDGE_ERROR_GRACE_MS = 3_000;

/** Urgency order of failure classes; unknown classes sort after known ones. */
const ORDER = [
  'workspace_mismatch',
  'crash_loop',
  'worker_error',
  'permission',
  'input_required',
  'trust_gate',
  'prompt_delivery',
  'rate_limit',
  'bridge_error',
  'git_error',
  'branch_divergence',
  'stale_branch',
  'compile',
  'test',
];
const LOW = ['heartbeat', 'steer_undelivered'];

function rank(cls: string): number {
  const i = ORDER.indexOf(cls);
  if (i >= 0) return i;
  return LOW.includes(cls) ? ORDER.length + 1 + LOW.indexOf(cls) : ORDER.length;
}

function supervisorBlockers(lane: LaneState, now: number, s: BoardSettings): Blocker[] {
  const w = lane.worker;
  const source = { file: 'supervisor', at: now };
  if (w.phase === 'crash_loop') {
    const detail = `crash loop: kept exiting after ${w.restarts} restarts (limit ${s.crashLoop.maxRestarts} within ${Math.round(s.crashLoop.windowMs / 1000)}s); last exit ${w.signal ?? `code ${w.exitCode ?? '?'}`}; restarts stopped`;
    return [
      {
        failureClass: 'crash_loop',
        detail,
        nextAction: 'read the log (Enter), fix the cause, then r to restart',
        source,
        since: w.startedAt,
      },
    ];
  }
  if (w.phase === 'failed_to_start') {
    return [
      {
        failureClass: 'worker_error',
        detail: `worker cannot start: ${w.error ?? 'unknown error'}`,
        nextAction: 'fix the command or worktree in lanes.yaml, then S to start',
        source,
        since: null,
      },
    ];
  }
  if (w.phase === 'exited' && !w.operatorStopped && (w.exitCode !== 0 || w.signal)) {
    const how = w.signal ? `killed by ${w.signal}` : `exited with code ${w.exitCode ?? '?'}`;
    return [
      {
        failureClass: 'worker_error',
        detail: `worker ${how}`,
        nextAction: 'read the log (Enter), then S to start it again',
        source,
        since: null,
      },
    ];
  }
  return [];
}

function gitBlockers(git: GitView, tests: TestsView, lane: LaneState, now: number): Blocker[] {
  const source = { file: 'git', at: lane.git.status === 'pending' ? now : lane.git.at };
  if (lane.git.status === 'error') {
    return [
      {
        failureClass: 'git_error',
        detail: `git: ${git.error ?? 'unknown error'}`,
        nextAction: 'check the worktree and repo paths; freshness is unknown until git answers',
        source,
        since: lane.git.at,
      },
    ];
  }
  if ((git.freshness === 'stale' || git.freshness === 'diverged') && git.behind) {
    const n = git.behind;
    const behind = `${n} commit${n === 1 ? '' : 's'} behind ${git.base}`;
    const red = tests.status === 'red';
    return [
      {
        failureClass: 'stale_branch',
        detail: red
          ? `red, but ${behind}: rebase before debugging`
          : `${behind}${git.freshness === 'diverged' ? ` (and ${git.ahead ?? 0} ahead)` : ''}`,
        nextAction: `rebase onto ${git.base} (or merge it) before trusting test results`,
        source,
        since: null,
      },
    ];
  }
  return [];
}

/** A bridge problem and where it is: a file name or a part of the bridge ('events', …). */
export type BridgeProblemSlot = readonly [
  where: string,
  problem: { readonly message: string; readonly since: number } | null,
];

/** The lane's bridge problem slots, in display order (blockers and the problems list). */
export function bridgeProblemSlots(lane: LaneState): BridgeProblemSlot[] {
  const b = lane.bridge;
  return [
    [BRIDGE_FILE.state, b.state.error],
    [BRIDGE_FILE.result, b.result.error],
    [CLAW_FILE, b.claw.error],
    ['events', b.eventsError],
    ['bridge dir', b.dirError],
    ['bridge writes', b.writeProblem],
  ];
}

function bridgeBlockers(lane: LaneState, now: number): Blocker[] {
  const out: Blocker[] = [];
  for (const [file, err] of bridgeProblemSlots(lane)) {
    if (err && now - err.since >= BRIDGE_ERROR_GRACE_MS) {
      out.push({
        failureClass: 'bridge_error',
        detail: `${file}: ${err.message}`,
        nextAction: 'the last good state is shown; check what the worker writes',
        source: { file, at: err.since },
        since: err.since,
      });
    }
  }
  return out;
}

function workspaceBlocker(lane: LaneState): Blocker[] {
  const agent = lane.bridge.state.value;
  const root = agent?.workspaceRoot;
  if (!agent || !root || isInsidePath(root, worktreePaths(lane))) return [];
  if (lane.clearedAt !== null && agent.source.at <= lane.clearedAt) return [];
  return [
    {
      failureClass: 'workspace_mismatch',
      detail: `agent reports workspace ${root}, outside the lane's worktree ${lane.config.worktree}`,
      nextAction:
        'check where the agent is writing before trusting its result; c clears once resolved',
      source: agent.source,
      since: agent.source.at,
    },
  ];
}

function steerBlockers(steering: readonly SteerView[], now: number): Blocker[] {
  const lost = steering.filter((m) => m.delivery === 'not_delivered' || m.delivery === 'failed');
  const last = lost[lost.length - 1];
  if (!last) return [];
  return [
    {
      failureClass: 'steer_undelivered',
      detail: `steering message not delivered${last.error ? `: ${last.error}` : ''}: "${last.text.slice(0, 60)}"`,
      nextAction:
        'check that the worker reads its inbox (or the steer command works), then steer again',
      source: { file: 'board', at: now },
      since: last.sentAt,
    },
  ];
}

/**
 * All active blockers of a lane, deduplicated by failure class (first by urgency wins),
 * most urgent first.
 */
export function selectBlockers(
  lane: LaneState,
  now: number,
  s: BoardSettings,
  git: GitView,
  tests: TestsView,
  steering: readonly SteerView[],
  heartbeatDead: boolean,
): Blocker[] {
  const agent = currentAgent(lane);
  const all: Blocker[] = [
    ...supervisorBlockers(lane, now, s),
    ...workspaceBlocker(lane),
    ...Object.values(lane.bridge.events.blockers),
    ...(agent ? agentBlockers(agent, now) : []),
    ...gitBlockers(git, tests, lane, now),
    ...bridgeBlockers(lane, now),
    ...steerBlockers(steering, now),
  ];
  if (heartbeatDead && agent?.heartbeatAt) {
    const age = Math.round((now - agent.heartbeatAt) / 1000);
    all.push({
      failureClass: 'heartbeat',
      detail: `no heartbeat for ${age}s`,
      nextAction: 'the agent may be hung: open details, read the log, restart with r',
      source: agent.source,
      since: agent.heartbeatAt,
    });
  }
  const seen = new Set<string>();
  return all
    .map((b, i) => ({ b, i }))
    .sort((x, y) => rank(x.b.failureClass) - rank(y.b.failureClass) || x.i - y.i)
    .map(({ b }) => b)
    .filter((b) => (seen.has(b.failureClass) ? false : (seen.add(b.failureClass), true)));
}
