/**
 * Folding claw-code / native LaneEvents (claw-code `LaneEventName` vocabulary, bridge
 * contract "events.jsonl") into the lane's {@link EventFold}.
 */
import type { EventFold, LaneEvent, TestReport } from '../types.js';
import { renderSubphases, SUBPHASE_CLASS } from './claw.js';
import { agentFrom, blockerFrom, eventTime, withBlocker, withoutBlockers } from './fold-base.js';
import { asCount, asInt, asString, clip, isRecord, prop } from './util.js';
import { CODE_CLASSES, normalizeLevel, STICKY_CLASSES } from './vocab.js';

/** Terminal-ish events after which the lane counts as finished. */
const FINISHED = new Set([
  'lane.finished',
  'lane.merged',
  'lane.closed',
  'lane.superseded',
  'lane.reconciled',
]);

/** Known events that only mark progress (meaningful, no state change). */
const QUIET = new Set(['lane.commit.created', 'lane.pr.opened', 'lane.merge.ready']);

/** Blockers about the agent's state (not the code, not sticky): cleared when it (re)starts. */
const agentStateClass = (c: string): boolean => !STICKY_CLASSES.has(c) && !CODE_CLASSES.has(c);

function testsFrom(ev: LaneEvent, status: 'green' | 'red'): TestReport {
  const d = isRecord(ev.data) ? ev.data : {};
  return {
    status,
    level: normalizeLevel(prop(d, 'level') ?? prop(d, 'greenLevel') ?? prop(d, 'green_level')),
    passed: asCount(prop(d, 'passed')),
    failed: asCount(prop(d, 'failed')),
    skipped: asCount(prop(d, 'skipped')),
    command: asString(prop(d, 'command')),
    exitCode: asInt(prop(d, 'exitCode') ?? prop(d, 'exit_code')),
    commit: asString(prop(d, 'commit')) ?? asString(prop(d, 'headCommit')),
    source: { ...ev.source, at: eventTime(ev) },
  };
}

function blockedDetail(ev: LaneEvent): { failureClass: string; detail: string } {
  const sub = renderSubphases(ev.data);
  const own = ev.detail !== null ? clip(ev.detail, 300) : null;
  const failureClass =
    ev.failureClass ?? (sub ? (SUBPHASE_CLASS[sub.first] ?? 'blocked') : 'blocked');
  const detail = sub
    ? own !== null && own !== sub.text
      ? `${sub.text} — ${own}`
      : sub.text
    : (own ?? failureClass);
  return { failureClass, detail };
}

function staleDetail(ev: LaneEvent): { detail: string; nextAction: string } {
  const d = isRecord(ev.data) ? ev.data : {};
  const mainRef = clip(asString(prop(d, 'mainRef')) ?? asString(prop(d, 'main_ref')) ?? 'main', 80);
  const behind = asCount(prop(d, 'commitsBehind') ?? prop(d, 'commits_behind'));
  const ahead = asCount(prop(d, 'commitsAhead') ?? prop(d, 'commits_ahead'));
  const missingRaw = prop(d, 'missingCommits') ?? prop(d, 'missing_commits');
  const missing = Array.isArray(missingRaw)
    ? missingRaw
        .slice(0, 5)
        .map((m) => asString(m))
        .filter((m): m is string => m !== null)
        .map((m) => clip(m, 80))
    : [];
  const more =
    Array.isArray(missingRaw) && missingRaw.length > 5 ? `, +${missingRaw.length - 5} more` : '';
  let detail =
    behind !== null ? `behind ${mainRef} by ${behind}` : (ev.detail ?? `behind ${mainRef}`);
  if (ahead !== null && ahead > 0) detail += `, ahead by ${ahead}`;
  if (missing.length > 0) detail += ` (missing: ${missing.join('; ')}${more})`;
  const rec = asString(prop(d, 'recommendedAction')) ?? asString(prop(d, 'recommended_action'));
  return {
    detail,
    nextAction: rec ?? `merge or rebase ${mainRef} into the branch, then rerun the tests`,
  };
}

function mismatch(ev: LaneEvent): { detail: string; actual: string | null } {
  const d = isRecord(ev.data) ? ev.data : {};
  const expected =
    asString(prop(d, 'expectedWorkspaceRoot')) ?? asString(prop(d, 'expected_workspace_root'));
  const actual =
    asString(prop(d, 'actualWorkspaceRoot')) ?? asString(prop(d, 'actual_workspace_root'));
  if (expected !== null && actual !== null) {
    return {
      detail: `agent works in ${clip(actual, 200)}, expected ${clip(expected, 200)}`,
      actual,
    };
  }
  return { detail: ev.detail ?? 'session workspace mismatch', actual };
}

