/**
 * Core state types of the board: what the runtime observes about each lane (git, worker,
 * bridge files, steering) and the normalized shapes every bridge dialect is read into.
 * Pure data; timestamps are epoch milliseconds unless a name says otherwise.
 */
import type { BoardSettings, LaneConfig } from './config-types.js';
import type { GitState } from './git-types.js';
import type { WorkerState } from './worker-types.js';
import type { LaneView } from './view-types.js';

export type { DiffStat, GitInfo, GitState } from './git-types.js';
export { WORKER_PHASES, type WorkerPhase, type WorkerState } from './worker-types.js';

/** Where a fact came from: file (or 'supervisor' / 'git' / 'board'), when observed, which line/event. */
export interface Source {
  /** File name relative to the bridge dir (e.g. `state.json`), or 'supervisor' | 'git' | 'board'. */
  readonly file: string;
  /** When the board observed it (epoch ms). */
  readonly at: number;
  /** 1-based line number inside an events file (absent when unknown: read from the end). */
  readonly line?: number;
  /** Event name when the fact came from an event. */
  readonly event?: string;
  /**
   * Who said it, for agent facts read from an events file (./dialects/events.ts `viaOf`):
   * `hook` (an agent hook payload), `transcript` (Claude Code's transcript, recorded by the
   * runtime), `worker output` (a headless worker's `--output-format json|stream-json`),
   * `rollout` (Codex's rollout file), `notify` (Codex's notify program); absent otherwise.
   */
  readonly via?: string;
}

/** The dialect a bridge document was read as (bridge contract "Foreign dialects"). */
export type Dialect = 'native' | 'claw-code' | 'live-bridge' | 'claude-hooks';

/**
 * Coarse agent status used for counts and colours; the verbatim status string is kept
 * beside it so unknown values are shown faithfully.
 */
export type AgentKind =
  'starting' | 'ready' | 'running' | 'blocked' | 'idle' | 'finished' | 'failed' | 'unknown';

/**
 * A blocker: something that stops the lane from progressing, with what to do about it.
 * `failureClass` is claw-code LaneFailureClass plus `rate_limit | input_required |
 * permission` and the board's own classes (`stale_branch`, `crash_loop`, `worker_error`,
 * `bridge_error`, `git_error`, `stall`, `steer_undelivered`, `heartbeat`); unknown classes
 * are kept verbatim.
 */
export interface Blocker {
  readonly failureClass: string;
  readonly detail: string;
  /** What the operator should do next, in words. */
  readonly nextAction: string;
  readonly source: Source;
  /** When the condition started (epoch ms), when known. */
  readonly since: number | null;
  /** For rate limits: when the limit resets (epoch ms). */
  readonly resetAt?: number | null;
  /**
   * For a `permission` blocker whose PermissionRequest hook waits for the board's answer
   * (`approvals: board`): the request it waits on. Absent when only the agent can answer.
   */
  readonly approval?: PendingApproval;
}

/**
 * A permission request waiting for the operator's answer (docs/agents.md "Approvals"):
 * the id the decision must name, and until when the hook waits (epoch ms; after that the
 * agent's own prompt is the only way to answer).
 */
export interface PendingApproval {
  readonly id: string;
  readonly until: number | null;
}

/** An agent's self-reported state, normalized from any dialect's state file. */
export interface AgentReport {
  readonly dialect: Dialect;
  /** Status string exactly as written (sanitized only at render time). */
  readonly status: string;
  readonly kind: AgentKind;
  readonly phase: string | null;
  readonly sessionId: string | null;
  /** Workspace the agent says it writes in (native workspaceRoot, claw mismatch, hook cwd). */
  readonly workspaceRoot: string | null;
  /** Last heartbeat (updatedAt) in epoch ms, when the file has one. */
  readonly heartbeatAt: number | null;
  readonly blocker: Blocker | null;
  /** Checkpoint / last message / tmux session and similar context shown in details. */
  readonly notes: Readonly<Record<string, string>>;
  /** Fields the board does not understand, kept verbatim for the detail pane and --json. */
  readonly extras: Readonly<Record<string, unknown>>;
  readonly source: Source;
}

/** Test outcome, normalized. */
export interface TestReport {
  readonly status: 'green' | 'red' | 'unknown';
  /** Green level (claw-code names) or verbatim unknown level; null when not given. */
  readonly level: string | null;
  readonly passed: number | null;
  readonly failed: number | null;
  readonly skipped: number | null;
  readonly command: string | null;
  readonly exitCode: number | null;
  /** Commit the tests ran on (full or abbreviated sha), when given. */
  readonly commit: string | null;
  readonly source: Source;
}

/** The outcome of the latest turn / run, normalized from result.json of any dialect. */
export interface ResultReport {
  readonly dialect: Dialect;
  readonly ok: boolean | null;
  readonly finishedAt: number | null;
  readonly summary: string | null;
  readonly tests: TestReport | null;
  readonly failureClass: string | null;
  readonly detail: string | null;
  readonly commit: string | null;
  readonly sessionId: string | null;
  readonly extras: Readonly<Record<string, unknown>>;
  readonly source: Source;
}

/** One lane event (one line of events.jsonl / hook-events.jsonl), normalized. */
export interface LaneEvent {
  readonly dialect: Dialect;
  /** Event name verbatim: claw-code LaneEventName, `steer.acknowledged`, or `hook.<HookEventName>`. */
  readonly name: string;
  readonly status: string | null;
  /** emittedAt / receive time in epoch ms, when known. */
  readonly at: number | null;
  readonly failureClass: string | null;
  readonly detail: string | null;
  readonly data: unknown;
  readonly source: Source;
}

