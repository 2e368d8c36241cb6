/**
 * Contracts between the runtime's parts, the CLI that wires them, and the UI (which sees
 * the runtime only through {@link Controls}). Times are epoch ms, durations ms.
 */
import type { Action } from '../state/actions.js';
import type { SteerMessage } from '../state/types.js';

/** Sends one action into the store. Must never throw back into the caller. */
export type Dispatch = (action: Action) => void;

/** Injectable time source (tests pass a fake; production uses {@link systemClock}). */
export interface Clock {
  /** Epoch ms. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A runtime part that holds resources: `start()` once, `dispose()` releases everything. */
export interface Service {
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * What the operator can do to a lane (the UI's only handle on the runtime).
 * Every method resolves (never rejects) and reports failure through the store.
 */
export interface Controls {
  /** Start a stopped / exited / crash-looped worker; clears operator stop and crash_loop. */
  start(laneId: string): Promise<void>;
  /** Operator stop: SIGTERM the process group, SIGKILL after the grace period; no auto-restart after. */
  stop(laneId: string): Promise<void>;
  /** Stop then start; clears crash_loop; counts as a restart. */
  restart(laneId: string): Promise<void>;
  /** Deliver a steering message by the lane's steer mode; resolves with the recorded message. */
  steer(laneId: string, text: string): Promise<SteerMessage>;
  /** Clear sticky blockers (workspace_mismatch) on a lane. */
  clearBlockers(laneId: string): void;
  /** Number of workers currently running under this board (for the quit confirmation). */
  runningCount(): number;
  /**
   * Answer the lane's permission request that waits for the board (`approvals: board`;
   * keys `a` then `y` / `n`, `laneboard approve|deny`): the decision goes into the lane's
   * bridge (`approvals.jsonl`), where the waiting hook reads it. Resolves with the answered
   * request, or why nothing was written (no request waiting, another request named, a
   * read-only view, a write error). Absent where the board cannot answer.
   */
  readonly approve?: (laneId: string, decision: ApprovalInput) => Promise<ApprovalResult>;
  /** Mute / unmute the lane's notifications (`m`); absent when the board cannot notify. */
  setMuted?(laneId: string, muted: boolean): void;
  /** Adding and removing lanes (board keys `n`, `D`); absent when there is no lanes.yaml to edit. */
  readonly lanes?: LaneAdmin;
}

/** An operator decision for {@link Controls.approve}. */
export interface ApprovalInput {
  readonly behavior: 'allow' | 'deny';
  /** For a deny: what the agent is told (optional; at most 2000 characters kept). */
  readonly message?: string;
  /** The request to answer (default: the one the lane waits on); another id is refused. */
  readonly requestId?: string;
  /** Who decides, recorded with the decision: `board`, `verb` or `api`. @default 'board' */
  readonly by?: string;
}

/** Outcome of {@link Controls.approve}. */
export type ApprovalResult =
  | {
      readonly ok: true;
      /** The answered request id. */
      readonly id: string;
      /** The request's text, e.g. `permission requested: Bash: rm -rf build` (untrusted). */
      readonly detail: string;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Lane management behind the board's `n` and `D` (the same steps as `laneboard add` /
 * `remove`, docs/lanes.md). Each method resolves with one status line for the footer
 * and rejects with an Error whose message says why nothing (or what) was done.
 */
export interface LaneAdmin {
  /** Create lane `id` with the documented defaults (branch = id, base, sibling path). */
  add(id: string): Promise<string>;
  /**
   * What removing lane `id` would lose: its worktree path and a phrase such as
   * "2 uncommitted changes and 1 commit on no other branch", or null when nothing.
   */
  loss(id: string): Promise<{ readonly worktree: string; readonly lost: string | null }>;
  /** Remove lane `id` (confirmed: uncommitted work and unique commits are given up). */
  remove(id: string): Promise<string>;
}
