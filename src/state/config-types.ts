/**
 * Resolved configuration types: what `lanes.yaml` becomes after validation and path
 * resolution (see src/config). Pure data, shared by runtime, state and ui.
 */

/** Restart policy of a supervised worker (lanes.yaml `restart`). */
export type RestartPolicy = 'never' | 'on-failure' | 'always';

/**
 * What a lane does when its agent is rate limited (lanes.yaml `restart.on_rate_limit`):
 * `policy` = nothing special (the restart policy applies to an exit, as before);
 * `park` = no restart while the limit stands (the operator starts it again);
 * `resume` = park, then at the reset time (plus jitter) send `resumeMessage` through the
 * steering channel to a running worker, or start the worker with `resumeCommand`.
 */
export type RateLimitAction = 'policy' | 'park' | 'resume';

/** Usage-limit handling of a lane (resolved `restart` map; docs/lanes-yaml.md). */
export interface RateLimitConfig {
  readonly action: RateLimitAction;
  /**
   * Argv that resumes the session (placeholders `{session}`, `{id}`, `{worktree}`,
   * `{bridge}`), or null to start the lane's own command again.
   */
  readonly resumeCommand: readonly string[] | null;
  /** Text sent through the steering channel to a worker that still runs. @default 'continue' */
  readonly resumeMessage: string;
  /** Without a reset time: first retry after this (ms), doubled per retry. @default 300 000 */
  readonly probeMs: number;
  /** Cap of the doubled probe interval (ms). @default 1 800 000 */
  readonly probeMaxMs: number;
  /** Random delay 0…jitterMs added to each due time (ms). @default 60 000 */
  readonly jitterMs: number;
}

/** The defaults of {@link RateLimitConfig} (`on_rate_limit: policy`). */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  action: 'policy',
  resumeCommand: null,
  resumeMessage: 'continue',
  probeMs: 300_000,
  probeMaxMs: 1_800_000,
  jitterMs: 60_000,
};

/**
 * How the board delivers a steering message to a lane's worker (lanes.yaml `steer`).
 * - `inbox`: append `{id,time,text}` to `<bridge>/inbox.jsonl` (bridge contract v1).
 * - `stdin`: write the text plus `\n` to the worker's stdin.
 * - `command`: run `argv` (no shell); the tokens `{message}`, `{id}`, `{lane}`,
 *   `{worktree}`, `{bridge}` inside any element are replaced by the value, as data.
 */
export type SteerConfig =
  | { readonly mode: 'inbox' }
  | { readonly mode: 'stdin' }
  | { readonly mode: 'command'; readonly argv: readonly string[] };

/** Bridge dialect of a lane; `auto` detects by shape (bridge contract "Foreign dialects"). */
export type DialectSetting = 'auto' | 'native' | 'claw-code' | 'live-bridge' | 'claude-hooks';

/**
 * Who answers an agent's permission requests (lanes.yaml `approvals`): `agent` — its own
 * prompt, as without laneboard; `board` — the PermissionRequest hook waits for the
 * operator's answer from the board or `laneboard approve|deny` (docs/agents.md "Approvals").
 */
export type ApprovalsMode = 'agent' | 'board';

/**
 * Lane transitions an `on:` command can be bound to (lanes.yaml `on`, see
 * src/state/attention.ts for when each fires).
 */
export const ON_EVENTS = [
  'attention',
  'blocked',
  'red',
  'green',
  'finished',
  'crash_loop',
  'exited',
] as const;
/** One of {@link ON_EVENTS}. */
export type OnEvent = (typeof ON_EVENTS)[number];

/** Notification kinds (lanes.yaml `settings.notify` turns each on or off). */
export const NOTIFY_KINDS = [
  'attention',
  'rate_limit',
  'crash_loop',
  'red',
  'finished',
  'exited',
] as const;
/** One of {@link NOTIFY_KINDS}. */
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** Desktop notifications of the board (lanes.yaml `settings.notify`). */
export interface NotifySettings {
  /** Which transitions notify. @default every kind on */
  readonly kinds: Readonly<Record<NotifyKind, boolean>>;
  /** Write OSC 9 + BEL to the board's terminal. @default true */
  readonly terminal: boolean;
  /** A command run with the text of each notification (argv), or null. @default null */
  readonly command: readonly string[] | null;
}

/** Green levels, ordered weakest first (claw-code names). */
export const GREEN_LEVELS = [
  'none',
  'targeted_tests',
  'package',
  'workspace',
  'merge_ready',
] as const;
/** One of {@link GREEN_LEVELS}. */
export type GreenLevel = (typeof GREEN_LEVELS)[number];

