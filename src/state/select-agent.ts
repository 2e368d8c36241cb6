/**
 * Agent and tests parts of a lane view: which self-report is current (state.json, the
 * claw-code worker-state file, or the latest status-bearing event), heartbeat liveness,
 * and the test verdict with its staleness against HEAD.
 */
import type { BoardSettings } from './config-types.js';
import { sameCommit } from './select-git.js';
import type { AgentReport, LaneState, TestReport } from './types.js';
import type { AgentView, Liveness, TestsView } from './view-types.js';

/** Time of the fact an agent report states: its heartbeat, else when it was observed. */
function factTime(r: AgentReport): number {
  return r.heartbeatAt ?? r.source.at;
}

/**
 * The current agent report: the newest by fact time among state.json, the claw-code file
 * and the event fold; ties go to the state file (it is the agent's own summary).
 * Returns null when the agent has reported nothing.
 */
export function currentAgent(lane: LaneState): AgentReport | null {
  const candidates = [lane.bridge.state.value, lane.bridge.claw.value, lane.bridge.events.agent];
  let best: AgentReport | null = null;
  for (const c of candidates) {
    if (c && (!best || factTime(c) > factTime(best))) best = c;
  }
  return best;
}

/**
 * Heartbeat liveness from age (ms) and thresholds (bridge contract: healthy ≤ 30 s < warn
 * ≤ 60 s < stale ≤ 300 s < dead); `dead` is reported as `stale` while the supervised
 * worker is alive.
 */
function livenessOf(ageMs: number | null, s: BoardSettings, workerAlive: boolean): Liveness {
  if (ageMs === null) return 'unknown';
  if (ageMs <= s.heartbeat.warnMs) return 'healthy';
  if (ageMs <= s.heartbeat.staleMs) return 'warn';
  if (ageMs <= s.heartbeat.deadMs) return 'stale';
  return workerAlive ? 'stale' : 'dead';
}

/** The agent view of a lane at time `now` (epoch ms). */
export function selectAgentView(lane: LaneState, now: number, settings: BoardSettings): AgentView {
  const agent = currentAgent(lane);
  // A heartbeat cannot be newer than the moment the board read it: a timestamp in the
  // future (bad clock, hostile worker) counts from the observation, so it still ages.
  const claimed = agent?.heartbeatAt ?? null;
  const at = claimed === null || agent === null ? claimed : Math.min(claimed, agent.source.at);
  const ageMs = at === null ? null : Math.max(0, now - at);
  const alive = lane.worker.phase === 'running' && lane.worker.pid !== null;
  return {
    status: agent?.status ?? null,
    kind: agent?.kind ?? 'unknown',
    phase: agent?.phase ?? null,
    sessionId: agent?.sessionId ?? null,
    heartbeat: { at, ageMs, liveness: livenessOf(ageMs, settings, alive) },
    dialect: agent?.dialect ?? null,
    source: agent?.source ?? null,
    notes: agent?.notes ?? {},
  };
}

/** The newest test report: result.json's tests or the one implied by lane.red/green events. */
function currentTests(lane: LaneState): TestReport | null {
  const fromResult = lane.bridge.result.value?.tests ?? null;
  const fromEvents = lane.bridge.events.tests;
  if (!fromResult) return fromEvents;
  if (!fromEvents) return fromResult;
  return fromEvents.source.at > fromResult.source.at ? fromEvents : fromResult;
}

/**
 * The tests view. `stale` is true when the result names a commit that is not the
 * worktree's HEAD, or when HEAD is unknown (a stale green is never shown as current).
 */
export function selectTestsView(lane: LaneState, head: string | null): TestsView {
  const t = currentTests(lane);
  if (!t) {
    return {
      status: 'unknown',
      level: null,
      stale: false,
      commit: null,
      passed: null,
      failed: null,
      source: null,
    };
  }
  const commit = t.commit ?? lane.bridge.result.value?.commit ?? null;
  const stale = commit !== null && !sameCommit(commit, head);
  return {
    status: t.status,
    level: t.level,
    stale,
    commit,
    passed: t.passed,
    failed: t.failed,
    source: t.source,
  };
}
