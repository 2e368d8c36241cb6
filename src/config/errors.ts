/**
 * Config errors: every problem found in a lanes.yaml becomes one {@link ConfigIssue} with a
 * position; all issues of one load are thrown together as one {@link ConfigError}.
 */
import path from 'node:path';
import { escapeControls } from '../state/sanitize.js';

/** One problem in a config file. */
export interface ConfigIssue {
  /** Absolute path of the config file. */
  readonly file: string;
  /** 1-based line of the offending node (1 when the whole file is at fault). */
  readonly line: number;
  /** 1-based column (UTF-16 code units, as the `yaml` package counts). */
  readonly column: number;
  /** Path of the offending value as it reads in YAML, e.g. `lanes[2].restart`; `""` for the file itself. */
  readonly path: string;
  /** One-line human message, e.g. `expected one of never | on-failure | always, got "sometimes"`. */
  readonly message: string;
  /** What would have been valid, when that can be said (e.g. `one of never | on-failure | always`). */
  readonly expected?: string;
}

/** At most this many issues are kept; the rest collapse into one "… and N more" issue. */
const MAX_ISSUES = 50;

/**
 * Thrown by `parseConfig` / `loadConfig` when a config is unusable. `issues` holds every
 * problem found (identical ones once, sorted by line, then column; never empty; at most {@link MAX_ISSUES} plus
 * one "… and N more" summary); `message` is
 * {@link formatConfigError} of the error with file paths as given (absolute).
 */
export class ConfigError extends Error {
  /** All problems, sorted by position. */
  readonly issues: readonly ConfigIssue[];

  /** @param issues at least one issue; an empty list gets a generic placeholder issue. */
  constructor(issues: readonly ConfigIssue[]) {
    const seen = new Set<string>();
    const unique = issues.filter((i) => {
      const k = `${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    const sorted = unique.sort((a, b) => a.line - b.line || a.column - b.column);
    const list: ConfigIssue[] =
      sorted.length > 0
        ? sorted.slice(0, MAX_ISSUES)
        : [{ file: '', line: 1, column: 1, path: '', message: 'invalid configuration' }];
    const rest = sorted[MAX_ISSUES];
    if (rest) {
      const more = sorted.length - MAX_ISSUES;
      list.push({
        ...rest,
        path: '',
        message: `… and ${more} more problem${more === 1 ? '' : 's'} not shown`,
      });
    }
    super(list.map((i) => formatIssue(i, false)).join('\n'));
    this.name = 'ConfigError';
    this.issues = list;
  }
}

/** Show `file` relative to `cwd` when that is shorter than the absolute path. */
function displayFile(file: string, cwd: string): string {
  if (file === '') return '<config>';
  const rel = path.relative(cwd, file);
  return rel !== '' && rel.length < file.length ? rel : file;
}

/**
 * Format one issue as `file:line:column: path: message` (path omitted when empty), with
 * terminal control characters escaped.
 * @param relative show the file relative to `process.cwd()` when shorter.
 */
export function formatIssue(issue: ConfigIssue, relative = true): string {
  const file = relative ? displayFile(issue.file, process.cwd()) : issue.file || '<config>';
  const where = issue.path === '' ? '' : `${issue.path}: `;
  return escapeControls(`${file}:${issue.line}:${issue.column}: ${where}${issue.message}`);
}

/**
 * Render any error for the operator. A {@link ConfigError} becomes one line per issue,
 * e.g. `lanes.yaml:12:14: lanes[2].restart: expected one of never | on-failure | always, got
 * "sometimes"` (file relative to cwd when shorter); any other value becomes its message
 * (or `String(err)`), control characters escaped. Never throws.
 */
export function formatConfigError(err: unknown): string {
  if (err instanceof ConfigError) return err.issues.map((i) => formatIssue(i)).join('\n');
  if (err instanceof Error) return escapeControls(err.message);
  return escapeControls(String(err));
}
