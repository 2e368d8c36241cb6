/**
 * Turn parsed ("raw") sections into resolved config values: defaults applied, paths made
 * absolute, durations already in ms (pure except for `path` arithmetic; no I/O).
 */
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../state/config-types.js';
import type { BoardSettings, LaneConfig } from '../state/config-types.js';
import { LANES_DIR, OWN_DIR } from '../state/state-files.js';
import { missingKey } from './issues.js';
import type { PathIssue } from './issues.js';
import type { RawDefaults, RawLane, RawSettings } from './schema.js';
import { resolveAttention, resolveOn } from './resolve-attention.js';
import { quote } from './text.js';
import { resolveRestart } from './schema-restart.js';

/** Where relative paths resolve from. */
export interface ResolveContext {
  /** Absolute directory of the config file. */
  readonly dir: string;
  /** Home directory that `~` expands to. */
  readonly home: string;
}

/**
 * Absolute path for a path as written: `~` and `~/x` expand to `home` (`~user` is not
 * expanded and stays relative), relative paths resolve against `dir`; result normalized.
 */
export function expandPath(p: string, ctx: ResolveContext): string {
  if (p === '~') return path.resolve(ctx.home);
  if (p.startsWith('~/')) return path.resolve(ctx.home, p.slice(2));
  return path.resolve(ctx.dir, p);
}

/**
 * Merge `settings` over {@link DEFAULT_SETTINGS} (key by key, nested maps too) and check
 * the orderings: heartbeat `warn ≤ stale ≤ dead`, backoff `initial ≤ max`.
 * @returns the settings, and issues (paths under `settings`) for broken orderings.
 */
export function resolveSettings(raw: RawSettings | undefined): {
  settings: BoardSettings;
  issues: PathIssue[];
} {
  const d = DEFAULT_SETTINGS;
  const r = raw ?? {};
  const settings: BoardSettings = {
    heartbeat: {
      warnMs: r.heartbeat?.warn ?? d.heartbeat.warnMs,
      staleMs: r.heartbeat?.stale ?? d.heartbeat.staleMs,
      deadMs: r.heartbeat?.dead ?? d.heartbeat.deadMs,
    },
    backoff: {
      initialMs: r.backoff?.initial ?? d.backoff.initialMs,
      maxMs: r.backoff?.max ?? d.backoff.maxMs,
      factor: r.backoff?.factor ?? d.backoff.factor,
      jitter: r.backoff?.jitter ?? d.backoff.jitter,
    },
    crashLoop: {
      maxRestarts: r.crash_loop?.max_restarts ?? d.crashLoop.maxRestarts,
      windowMs: r.crash_loop?.window ?? d.crashLoop.windowMs,
    },
    stableMs: r.stable_after ?? d.stableMs,
    stopGraceMs: r.stop_grace ?? d.stopGraceMs,
    steerTimeoutMs: r.steer_timeout ?? d.steerTimeoutMs,
    logMaxBytes: r.log?.max_size ?? d.logMaxBytes,
    logFiles: r.log?.files ?? d.logFiles,
    orphans: r.orphans ?? d.orphans,
    maxBridgeFileBytes: r.max_bridge_file ?? d.maxBridgeFileBytes,
    gitTimeoutMs: r.git_timeout ?? d.gitTimeoutMs,
    diffStats: r.diff_stats ?? d.diffStats,
    worktreeSetup: {
      command: r.worktree_setup?.command ?? d.worktreeSetup.command,
      copy: r.worktree_setup?.copy ?? d.worktreeSetup.copy,
    },
    ...resolveAttention(r),
    ...(r.fleet ? { fleet: r.fleet } : {}),
  };
  const issues: PathIssue[] = [];
  const hb = settings.heartbeat;
  const hbSet = r.heartbeat ?? {};
  // Blame a key the operator actually wrote (the later one of the pair when both are written).
  const blame = (a: string, b: string): string => (Object.hasOwn(hbSet, b) ? b : a);
  if (hb.warnMs > hb.staleMs) {
    issues.push({
      path: ['settings', 'heartbeat', blame('warn', 'stale')],
      message: `heartbeat warn (${hb.warnMs} ms) must not exceed stale (${hb.staleMs} ms)`,
    });
  }
  if (hb.staleMs > hb.deadMs) {
    issues.push({
      path: ['settings', 'heartbeat', blame('stale', 'dead')],
      message: `heartbeat stale (${hb.staleMs} ms) must not exceed dead (${hb.deadMs} ms)`,
    });
  }
  const bo = settings.backoff;
  if (bo.initialMs > bo.maxMs) {
    const key = r.backoff && Object.hasOwn(r.backoff, 'max') ? 'max' : 'initial';
    issues.push({
      path: ['settings', 'backoff', key],
      message: `backoff initial (${bo.initialMs} ms) must not exceed max (${bo.maxMs} ms)`,
    });
  }
  return { settings, issues };
}