/** One lane after validation. All paths are absolute (resolved against the config file's dir). */
export interface LaneConfig {
  /** Unique lane id (`[A-Za-z0-9._-]+`; `<host>/<lane>` for a remote lane on the fleet board). */
  readonly id: string;
  /** Fleet board only: the host a remote lane runs on (absent for this machine's lanes). */
  readonly host?: string;
  /** Absolute path of the repository (main worktree or bare repo). */
  readonly repo: string;
  /** Absolute path of the lane's git worktree. */
  readonly worktree: string;
  /** realpath of the worktree when it existed at load time (symlinked paths compare equal). */
  readonly worktreeRealpath?: string;
  /** Branch the lane works on. */
  readonly branch: string;
  /** Ref to measure freshness against. @default 'main' */
  readonly base: string;
  /** Worker argv, or null for an observe-only lane (worker started by another tool). */
  readonly command: readonly string[] | null;
  /** Extra environment for the worker. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute bridge directory. @default `<config dir>/.laneboard/lanes/<id>` */
  readonly bridge: string;
  /** Start the worker when the board starts. @default true when a command is set */
  readonly autostart: boolean;
  /** @default 'on-failure' */
  readonly restart: RestartPolicy;
  /** Usage-limit handling (`restart.on_rate_limit` …). @default {@link DEFAULT_RATE_LIMIT} */
  readonly rateLimit?: RateLimitConfig;
  /** @default { mode: 'inbox' } */
  readonly steer: SteerConfig;
  /** Create the worktree with `git worktree add` when missing. @default false */
  readonly createWorktree: boolean;
  /** @default 'auto' */
  readonly dialect: DialectSetting;
  /** Who answers permission requests. @default 'agent' (absent: 'agent') */
  readonly approvals?: ApprovalsMode;
  /** Green level required for merge readiness. @default 'package' */
  readonly requiredLevel: GreenLevel;
  /**
   * `on:` commands by event (argv; a shell string is `/bin/sh -c <string>`), defaults merged
   * under the lane's own. @default {} (absent: none)
   */
  readonly on?: Readonly<Partial<Record<OnEvent, readonly string[]>>>;
}

/** Board-wide tunables (lanes.yaml `defaults` / `settings`); all durations in ms. */
export interface BoardSettings extends AttentionSettings {
  /** Heartbeat age thresholds (ms): healthy ≤ warn < … ≤ stale < … ≤ dead. */
  readonly heartbeat: {
    readonly warnMs: number;
    readonly staleMs: number;
    readonly deadMs: number;
  };
  /** Restart backoff: delay = min(maxMs, initialMs·factor^n) ± jitter fraction. */
  readonly backoff: {
    readonly initialMs: number;
    readonly maxMs: number;
    readonly factor: number;
    readonly jitter: number;
  };
  /** `crash_loop` after more than `maxRestarts` restarts within `windowMs`. */
  readonly crashLoop: { readonly maxRestarts: number; readonly windowMs: number };
  /** A run longer than this resets the backoff (ms). */
  readonly stableMs: number;
  /** SIGTERM → SIGKILL grace period (ms). */
  readonly stopGraceMs: number;
  /** Steering message unacknowledged after this ⇒ "not delivered" (ms). */
  readonly steerTimeoutMs: number;
  /** worker.log cap before rotation (bytes) and rotated files kept (count). */
  readonly logMaxBytes: number;
  readonly logFiles: number;
  /** What a new board does with live workers recorded by a board that died. */
  readonly orphans: 'adopt' | 'stop';
  /** Bridge files larger than this are not read (bytes); shown as oversize. */
  readonly maxBridgeFileBytes: number;
  /** Timeout of one git call (ms). */
  readonly gitTimeoutMs: number;
  /**
   * Compute each lane's `git.diff` (+ins −del) with the git probes (`diff_stats`, default
   * true); false leaves it null (shown `—`) and spawns no git for it. Read at start.
   */
  readonly diffStats: boolean;
  /**
   * Setup of a worktree made by `laneboard add`: `command` (argv, or null for none) runs
   * in the new worktree; `copy` lists git-ignored files (paths relative to the worktree
   * root) copied from the main worktree. @default { command: null, copy: [] }
   */
  readonly worktreeSetup: {
    readonly command: readonly string[] | null;
    readonly copy: readonly string[];
  };
  /**
   * Fleet mode (docs/fleet.md): NATS server URL, this host's name, credentials file
   * (relative to the config's directory). Absent ⇒ `--nats` / LANEBOARD_NATS_URL decide.
   */
  readonly fleet?: { readonly nats?: string; readonly host?: string; readonly creds?: string };
}

/** Board settings of the operator's attention loop (see {@link BoardSettings}). */
export interface AttentionSettings {
  /** Desktop notifications. */
  readonly notify: NotifySettings;
  /** An `on:` command is killed after this long (ms). @default 30 s */
  readonly onTimeoutMs: number;
}

/** The whole validated configuration. */
export interface BoardConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** Directory of the config file (paths resolve against it). */
  readonly dir: string;
  /** Directory for board-owned state (supervisor record). @default `<dir>/.laneboard` */
  readonly stateDir: string;
  readonly settings: BoardSettings;
  /** Lanes in file order. */
  readonly lanes: readonly LaneConfig[];
}

/** Default settings (documented in README "lanes.yaml reference"). */
export const DEFAULT_SETTINGS: BoardSettings = {
  heartbeat: { warnMs: 30_000, staleMs: 60_000, deadMs: 300_000 },
  backoff: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 },
  crashLoop: { maxRestarts: 5, windowMs: 120_000 },
  stableMs: 30_000,
  stopGraceMs: 3_000,
  steerTimeoutMs: 60_000,
  logMaxBytes: 5 * 1024 * 1024,
  logFiles: 2,
  orphans: 'adopt',
  maxBridgeFileBytes: 4 * 1024 * 1024,
  gitTimeoutMs: 5_000,
  diffStats: true,
  worktreeSetup: { command: null, copy: [] },
  notify: {
    kinds: {
      attention: true,
      rate_limit: true,
      crash_loop: true,
      red: true,
      finished: true,
      exited: true,
    },
    terminal: true,
    command: null,
  },
  onTimeoutMs: 30_000,
};
