/**
 * lanes.yaml loading and validation — public API of `src/config`:
 * - `loadConfig(file, opts?)` → `Promise<BoardConfig>`: reads the file (guarded) and validates it.
 * - `parseConfig(text, file, opts?)` → `BoardConfig`: validates text (`opts.checkRepos`
 *   default true; `opts.home` for `~`).
 * - `ConfigError` (`issues: ConfigIssue[]`, each `{ file, line, column, path, message,
 *   expected? }`) and `formatConfigError(err)` → one `file:line:col: path: message` per line.
 * - `parseDuration` / `parseSize` for the same literals elsewhere.
 * Both loaders throw only `ConfigError`, and report every problem found at once.
 *
 * ## lanes.yaml reference (copied to docs/lanes-yaml.md and the README)
 *
 * Relative paths resolve against the directory of the config file; `~` and `~/…` expand to
 * `$HOME`. Durations are milliseconds (a number) or strings `"500ms"`, `"30s"`, `"5m"`,
 * `"1h"` (at most 24 days). Sizes are bytes (a number) or strings `"512KB"`, `"5MB"`,
 * `"1GB"` (binary: 1 KB = 1024 bytes; `KiB`/`MiB` also accepted). Unknown keys are errors
 * at every level. Board state lives in `<config dir>/.laneboard` (`stateDir`).
 *
 * Top level:
 * - `version` (optional): must be `1`.
 * - `settings` (optional map): board-wide tunables → `BoardSettings`; every key optional:
 *   - `heartbeat: { warn, stale, dead }` durations, default 30s / 60s / 5m; must be
 *     warn ≤ stale ≤ dead.
 *   - `backoff: { initial, max, factor, jitter }` restart delay = min(max, initial·factorⁿ)
 *     ± jitter; defaults 1s / 60s / 2 / 0.2; factor 1..100, jitter 0..1, initial ≤ max.
 *   - `crash_loop: { max_restarts, window }` crash loop after more than max_restarts
 *     (0..1000, default 5) restarts within window (default 2m).
 *   - `stable_after` (default 30s): a run this long resets the backoff.
 *   - `stop_grace` (default 3s): SIGTERM → SIGKILL grace.
 *   - `steer_timeout` (default 60s): unacknowledged steering message → "not delivered".
 *   - `log: { max_size, files }` worker.log cap (size, default 5MB) and rotated files kept
 *     (0..100, default 2).
 *   - `orphans`: `adopt` (default) | `stop` — live workers left by a board that died.
 *   - `max_bridge_file` (size, default 4MB): larger bridge files are not read.
 *   - `git_timeout` (default 5s): timeout of one git call.
 *   - `diff_stats` (default true): compute each lane's diff stats (`git.diff`).
 * - `defaults` (optional map): any lane key except `id`, `worktree`, `branch`; applied
 *   under each lane (lane keys win; `env` maps merge key by key).
 * - `lanes` (required): non-empty list of lanes, in display order. Each lane:
 *   - `id` (required): 1-64 chars of `A-Z a-z 0-9 . _ -`, not `.`/`..`; unique.
 *   - `repo` (required here or in defaults): the repository (main worktree, or a bare
 *     repo); must exist and contain `.git`, or be a bare repo (`HEAD` + `objects`).
 *   - `worktree` (required): path string, or `{ path, create: true }` to let the board
 *     `git worktree add` it when missing. A missing worktree is not a config error.
 *   - `branch` (required): git branch name (no spaces, no leading `-`, none of
 *     `~ ^ : ? * [ \`, no `..`).
 *   - `base` (default `main`): ref to measure ahead/behind against (no spaces/leading `-`).
 *   - `command` (optional): argv list (strings/numbers, no shell), or a string run as
 *     `["/bin/sh", "-c", string]`; absent or `null` = observe-only lane (a lane's `null`
 *     overrides a default command).
 *   - `env` (optional): map of variable name → string/number/boolean (stringified).
 *   - `bridge` (default `<config dir>/.laneboard/lanes/<id>`): bridge directory; no two
 *     lanes may share a bridge or a worktree.
 *   - `autostart` (default true when a command is set): start the worker with the board;
 *     always false for an observe-only lane.
 *   - `restart`: `never` | `on-failure` (default) | `always`.
 *   - `steer`: `inbox` (default; append to `<bridge>/inbox.jsonl`) | `stdin` |
 *     `{ command: [argv…] }` (non-empty list of strings, no shell; `{message}`, `{id}`,
 *     `{lane}`, `{worktree}`, `{bridge}` are substituted as data).
 *   - `dialect`: `auto` (default) | `native` | `claw-code` | `live-bridge` | `claude-hooks`.
 *   - `required_level`: `none` | `targeted_tests` | `package` (default) | `workspace` |
 *     `merge_ready` — green level needed for merge readiness.
 *
 * Hostile input: files over 1 MiB, non-regular files, non-UTF-8 bytes, YAML alias bombs
 * (more than 50 alias expansions), NUL bytes in paths/argv/env, and over-deep nesting are
 * refused with a positioned error; quoted values in messages have control characters escaped.
 */
export { ConfigError, formatConfigError, formatIssue } from './errors.js';
export type { ConfigIssue } from './errors.js';
export { loadConfig } from './load.js';
export { parseConfig } from './parse.js';
export type { ParseOptions } from './parse.js';
export { MAX_DURATION_MS, parseDuration, parseSize } from './units.js';
