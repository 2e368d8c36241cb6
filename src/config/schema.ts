/**
 * Shapes of lanes.yaml sections as zod parsers (pure; no I/O, no path resolution).
 * The output is still "raw": paths are as written, defaults not yet applied — see
 * `resolve.ts`. Key names are the YAML ones (snake_case). Reference: docs/lanes-yaml.md.
 */
import { z } from 'zod';
import { GREEN_LEVELS } from '../state/config-types.js';
import type { ApprovalsMode, DialectSetting, SteerConfig } from '../state/config-types.js';
import {
  FAIL,
  addExpected,
  byKind,
  delegate,
  isPlainMap,
  mapOf,
  oneOf,
  value,
} from './schema-kit.js';
import type { Parser } from './schema-kit.js';
import { restartSetting } from './schema-restart.js';
import { parseDuration, parseSize } from './units.js';

const DURATION =
  'a duration (milliseconds, or a string like "500ms", "30s", "5m", "1h"; at most 24 days)';
const SIZE = 'a size (bytes, or a string like "512KB", "5MB")';

/** Duration in ms (see units.ts). */
const duration: Parser<number> = value(DURATION, (v) => parseDuration(v) ?? FAIL);
/** Size in bytes (see units.ts). */
const size: Parser<number> = value(SIZE, (v) => parseSize(v) ?? FAIL);

