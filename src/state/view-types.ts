/**
 * Derived, display-ready view of a lane: what a board row, the detail pane and the
 * `--json` snapshot show. Produced only by the selectors in ./selectors.ts so the TUI and
 * the JSON can never disagree. Times are epoch ms, ages and countdowns are ms.
 */
import type { AgentKind, Blocker, DiffStat, Source } from './types.js';

/** Branch freshness against the base ref: fresh = behind 0; stale = behind > 0, ahead 0; diverged = both > 0; unknown on any git error. */
export type Freshness = 'fresh' | 'stale' | 'diverged' | 'unknown';

/** Heartbeat liveness from the age of the agent's last update (bridge contract thresholds). */
export type Liveness = 'healthy' | 'warn' | 'stale' | 'dead' | 'unknown';

/** Delivery state of one steering message as shown to the operator. */
export type SteerDelivery = 'pending' | 'delivered' | 'not_delivered' | 'failed';

/** The git part of a lane view. */
export interface GitView {
  readonly head: string | null;
  readonly branch: string | null;
  readonly detached: boolean;
  readonly ahead: number | null;
  readonly behind: number | null;
  /** Total dirty paths (staged + unstaged + untracked + conflicted), null when unknown. */
  readonly dirty: number | null;
  readonly dirtyDetail: {
    staged: number;
    unstaged: number;
    untracked: number;
    conflicted: number;
  } | null;
  readonly freshness: Freshness;
  readonly base: string;
  /** Subjects of the first base commits missing from HEAD. */
  readonly missing: readonly string[];
  readonly upstream: string | null;
  readonly upstreamAhead: number | null;
  readonly upstreamBehind: number | null;
  /**
   * Size of the lane's change against the merge base with its base ref (committed plus
   * uncommitted tracked changes), or null when unknown.
   */
  readonly diff: DiffStat | null;
  /** Git problem in words (stale info may still be shown), or null. */
  readonly error: string | null;
}

/** The worker (process) part of a lane view. */
export interface WorkerView {
  /** none | stopped | starting | running | stopping | exited | backoff | crash_loop | failed_to_start */
  readonly state: string;
  readonly pid: number | null;
  readonly restarts: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** During backoff: ms until the next start (≥ 0), else null. */
  readonly nextStartInMs: number | null;
  readonly error: string | null;
  readonly adopted: boolean;
  readonly operatorStopped: boolean;
}

/** The agent (self-reported) part of a lane view. */
export interface AgentView {
  /** Verbatim status, or null when the agent has reported nothing. */
  readonly status: string | null;
  readonly kind: AgentKind;
  readonly phase: string | null;
  readonly sessionId: string | null;
  readonly heartbeat: {
    readonly at: number | null;
    readonly ageMs: number | null;
    readonly liveness: Liveness;
  };
  readonly dialect: string | null;
  readonly source: Source | null;
  /** Extra context lines (checkpoint, last assistant message, tmux session…). */
  readonly notes: Readonly<Record<string, string>>;
}

/** The tests part of a lane view. */
export interface TestsView {
  readonly status: 'green' | 'red' | 'unknown';
  readonly level: string | null;
  /** True when the result's commit is not the worktree's HEAD (or HEAD is unknown). */
  readonly stale: boolean;
  readonly commit: string | null;
  readonly passed: number | null;
  readonly failed: number | null;
  readonly source: Source | null;
}

/** A steering message with its derived delivery state. */
export interface SteerView {
  readonly id: string;
  readonly text: string;
  readonly sentAt: number;
  readonly via: string;
  readonly delivery: SteerDelivery;
  readonly error: string | null;
}

/** The last meaningful event. */
export interface EventView {
  readonly name: string;
  readonly detail: string | null;
  readonly at: number | null;
  readonly ageMs: number | null;
  readonly source: Source;
}

/** Everything shown about one lane. */
export interface LaneView {
  readonly id: string;
  readonly repo: string;
  readonly worktree: string;
  /** Configured branch. */
  readonly branch: string;
  readonly git: GitView;
  readonly worker: WorkerView;
  readonly agent: AgentView;
  readonly tests: TestsView;
  /** Active blockers, most urgent first. */
  readonly blockers: readonly Blocker[];
  readonly mergeReady: boolean;
  /** Why the lane is not merge-ready (empty when it is). */
  readonly mergeReasons: readonly string[];
  readonly lastEvent: EventView | null;
  readonly recentEvents: readonly EventView[];
  readonly steering: readonly SteerView[];
  /** Raw bridge documents and unknown fields, verbatim (untrusted: sanitize before display). */
  readonly raw: {
    readonly state: unknown;
    readonly result: unknown;
    readonly claw: unknown;
    readonly extras: Readonly<Record<string, unknown>>;
  };
  /** Problems reading this lane's inputs (bridge, events, dir), in words. */
  readonly problems: readonly string[];
}

/** Header counts. */
export interface BoardCounts {
  readonly lanes: number;
  readonly red: number;
  readonly blocked: number;
  readonly stale: number;
  readonly crashed: number;
  readonly running: number;
}
