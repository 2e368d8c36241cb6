/**
 * lanes.yaml loading and validation. Public API of `src/config`:
 * - `loadConfig(file, opts?)` → `Promise<BoardConfig>` (reads the file, guarded)
 * - `parseConfig(text, file, opts?)` → `BoardConfig` (validates text)
 * - `ConfigError` (`issues: ConfigIssue[]`) and `formatConfigError(err)` → one line per issue
 * - `parseDuration` / `parseSize` for the same literals elsewhere
 * Full key reference: docs/lanes-yaml.md (and the docstring of `parse.ts`).
 */
export { ConfigError, formatConfigError, formatIssue } from './errors.js';
export type { ConfigIssue } from './errors.js';
export { loadConfig } from './load.js';
export { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, parseConfig } from './parse.js';
export type { ParseOptions } from './parse.js';
export { MAX_DURATION_MS, parseDuration, parseSize } from './units.js';