/** Integer in `[min, max]`. */
function integer(min: number, max: number): Parser<number> {
  return value(`a whole number from ${min} to ${max}`, (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : FAIL,
  );
}

/** Finite number in `[min, max]`. */
function decimal(min: number, max: number): Parser<number> {
  return value(`a number from ${min} to ${max}`, (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : FAIL,
  );
}

const bool: Parser<boolean> = value('true or false', (v) => (typeof v === 'boolean' ? v : FAIL));

/** Non-empty string without NUL (paths, refs): NUL cannot reach a syscall or argv. */
function text(expected: string, ok: (s: string) => boolean = () => true): Parser<string> {
  return value(expected, (v) =>
    typeof v === 'string' && v !== '' && !v.includes('\0') && ok(v) ? v : FAIL,
  );
}

/** A filesystem path as written (relative to the config dir, or absolute, or `~/…`). */
const pathText: Parser<string> = text('a path (non-empty string)');

/** Lane id: `[A-Za-z0-9._-]+`, at most 64 chars, not `.` or `..` (it names a directory). */
export const laneId: Parser<string> = text(
  'a lane id: 1-64 characters from A-Z a-z 0-9 . _ - (not "." or "..")',
  (s) => /^[A-Za-z0-9._-]{1,64}$/.test(s) && s !== '.' && s !== '..',
);

/**
 * Branch name, a subset of `git check-ref-format --branch`: no leading `-` (it would be
 * read as an option), no whitespace/controls, none of `~ ^ : ? * [ \`, no `..`, `@{`, `//`,
 * no leading/trailing `/`, no trailing `.` or `.lock`.
 */
export const branchName: Parser<string> = text(
  'a git branch name (no spaces, no leading "-", none of ~ ^ : ? * [ \\ ..)',
  (s) =>
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u0020\u007f~^:?*[\\]|\.\.|@\{|\/\/|^[-/]|\/$|\.$|\.lock$/.test(s),
);

/** Base ref (branch, remote ref, tag or commit): no leading `-`, no whitespace/controls. */
export const refName: Parser<string> = text(
  'a git ref (no spaces, no leading "-")',
  // eslint-disable-next-line no-control-regex
  (s) => !/[\u0000-\u0020\u007f]|^-/.test(s),
);

const ARGV = 'a non-empty list of strings';

/**
 * Argv list: non-empty, elements strings or numbers (stringified), first element non-empty,
 * no NUL anywhere (a bad element is reported at its own index).
 */
function argvList(expected: string): Parser<string[]> {
  return z.unknown().transform((v, ctx): string[] => {
    if (!Array.isArray(v) || v.length === 0) {
      addExpected(ctx, expected);
      return z.NEVER;
    }
    const out: string[] = [];
    (v as unknown[]).forEach((el, k) => {
      if (typeof el === 'string' && !el.includes('\0') && (k > 0 || el !== '')) out.push(el);
      else if (typeof el === 'number' && Number.isFinite(el)) out.push(String(el));
      else
        addExpected(
          ctx,
          k === 0 ? 'a non-empty program name (string, no NUL)' : 'a string or number (no NUL)',
          [k],
        );
    });
    return out.length === v.length ? out : z.NEVER;
  });
}

/**
 * Worker command: a list (argv, no shell), a string (run as `/bin/sh -c <string>`), or an
 * empty value / `null` (observe-only lane).
 */
const command: Parser<string[] | null> = z.unknown().transform((v, ctx): string[] | null => {
  if (v === null) return null;
  if (typeof v === 'string' && v.trim() !== '' && !v.includes('\0')) return ['/bin/sh', '-c', v];
  return delegate(
    argvList(`${ARGV} (argv, run without a shell), a shell command string, or null`),
    v,
    ctx,
  );
});

/**
 * Environment: map of `[A-Za-z_][A-Za-z0-9_]*` → string/number/boolean (stringified).
 * Built with `Object.fromEntries`, so a key like `__proto__` stays an ordinary own key.
 */
const env: Parser<Record<string, string>> = z
  .unknown()
  .transform((v, ctx): Record<string, string> => {
    if (!isPlainMap(v)) {
      addExpected(ctx, 'a map of environment variables');
      return z.NEVER;
    }
    const entries: [string, string][] = [];
    let ok = true;
    for (const key of Object.keys(v)) {
      const raw = v[key];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        addExpected(ctx, 'an environment variable name ([A-Za-z_][A-Za-z0-9_]*)', [key], true);
        ok = false;
      } else if (
        (typeof raw === 'string' && !raw.includes('\0')) ||
        typeof raw === 'number' ||
        typeof raw === 'boolean'
      ) {
        entries.push([key, String(raw)]);
      } else {
        addExpected(ctx, 'a string, number or boolean (no NUL)', [key]);
        ok = false;
      }
    }
    return ok ? Object.fromEntries(entries) : z.NEVER;
  });

/** Worktree: a path string, or `{ path, create? }`. */
const worktree: Parser<{ path: string; create: boolean }> = byKind(
  'a path string, or a map { path: ..., create: true }',
  pathText.transform((path) => ({ path, create: false })),
  mapOf({ path: pathText, create: bool.optional() }).transform((m) => ({
    path: m.path,
    create: m.create ?? false,
  })),
);

/** What `steer` accepts, in every error about it (a wrong word names the map form too). */
const STEER_EXPECTED = 'one of inbox | stdin, or a map { command: [...] }';

/** Steering: `inbox`, `stdin`, or `{ command: [argv…] }` with `{message}` etc. placeholders. */
const steer: Parser<SteerConfig> = byKind<SteerConfig, SteerConfig>(
  STEER_EXPECTED,
  value(STEER_EXPECTED, (v) => (v === 'inbox' || v === 'stdin' ? v : FAIL)).transform(
    (mode): SteerConfig => ({ mode }),
  ),
  mapOf({ command: argvList(`${ARGV} (argv, run without a shell)`) }).transform(
    (m): SteerConfig => ({ mode: 'command', argv: m.command }),
  ),
);

/**
 * `on:` map: event (attention, blocked, red, green, finished, crash_loop, exited) → a
 * command as for `command` (argv, shell string); `null` unsets a default for one lane.
 */
const onMap = mapOf({
  attention: command.optional(),
  blocked: command.optional(),
  red: command.optional(),
  green: command.optional(),
  finished: command.optional(),
  crash_loop: command.optional(),
  exited: command.optional(),
});

/** Keys a lane may set that `defaults` may set too (all optional). */
const sharedLaneKeys = {
  repo: pathText.optional(),
  base: refName.optional(),
  command: command.optional(),
  env: env.optional(),
  bridge: pathText.optional(),
  autostart: bool.optional(),
  restart: restartSetting({ command, duration }).optional(),
  steer: steer.optional(),
  dialect: oneOf<DialectSetting>([
    'auto',
    'native',
    'claw-code',
    'live-bridge',
    'claude-hooks',
  ]).optional(),
  required_level: oneOf(GREEN_LEVELS).optional(),
  on: onMap.optional(),
  approvals: oneOf<ApprovalsMode>(['agent', 'board']).optional(),
};

/** One `lanes[]` entry as written (defaults not merged yet). */
export const rawLane = mapOf({ id: laneId, worktree, branch: branchName, ...sharedLaneKeys });
/** Parsed `lanes[]` entry. */
export type RawLane = z.output<typeof rawLane>;

const PER_LANE = 'is per-lane and cannot be set in defaults';
/** The `defaults` map: any lane key except id, worktree, branch. */
export const rawDefaults = mapOf(sharedLaneKeys, {
  id: PER_LANE,
  worktree: PER_LANE,
  branch: PER_LANE,
});
/** Parsed `defaults`. */
export type RawDefaults = z.output<typeof rawDefaults>;

/** The `settings` map (every key optional; unset keys keep DEFAULT_SETTINGS). */
export const rawSettings = mapOf({
  heartbeat: mapOf({
    warn: duration.optional(),
    stale: duration.optional(),
    dead: duration.optional(),
  }).optional(),
  backoff: mapOf({
    initial: duration.optional(),
    max: duration.optional(),
    factor: decimal(1, 100).optional(),
    jitter: decimal(0, 1).optional(),
  }).optional(),
  crash_loop: mapOf({
    max_restarts: integer(0, 1000).optional(),
    window: duration.optional(),
  }).optional(),
  stable_after: duration.optional(),
  stop_grace: duration.optional(),
  steer_timeout: duration.optional(),
  log: mapOf({ max_size: size.optional(), files: integer(0, 100).optional() }).optional(),
  orphans: oneOf(['adopt', 'stop'] as const).optional(),
  max_bridge_file: size.optional(),
  git_timeout: duration.optional(),
  diff_stats: bool.optional(),
  worktree_setup: mapOf({
    command: command.optional(),
    copy: z.array(pathText).optional(),
  }).optional(),
  fleet: mapOf({
    nats: text('a NATS server URL (nats://host:port)').optional(),
    host: text('a host name').optional(),
    creds: pathText.optional(),
  }).optional(),
  notify: mapOf({
    attention: bool.optional(),
    rate_limit: bool.optional(),
    crash_loop: bool.optional(),
    red: bool.optional(),
    finished: bool.optional(),
    exited: bool.optional(),
    terminal: bool.optional(),
    command: command.optional(),
  }).optional(),
  on_timeout: duration.optional(),
});
/** Parsed `settings`. */
export type RawSettings = z.output<typeof rawSettings>;

/** Top level: sections are parsed separately so one bad section does not hide the others. */
export const rawTop = mapOf({
  version: value('1 (the only config version this laneboard reads)', (v) =>
    v === 1 ? 1 : FAIL,
  ).optional(),
  settings: z.unknown().optional(),
  defaults: z.unknown().optional(),
  lanes: value('a non-empty list of lanes', (v) =>
    Array.isArray(v) && v.length > 0 ? (v as unknown[]) : FAIL,
  ),
});