/**
 * Fold one claw-code / native event (already counted and pushed to `recent`):
 * started→running, ready→ready (both clear agent-state blockers); blocked→blocked + a
 * blocker (class from failureClass or the `blocked.*` subphase); red/green→tests (green
 * clears test/compile); failed→failed + blocker; finished/merged/closed/superseded/
 * reconciled→finished (clears non-sticky); interrupted→interrupted (clears agent-state
 * blockers); prompt_misdelivery→prompt_delivery;
 * branch.stale_against_main→branch_divergence; branch.workspace_mismatch→sticky
 * workspace_mismatch. Other names (commit/PR/merge-ready, unknown) change nothing, except
 * an unknown event with status blocked/failed and a failureClass raises that blocker.
 */
export function foldLaneEvent(fold: EventFold, ev: LaneEvent): EventFold {
  const name = ev.name;
  if (name === 'lane.started' || name === 'lane.ready') {
    const status = name === 'lane.started' ? 'running' : 'ready';
    return {
      ...fold,
      agent: agentFrom(fold.agent, ev, { status }),
      blockers: withoutBlockers(fold.blockers, agentStateClass),
    };
  }
  if (name === 'lane.blocked') {
    const { failureClass, detail } = blockedDetail(ev);
    return {
      ...fold,
      agent: agentFrom(fold.agent, ev, { status: 'blocked', phase: detail }),
      blockers: withBlocker(fold.blockers, blockerFrom(ev, failureClass, detail)),
    };
  }
  if (name === 'lane.red') return { ...fold, tests: testsFrom(ev, 'red') };
  if (name === 'lane.green') {
    return {
      ...fold,
      tests: testsFrom(ev, 'green'),
      blockers: withoutBlockers(fold.blockers, (c) => c === 'test' || c === 'compile'),
    };
  }
  if (name === 'lane.interrupted') {
    // Stopped before the end (pi-crew cancelled / aborted): waits for you, no failure.
    return {
      ...fold,
      agent: agentFrom(fold.agent, ev, {
        status: 'interrupted',
        phase: ev.detail ?? 'interrupted',
      }),
      blockers: withoutBlockers(fold.blockers, agentStateClass),
    };
  }
  if (name === 'lane.failed') {
    const failureClass = ev.failureClass ?? 'failed';
    const detail = ev.detail ?? 'lane failed';
    return {
      ...fold,
      agent: agentFrom(fold.agent, ev, { status: 'failed' }),
      blockers: withBlocker(fold.blockers, blockerFrom(ev, failureClass, detail)),
    };
  }
  if (FINISHED.has(name)) {
    return {
      ...fold,
      agent: agentFrom(fold.agent, ev, {
        status: 'finished',
        phase: ev.detail ?? name.slice('lane.'.length),
      }),
      blockers: withoutBlockers(fold.blockers, (c) => !STICKY_CLASSES.has(c)),
    };
  }
  if (name === 'lane.prompt_misdelivery') {
    return {
      ...fold,
      blockers: withBlocker(
        fold.blockers,
        blockerFrom(ev, 'prompt_delivery', ev.detail ?? 'prompt was not delivered to the agent'),
      ),
    };
  }
  if (name === 'branch.stale_against_main') {
    const { detail, nextAction } = staleDetail(ev);
    return {
      ...fold,
      blockers: withBlocker(
        fold.blockers,
        blockerFrom(ev, ev.failureClass ?? 'branch_divergence', detail, nextAction),
      ),
    };
  }
  if (name === 'branch.workspace_mismatch') {
    const { detail, actual } = mismatch(ev);
    const agent =
      fold.agent && actual !== null ? { ...fold.agent, workspaceRoot: actual } : fold.agent;
    return {
      ...fold,
      agent,
      blockers: withBlocker(fold.blockers, blockerFrom(ev, 'workspace_mismatch', detail)),
    };
  }
  if (
    ev.failureClass !== null &&
    (ev.status === 'blocked' || ev.status === 'failed') &&
    !QUIET.has(name)
  ) {
    return {
      ...fold,
      blockers: withBlocker(
        fold.blockers,
        blockerFrom(ev, ev.failureClass, ev.detail ?? ev.failureClass),
      ),
    };
  }
  return fold;
}
