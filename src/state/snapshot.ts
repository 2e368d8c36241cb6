/**
 * The `--json` snapshot: a versioned, documented contract (id "laneboard.snapshot/1",
 * defined once in ./snapshot-schema.ts, published as `schema/snapshot.schema.json`). Built
 * only from the same selectors the board renders, so the screen and the JSON say the same
 * thing. The return types come from the zod definition, so a field added here but not
 * there (or the other way round) does not compile.
 */
import { selectCounts, selectLaneViews } from './selectors.js';
import type { BoardState, Source } from './types.js';
import type { LaneSnapshot, Snapshot } from './snapshot-schema.js';
import type { LaneView } from './view-types.js';

type SourceSnapshot = LaneSnapshot['agent']['source'];
/*
 * The view keeps a few enumerated fields as plain strings (a fleet lane carries another
 * host's values verbatim, ./fleet-lanes.ts); they are narrowed to the contract's enums here.
 */
type WorkerStateSnapshot = LaneSnapshot['worker']['state'];
type DialectSnapshot = LaneSnapshot['agent']['dialect'];
type ViaSnapshot = LaneSnapshot['steering'][number]['via'];

/** Snapshot schema id. */
export const SNAPSHOT_SCHEMA: Snapshot['schema'] = 'laneboard.snapshot/1';

function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function source(s: Source | null): SourceSnapshot {
  if (!s) return null;
  return {
    file: s.file,
    at: iso(s.at),
    line: s.line ?? null,
    event: s.event ?? null,
    ...(s.via !== undefined ? { via: s.via } : {}),
  };
}

/** One lane of the snapshot (see the schema for field meanings). */
export function laneSnapshot(v: LaneView): LaneSnapshot {
  return {
    id: v.id,
    repo: v.repo,
    worktree: v.worktree,
    branch: v.branch,
    git: {
      head: v.git.head,
      branch: v.git.branch,
      detached: v.git.detached,
      ahead: v.git.ahead,
      behind: v.git.behind,
      dirty: v.git.dirty,
      dirtyDetail: v.git.dirtyDetail,
      freshness: v.git.freshness,
      base: v.git.base,
      missingCommits: [...v.git.missing],
      upstream: v.git.upstream,
      upstreamAhead: v.git.upstreamAhead,
      upstreamBehind: v.git.upstreamBehind,
      diff: v.git.diff,
      error: v.git.error,
    },
    worker: {
      state: v.worker.state as WorkerStateSnapshot,
      pid: v.worker.pid,
      restarts: v.worker.restarts,
      exitCode: v.worker.exitCode,
      signal: v.worker.signal,
      nextStartInMs: v.worker.nextStartInMs,
      error: v.worker.error,
      adopted: v.worker.adopted,
    },
    agent: {
      status: v.agent.status,
      kind: v.agent.kind,
      phase: v.agent.phase,
      sessionId: v.agent.sessionId,
      dialect: v.agent.dialect as DialectSnapshot,
      heartbeat: {
        at: iso(v.agent.heartbeat.at),
        ageMs: v.agent.heartbeat.ageMs,
        liveness: v.agent.heartbeat.liveness,
      },
      notes: v.agent.notes,
      source: source(v.agent.source),
    },
    tests: {
      status: v.tests.status,
      level: v.tests.level,
      stale: v.tests.stale,
      commit: v.tests.commit,
      passed: v.tests.passed,
      failed: v.tests.failed,
      source: source(v.tests.source),
    },
    blockers: v.blockers.map((b) => ({
      failureClass: b.failureClass,
      detail: b.detail,
      source: source(b.source),
      nextAction: b.nextAction,
      since: iso(b.since),
      resetAt: iso(b.resetAt ?? null),
      ...(b.approval !== undefined
        ? { approval: { id: b.approval.id, until: iso(b.approval.until) } }
        : {}),
    })),
    mergeReady: v.mergeReady,
    mergeReasons: [...v.mergeReasons],
    lastEvent: v.lastEvent
      ? {
          name: v.lastEvent.name,
          detail: v.lastEvent.detail,
          at: iso(v.lastEvent.at),
          source: source(v.lastEvent.source),
        }
      : null,
    steering: v.steering.map((m) => ({
      id: m.id,
      text: m.text,
      sentAt: iso(m.sentAt),
      via: m.via as ViaSnapshot,
      delivery: m.delivery,
      error: m.error,
    })),
    problems: [...v.problems],
    raw: v.raw,
  };
}

/** The whole snapshot at the store's clock. `generatedAt` is ISO-8601. */
export function selectSnapshot(s: BoardState): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    generatedAt: new Date(Number.isFinite(s.now) ? s.now : 0).toISOString(),
    counts: selectCounts(s),
    lanes: selectLaneViews(s).map(laneSnapshot),
    notices: s.notices.map((n) => ({ message: n.message, at: iso(n.at) })),
  };
}
