/**
 * A remote lane's published value (the lane object of `laneboard.snapshot/1`,
 * src/state/snapshot.ts, as another fleet host wrote it) read back into a
 * {@link LaneView}, pure. Read defensively: it is untrusted input from another machine,
 * every field is type-checked and falls back to its "unknown" value, and text is still
 * sanitized at render time like any worker text. Used by ./fleet-lanes.ts.
 */
import type { Blocker, Source } from './types.js';
import type { AgentView, EventView, Freshness, LaneView, Liveness } from './view-types.js';

type Obj = Readonly<Record<string, unknown>>;

const obj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean => v === true;
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/** ISO-8601 text → epoch ms, or null. */
const ms = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
};
const oneOf = <T extends string>(v: unknown, all: readonly T[], dflt: T): T =>
  typeof v === 'string' && (all as readonly string[]).includes(v) ? (v as T) : dflt;

function source(v: unknown, file = 'fleet'): Source {
  const o = obj(v);
  const line = num(o.line);
  const event = str(o.event);
  const via = str(o.via);
  return {
    file: str(o.file) ?? file,
    at: ms(o.at) ?? 0,
    ...(line !== null ? { line } : {}),
    ...(event !== null ? { event } : {}),
    ...(via !== null ? { via } : {}),
  };
}

function agentView(v: unknown): AgentView {
  const a = obj(v);
  const hb = obj(a.heartbeat);
  const notes: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(a.notes))) if (typeof x === 'string') notes[k] = x;
  return {
    status: str(a.status),
    kind: oneOf(
      a.kind,
      ['starting', 'ready', 'running', 'blocked', 'idle', 'finished', 'failed', 'unknown'],
      'unknown',
    ),
    phase: str(a.phase),
    sessionId: str(a.sessionId),
    heartbeat: {
      at: ms(hb.at),
      ageMs: num(hb.ageMs),
      liveness: oneOf<Liveness>(
        hb.liveness,
        ['healthy', 'warn', 'stale', 'dead', 'unknown'],
        'unknown',
      ),
    },
    dialect: str(a.dialect),
    source: a.source ? source(a.source) : null,
    notes,
  };
}

function eventView(v: unknown): EventView | null {
  if (v === null || v === undefined) return null;
  const e = obj(v);
  return {
    name: str(e.name) ?? '?',
    detail: str(e.detail),
    at: ms(e.at),
    ageMs: null,
    source: source(e.source),
  };
}

function blocker(v: unknown): Blocker {
  const b = obj(v);
  return {
    failureClass: str(b.failureClass) ?? 'unknown',
    detail: str(b.detail) ?? '',
    nextAction: str(b.nextAction) ?? '',
    source: source(b.source),
    since: ms(b.since),
    resetAt: ms(b.resetAt),
  };
}

function counts(v: unknown): LaneView['git']['dirtyDetail'] {
  if (v === null || typeof v !== 'object') return null;
  const d = obj(v);
  return {
    staged: num(d.staged) ?? 0,
    unstaged: num(d.unstaged) ?? 0,
    untracked: num(d.untracked) ?? 0,
    conflicted: num(d.conflicted) ?? 0,
  };
}

/**
 * Read a published lane value into a view, at the time it was published. Never throws:
 * a missing or mistyped field becomes its "unknown" value; a null `value` becomes a lane
 * with `problem` among its problems.
 */
export function laneViewFromSnapshot(
  id: string,
  value: Obj | null,
  problem: string | null,
): LaneView {
  const v = value ?? {};
  const g = obj(v.git);
  const w = obj(v.worker);
  const t = obj(v.tests);
  const diff = obj(g.diff);
  const raw = obj(v.raw);
  const problems = arr(v.problems).filter((p): p is string => typeof p === 'string');
  return {
    id,
    repo: str(v.repo) ?? '',
    worktree: str(v.worktree) ?? '',
    branch: str(v.branch) ?? '',
    git: {
      head: str(g.head),
      branch: str(g.branch),
      detached: bool(g.detached),
      ahead: num(g.ahead),
      behind: num(g.behind),
      dirty: num(g.dirty),
      dirtyDetail: counts(g.dirtyDetail),
      freshness: oneOf<Freshness>(
        g.freshness,
        ['fresh', 'stale', 'diverged', 'unknown'],
        'unknown',
      ),
      base: str(g.base) ?? '',
      missing: arr(g.missingCommits).filter((x): x is string => typeof x === 'string'),
      upstream: str(g.upstream),
      upstreamAhead: num(g.upstreamAhead),
      upstreamBehind: num(g.upstreamBehind),
      diff:
        g.diff && typeof g.diff === 'object'
          ? {
              files: num(diff.files) ?? 0,
              insertions: num(diff.insertions) ?? 0,
              deletions: num(diff.deletions) ?? 0,
            }
          : null,
      error: str(g.error),
    },
    worker: {
      state: str(w.state) ?? 'none',
      pid: num(w.pid),
      restarts: num(w.restarts) ?? 0,
      exitCode: num(w.exitCode),
      signal: str(w.signal),
      nextStartInMs: num(w.nextStartInMs),
      error: str(w.error),
      adopted: bool(w.adopted),
      operatorStopped: bool(w.operatorStopped),
    },
    agent: agentView(v.agent),
    tests: {
      status: oneOf(t.status, ['green', 'red', 'unknown'], 'unknown'),
      level: str(t.level),
      stale: bool(t.stale),
      commit: str(t.commit),
      passed: num(t.passed),
      failed: num(t.failed),
      source: t.source ? source(t.source) : null,
    },
    blockers: arr(v.blockers).map(blocker),
    mergeReady: bool(v.mergeReady),
    mergeReasons: arr(v.mergeReasons).filter((x): x is string => typeof x === 'string'),
    lastEvent: eventView(v.lastEvent),
    recentEvents: [],
    steering: arr(v.steering).map((x) => {
      const m = obj(x);
      return {
        id: str(m.id) ?? '',
        text: str(m.text) ?? '',
        sentAt: ms(m.sentAt) ?? 0,
        via: str(m.via) ?? '',
        delivery: oneOf(m.delivery, ['pending', 'delivered', 'not_delivered', 'failed'], 'pending'),
        error: str(m.error),
      };
    }),
    raw: {
      state: raw.state ?? null,
      result: raw.result ?? null,
      claw: raw.claw ?? null,
      extras: obj(raw.extras),
    },
    problems: problem !== null ? [problem, ...problems] : problems,
  };
}
