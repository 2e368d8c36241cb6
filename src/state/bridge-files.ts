/**
 * The file names of the bridge contract, in one place (docs/bridge-contract.md, "Files a worker
 * writes" and "What the board writes"). Every reader and writer of a bridge dir — the
 * bridge watcher, the supervisor, steering, `laneboard hook`, the views' problem labels —
 * takes its names from here. Pure constants.
 */

/** File names inside a lane's bridge dir. */
export const BRIDGE_FILE = {
  /** The worker's state document (whole-file JSON, rewritten as a heartbeat). */
  state: 'state.json',
  /** The outcome of the latest turn / run (whole-file JSON). */
  result: 'result.json',
  /** The worker's append-only event log (JSONL). */
  events: 'events.jsonl',
  /** Events `laneboard hook` (and the rollout watch) append for agent CLIs (JSONL). */
  hookEvents: 'hook-events.jsonl',
  /** Steering messages the board appends for the worker (JSONL). */
  inbox: 'inbox.jsonl',
  /** `laneboard hook`'s record of which inbox messages it handed to the agent (JSON). */
  inboxDelivered: 'inbox.delivered.json',
  /** The operator's approval decisions the waiting hook reads (JSONL). */
  approvals: 'approvals.jsonl',
  /** The worker's stdout + stderr, size-capped and rotated (`worker.log.1`, …). */
  workerLog: 'worker.log',
} as const;

/** claw-code's state directory, relative to the lane's worktree. */
export const CLAW_DIR = '.claw';
/** claw-code's worker state file name inside {@link CLAW_DIR}. */
export const CLAW_FILE_NAME = 'worker-state.json';
/** claw-code's worker state file relative to the worktree, as named in messages. */
export const CLAW_FILE = `${CLAW_DIR}/${CLAW_FILE_NAME}`;
