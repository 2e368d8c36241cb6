/**
 * Issues before they have a position: `{ path, message, expected?, atKey? }`, and the
 * translation of zod issues (from schema-kit parsers) into them (pure).
 */
import type { z } from 'zod';
import type { KitIssueParams } from './schema-kit.js';
import { didYouMean } from './suggest.js';
import { describeValue, quote } from './text.js';

/** A problem at a value path; positioned later by `locate`. */
export interface PathIssue {
  /** Path of the value at fault (a missing key's issue carries its parent's path). */
  readonly path: readonly (string | number)[];
  /** One-line message (untrusted parts already quoted). */
  readonly message: string;
  /** What would have been valid, when known. */
  readonly expected?: string;
  /** Point at the key of the last path segment instead of its value. */
  readonly atKey?: boolean;
}

/** The value at `path` inside plain YAML data, or `undefined` when absent. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function isKitParams(p: unknown): p is KitIssueParams {
  const kind = (p as { kind?: unknown } | undefined)?.kind;
  return kind === 'expected' || kind === 'unknown-key';
}

/** Issue for a required key absent from the map at `parent`. */
export function missingKey(
  parent: readonly (string | number)[],
  key: string,
  hint = '',
): PathIssue {
  return { path: parent, message: `missing required key ${quote(key)}${hint}` };
}

/**
 * Translate one zod issue into a {@link PathIssue}.
 * @param issue an issue from a schema-kit based parser (other zod issues pass through with
 *   their own message).
 * @param data the YAML data the issue path refers to (for the "got …" clause).
 * @param prefix path of `data` inside the whole document.
 */
export function fromZod(
  issue: z.ZodIssue,
  data: unknown,
  prefix: readonly (string | number)[],
): PathIssue {
  const rel = issue.path;
  const path = [...prefix, ...rel];
  const params: unknown = issue.code === 'custom' ? issue.params : undefined;
  if (isKitParams(params) && params.kind === 'unknown-key') {
    const key = quote(params.key);
    const list = params.allowed.join(', ');
    if (params.reason)
      return { path, message: `${key} ${params.reason}`, expected: list, atKey: true };
    const guess = didYouMean(params.key, params.allowed);
    const message = guess
      ? `unknown key ${key} (did you mean ${quote(guess)}?)`
      : `unknown key ${key}; expected one of ${list}`;
    return { path, message, expected: list, atKey: true };
  }
  if (isKitParams(params) && params.kind === 'expected') {
    const got = valueAt(data, rel);
    const last = rel[rel.length - 1];
    if (got === undefined && typeof last === 'string' && !params.atKey) {
      return missingKey(path.slice(0, -1), last);
    }
    const shown = params.atKey && typeof last === 'string' ? quote(last) : describeValue(got);
    return {
      path,
      message: `expected ${params.expected}, got ${shown}`,
      expected: params.expected,
      ...(params.atKey ? { atKey: true } : {}),
    };
  }
  return { path, message: issue.message };
}