/** A bridge file slot: last good value, plus the current problem reading it, if any. */
export interface FileSlot<T> {
  /** Last successfully parsed and normalized value (kept while the file is unreadable). */
  readonly value: T | null;
  /** The raw parsed JSON of the last good read (for the detail pane and --json `raw`). */
  readonly raw: unknown;
  /** When the last good read happened (epoch ms). */
  readonly readAt: number | null;
  /** Current problem (unreadable, oversize, not a file…) and since when; null when fine. */
  readonly error: { readonly message: string; readonly since: number } | null;
  /** True when the file does not exist (not an error: workers may not have written it yet). */
  readonly missing: boolean;
}

/** Everything the reducer has folded out of a lane's events so far. */
export interface EventFold {
  /** Agent status implied by the latest status-bearing event (hooks have nothing else). */
  readonly agent: AgentReport | null;
  /** Active blockers raised by events, keyed by failureClass. */
  readonly blockers: Readonly<Record<string, Blocker>>;
  /** Tests implied by lane.red / lane.green events. */
  readonly tests: TestReport | null;
  /** Steering message ids acknowledged by `steer.acknowledged` events. */
  readonly acked: readonly string[];
  /** Last events, newest last (bounded ring). */
  readonly recent: readonly LaneEvent[];
  /** Last "meaningful" event (not heartbeat-like tool chatter). */
  readonly lastMeaningful: LaneEvent | null;
  /** Total events folded (count). */
  readonly count: number;
}

/** The bridge side of a lane. */
export interface BridgeState {
  readonly state: FileSlot<AgentReport>;
  readonly result: FileSlot<ResultReport>;
  /** claw-code `.claw/worker-state.json` in the worktree. */
  readonly claw: FileSlot<AgentReport>;
  readonly events: EventFold;
  /** Problems with the events file(s) (unparseable line, oversize line, unreadable). */
  readonly eventsError: {
    readonly message: string;
    readonly since: number;
    /** True when one bad line caused it: the next good line clears it. */
    readonly line?: boolean;
  } | null;
  /** Problem with the bridge directory itself (missing, not a dir, unreadable, watch error). */
  readonly dirError: { readonly message: string; readonly since: number } | null;
  /** Last trap the board replaced instead of writing through (symlink…), until cleared. */
  readonly writeProblem: { readonly message: string; readonly since: number } | null;
}

/** One steering message the operator sent. */
export interface SteerMessage {
  readonly id: string;
  readonly text: string;
  readonly sentAt: number;
  readonly via: 'inbox' | 'stdin' | 'command';
  /** pending → delivered (acknowledged) | failed (could not hand over) ; "not delivered" is derived from age. */
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly error: string | null;
  readonly ackAt: number | null;
}

/** Everything known about one lane. */
export interface LaneState {
  readonly config: LaneConfig;
  readonly git: GitState;
  readonly worker: WorkerState;
  readonly bridge: BridgeState;
  readonly steering: readonly SteerMessage[];
  /** Operator cleared sticky blockers (workspace_mismatch) at this time (epoch ms). */
  readonly clearedAt: number | null;
  /** Notifications of this lane are muted (`m`). @default false (absent) */
  readonly muted?: boolean;
  /** The last `on:` command that ended: its event, outcome and failure in words. */
  readonly onCommand?: {
    readonly event: string;
    readonly ok: boolean;
    readonly message: string | null;
    readonly at: number;
  } | null;
  /** Set on the fleet board for a lane another host runs (src/state/fleet-lanes.ts). */
  readonly remote?: RemoteLane | null;
}

/**
 * A lane another fleet host runs, as its last published value (docs/fleet.md): the view
 * it published, the KV revision it came with (server-assigned, higher is newer) and
 * whether its host is online (false: greyed, last published state).
 */
export interface RemoteLane {
  readonly host: string;
  /** The lane's id on its host (the board id is `<host>/<laneId>`). */
  readonly laneId: string;
  readonly revision: number;
  readonly online: boolean;
  /** The published lane, read back (ages as published; see remoteLaneView). */
  readonly view: LaneView;
  /** Board-clock time (epoch ms) this revision arrived. */
  readonly arrivedAt: number;
  /** Host-clock time (epoch ms) the host wrote it (`publishedAt`); null if not given. */
  readonly publishedAt: number | null;
}

/** The whole board state held by the store. */
export interface BoardState {
  /** Current time as last told by the clock (epoch ms); selectors derive ages from it. */
  readonly now: number;
  /** Lane ids in lanes.yaml order. */
  readonly order: readonly string[];
  readonly lanes: Readonly<Record<string, LaneState>>;
  /** Board-level problems (watch limit reached, record unreadable…), newest last. */
  readonly notices: readonly { readonly message: string; readonly at: number }[];
  /** Board settings (thresholds the selectors need: heartbeat, steer timeout). */
  readonly settings: BoardSettings;
  /** Where the lanes come from, shown under the header (see {@link ConfigStatus}). */
  readonly configStatus: ConfigStatus;
}

/**
 * The config's standing, shown as a header line when either is set: `banner` for a
 * discovered board ("discovered N worktrees … `laneboard init`"), `error` while an edit
 * of lanes.yaml is broken (`file:line:column: key: what was expected`; the board keeps
 * the last good config until the file is fixed).
 */
export interface ConfigStatus {
  readonly banner: string | null;
  readonly error: string | null;
}
