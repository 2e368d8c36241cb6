/**
 * Defensive coercion helpers for untrusted, already JSON-parsed bridge input. Nothing here
 * throws and nothing recurses without a depth and size bound.
 */

/** A plain JSON object (not null, not an array). */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** True when `x` is a JSON object (not null, not an array). */
export function isRecord(x: unknown): x is JsonRecord {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * One line of JSONL text parsed as a JSON object, or null (blank, not JSON, or another
 * JSON type). Lines that do not start with `{` (after white space) are not parsed at all,
 * so stray text in a log costs no `JSON.parse`. Never throws.
 */
export function parseRecordLine(line: string): JsonRecord | null {
  const t = line.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

/** Own property of a record, or undefined (never reads inherited keys like `__proto__`). */
export function prop(rec: JsonRecord, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

/**
 * A string field: strings as is, finite numbers and booleans as their text (wrong types
 * are coerced, not fatal); empty strings, objects, arrays, null → null.
 */
export function asString(x: unknown): string | null {
  if (typeof x === 'string') return x.length > 0 ? x : null;
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  if (typeof x === 'boolean') return String(x);
  return null;
}

/** A finite number field: numbers, or numeric strings ("41"); anything else → null. */
export function asNumber(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(x)) {
    const n = Number(x);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A count field: a non-negative integer (numbers or numeric strings, truncated); else null. */
export function asCount(x: unknown): number | null {
  const n = asNumber(x);
  return n === null || n < 0 ? null : Math.trunc(n);
}

/** An integer field (e.g. an exit code, may be negative); else null. */
export function asInt(x: unknown): number | null {
  const n = asNumber(x);
  return n === null ? null : Math.trunc(n);
}

/** A boolean field: booleans, "true"/"false" (any case), 1/0; anything else → null. */
export function asBool(x: unknown): boolean | null {
  if (typeof x === 'boolean') return x;
  if (x === 1 || x === 0) return x === 1;
  if (typeof x === 'string') {
    const s = x.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return null;
}

/** Cut `s` to at most `max` characters (default 300), marking the cut with "…". */
export function clip(s: string, max = 300): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Compact, bounded JSON-ish rendering of an untrusted value for human-readable details:
 * at most `maxDepth` levels (default 3), 8 entries per level and `maxChars` characters
 * (default 120). Never throws; cycles cannot occur in JSON-parsed input and depth is bounded.
 */
export function compactJson(x: unknown, maxChars = 120, maxDepth = 3): string {
  return clip(render(x, maxDepth), maxChars);
}

function render(x: unknown, depth: number): string {
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'string') return JSON.stringify(clip(x, 80));
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (depth <= 0) return Array.isArray(x) ? '[…]' : '{…}';
  if (Array.isArray(x)) {
    const items = x.slice(0, 8).map((v) => render(v, depth - 1));
    return `[${items.join(',')}${x.length > 8 ? ',…' : ''}]`;
  }
  if (isRecord(x)) {
    const keys = Object.keys(x);
    const items = keys
      .slice(0, 8)
      .map((k) => `${JSON.stringify(clip(k, 40))}:${render(x[k], depth - 1)}`);
    return `{${items.join(',')}${keys.length > 8 ? ',…' : ''}}`;
  }
  return 'null';
}

/** Deepest nesting kept verbatim by {@link bounded} (levels). */
const MAX_KEPT_DEPTH = 32;
/** Most values (objects, arrays and their entries) kept verbatim by {@link bounded}. */
const MAX_KEPT_VALUES = 50_000;

/**
 * `x` itself when it is at most {@link MAX_KEPT_DEPTH} levels deep and holds at most
 * {@link MAX_KEPT_VALUES} values; otherwise a short marker string saying what was
 * omitted. Keeps pathological input (a 5,000-level array, 100,000 entries) out of the
 * state so `JSON.stringify` in `--json` and the detail pane cannot blow the stack.
 * Iterative walk, no recursion; values are not copied.
 */
export function bounded(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const stack: { v: object; d: number }[] = [{ v: x, d: 1 }];
  let count = 0;
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.d > MAX_KEPT_DEPTH) return `[omitted: nested deeper than ${MAX_KEPT_DEPTH} levels]`;
    const children: unknown[] = Array.isArray(top.v) ? top.v : Object.values(top.v);
    count += 1 + children.length;
    if (count > MAX_KEPT_VALUES) return `[omitted: more than ${MAX_KEPT_VALUES} values]`;
    for (const c of children)
      if (typeof c === 'object' && c !== null) stack.push({ v: c, d: top.d + 1 });
  }
  return x;
}

/** A copy of `rec` with each value passed through {@link bounded} (keys kept, safely set). */
export function boundedRecord(rec: JsonRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) setOwn(out, k, bounded(rec[k]));
  return out;
}

/**
 * The entries of `rec` whose keys are not in `known`, verbatim except that pathological
 * values are replaced by a marker ({@link bounded}).
 */
export function pickExtras(rec: JsonRecord, known: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) {
    if (!known.has(k)) setOwn(out, k, bounded(rec[k]));
  }
  return out;
}

/** Set an own enumerable property (safe for untrusted keys such as `__proto__`). */
export function setOwn<T>(rec: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
}