/** A resolved lane plus where its `repo` came from (for positioning repo problems). */
export interface ResolvedLane {
  readonly lane: LaneConfig;
  /** Position of the lane in `lanes`. */
  readonly index: number;
  /** Path of the `repo` value used: `['lanes', i, 'repo']` or `['defaults', 'repo']`. */
  readonly repoPath: readonly (string | number)[];
  /** `repo` as written (before resolution), for messages. */
  readonly repoWritten: string;
  /**
   * Path of the `bridge` value used (`['lanes', i, 'bridge']` or `['defaults', 'bridge']`),
   * or null when the lane uses the default bridge under the config directory.
   */
  readonly bridgePath: readonly (string | number)[] | null;
}

/**
 * Apply `defaults` under one lane and resolve it. Lane keys win; `env` maps merge key by
 * key (lane wins); `command: null` on a lane overrides a default command. Defaults:
 * base `main`, bridge `<dir>/.laneboard/lanes/<id>`, autostart = has a command (an
 * observe-only lane never autostarts, even with `autostart: true`), restart `on-failure`,
 * steer inbox, dialect `auto`, required_level `package`, approvals `agent`.
 * @param index position in `lanes` (for issue paths).
 * @returns the lane, or `issues` (a missing `repo`) and no lane.
 */
export function resolveLane(
  raw: RawLane,
  defs: RawDefaults,
  index: number,
  ctx: ResolveContext,
): { resolved: ResolvedLane | null; issues: PathIssue[] } {
  const repoWritten = raw.repo ?? defs.repo;
  if (repoWritten === undefined) {
    const hint = ' (set it on the lane or under defaults)';
    return { resolved: null, issues: [missingKey(['lanes', index], 'repo', hint)] };
  }
  const command = raw.command !== undefined ? raw.command : (defs.command ?? null);
  const bridge = raw.bridge ?? defs.bridge;
  const lane: LaneConfig = {
    id: raw.id,
    repo: expandPath(repoWritten, ctx),
    worktree: expandPath(raw.worktree.path, ctx),
    branch: raw.branch,
    base: raw.base ?? defs.base ?? 'main',
    command,
    env: { ...defs.env, ...raw.env },
    bridge:
      bridge !== undefined
        ? expandPath(bridge, ctx)
        : path.join(ctx.dir, OWN_DIR, LANES_DIR, raw.id),
    autostart: command !== null && (raw.autostart ?? defs.autostart ?? true),
    ...resolveRestart(defs.restart, raw.restart),
    steer: raw.steer ?? defs.steer ?? { mode: 'inbox' },
    createWorktree: raw.worktree.create,
    dialect: raw.dialect ?? defs.dialect ?? 'auto',
    requiredLevel: raw.required_level ?? defs.required_level ?? 'package',
    // Set only when written (absent means 'agent'), so lanes without it compare as before.
    ...((raw.approvals ?? defs.approvals) ? { approvals: raw.approvals ?? defs.approvals } : {}),
    ...resolveOn(defs.on, raw.on),
  };
  const repoPath = raw.repo !== undefined ? ['lanes', index, 'repo'] : ['defaults', 'repo'];
  const bridgePath =
    raw.bridge !== undefined
      ? ['lanes', index, 'bridge']
      : defs.bridge !== undefined
        ? ['defaults', 'bridge']
        : null;
  return { resolved: { lane, index, repoPath, repoWritten, bridgePath }, issues: [] };
}

/** Message for a repo that failed `gitRepoProblem` (written form and absolute form). */
export function repoMessage(written: string, abs: string, problem: string): string {
  const a = quote(abs, 500);
  return written === abs ? `repo ${a} ${problem}` : `repo ${quote(written, 500)} (${a}) ${problem}`;
}
