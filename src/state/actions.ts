/**
 * The union of every action the runtime (and the operator, via the runtime) dispatches
 * into the store. Each carries the lane id it concerns and the time it was observed
 * (`at`, epoch ms); the reducer in ./reducer.ts handles every variant exhaustively.
 */
import type { BoardSettings, LaneConfig } from './config-types.js';
import type { GitInfo, SteerMessage, WorkerState } from './types.js';
import type { RemoteLaneInput } from './fleet-lanes.js';

/** Which bridge document a `bridge/doc` action carries. */
export type BridgeDocKind = 'state' | 'result' | 'claw';

/**
 * One parsed line of an events file: the JSON value, or a parse problem for that line.
 * `line` is 1-based within the file (0 = unknown: reading began inside a large file); `file` is the file name relative to the bridge dir.
 */
export type EventLine =
  | { readonly ok: true; readonly value: unknown; readonly line: number; readonly file: string }
  | { readonly ok: false; readonly error: string; readonly line: number; readonly file: string };

/** Every action. */
export type Action =
  /** Replace the lane set (board start / config reload); keeps state of lanes that remain. */
  | {
      readonly type: 'lanes/configured';
      readonly lanes: readonly LaneConfig[];
      /** Board settings; omitted = keep the current ones. */
      readonly settings?: BoardSettings;
      readonly at: number;
    }
  /** Clock tick: advances `now` (ages, countdowns, heartbeat liveness, steer timeouts). */
  | { readonly type: 'clock/tick'; readonly at: number }
  /** A bridge document was read and JSON-parsed (not yet normalized). */
  | {
      readonly type: 'bridge/doc';
      readonly laneId: string;
      readonly kind: BridgeDocKind;
      /** File name relative to the bridge dir (or worktree for claw), for Source. */
      readonly file: string;
      readonly raw: unknown;
      readonly at: number;
    }
  /** A bridge document is missing (deleted or never written). */
  | {
      readonly type: 'bridge/missing';
      readonly laneId: string;
      readonly kind: BridgeDocKind;
      readonly at: number;
    }
  /** A bridge document could not be read or parsed (keep last good value). */
  | {
      readonly type: 'bridge/docError';
      readonly laneId: string;
      readonly kind: BridgeDocKind;
      readonly message: string;
      readonly at: number;
    }
  /** New complete lines from an events file (in file order). */
  | {
      readonly type: 'bridge/events';
      readonly laneId: string;
      readonly lines: readonly EventLine[];
      readonly at: number;
    }
  /** Problem with the events file (unreadable, oversize line), or null to clear it. */
  | {
      readonly type: 'bridge/eventsError';
      readonly laneId: string;
      readonly message: string | null;
      readonly at: number;
    }
  /**
   * The board found a trap (a symlink, FIFO, hard link…) at a bridge file it writes and
   * replaced it instead of writing through it (runtime/bridge/safe-write.ts). Sticky on
   * the lane until the operator clears blockers.
   */
  | {
      readonly type: 'bridge/writeProblem';
      readonly laneId: string;
      readonly message: string;
      readonly at: number;
    }
  /** Problem with the bridge directory itself, or null to clear it. */
  | {
      readonly type: 'bridge/dirError';
      readonly laneId: string;
      readonly message: string | null;
      readonly at: number;
    }
  /** Git probe result. */
  | {
      readonly type: 'git/ok';
      readonly laneId: string;
      readonly info: GitInfo;
      readonly at: number;
    }
  | {
      readonly type: 'git/error';
      readonly laneId: string;
      readonly error: string;
      readonly code: string;
      readonly at: number;
    }
  /** Supervisor: the worker's whole state changed. */
  | {
      readonly type: 'worker/updated';
      readonly laneId: string;
      readonly worker: WorkerState;
      readonly at: number;
    }
  /** A steering message was handed over (or failed to be). */
  | {
      readonly type: 'steer/sent';
      readonly laneId: string;
      readonly message: SteerMessage;
      readonly at: number;
    }
  /** Operator muted / unmuted the lane's notifications (`m`). */
  | {
      readonly type: 'lane/mute';
      readonly laneId: string;
      readonly muted: boolean;
      readonly at: number;
    }
  /** An `on:` command of the lane ended: ok, or its failure in words. */
  | {
      readonly type: 'lane/onCommand';
      readonly laneId: string;
      readonly event: string;
      readonly ok: boolean;
      readonly message: string | null;
      readonly at: number;
    }
  /** Operator cleared sticky blockers (workspace_mismatch) on a lane. */
  | { readonly type: 'lane/clearBlockers'; readonly laneId: string; readonly at: number }
  /** Fleet board: the fleet reader's whole set of remote lanes (src/state/fleet-lanes.ts). */
  | {
      readonly type: 'fleet/lanes';
      readonly lanes: readonly RemoteLaneInput[];
      readonly at: number;
    }
  /** A board-level notice (watch limit, record problems). */
  | { readonly type: 'board/notice'; readonly message: string; readonly at: number }
  /** The config's standing changed (discovered banner, broken lanes.yaml edit or its fix). */
  | {
      readonly type: 'config/status';
      readonly banner: string | null;
      readonly error: string | null;
      readonly at: number;
    };

/** Narrow an action type by its discriminant. */
export type ActionOf<T extends Action['type']> = Extract<Action, { type: T }>;
