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
 * The lanes.yaml reference is docs/lanes-yaml.md. Its `settings` table is generated from
 * ./settings-doc.ts, which names the keys of the one zod schema (./schema.ts `rawSettings`)
 * and takes their defaults from `DEFAULT_SETTINGS` (../state/config-types.ts).
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
