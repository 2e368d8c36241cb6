/**
 * `fastLoad`: lanes.yaml text → plain JS data with `js-yaml`, for configs that are valid.
 *
 * Why: the `yaml` library's Document path (lexer, CST, composer, node ranges) costs
 * ~300-390 ms of CPU when cold at 500 lanes on the project's 2-core machine, against
 * ~40-60 ms for `js-yaml` on the same text (measurements: docs/performance.md, "Config
 * load"). `laneboard --json` is a cold process, so it paid that on every call, before any
 * git process started. `parseConfig` (./parse.ts) validates this data first and uses
 * the `yaml` Document (with line and column for every issue) only when something fails.
 *
 * The data must equal what `yaml`'s `parseDocument(…).toJS()` gives for the same text,
 * or a config could validate on one path and not on the other. So:
 * - scalars resolve with the YAML 1.2 core schema exactly as `yaml` 2 does (its regexes:
 *   yaml/dist/schema/core and schema/common/null): js-yaml's own core schema also reads
 *   `0b101`, `-0x1F` and `+0o7` as numbers, which `yaml` keeps as strings;
 * - `undefined` (use the `yaml` path) for anything where the two may differ or that must
 *   be refused with a position: a syntax error, a duplicate key, an explicit tag other
 *   than `!!str`/`!!seq`/`!!map` (js-yaml throws on them), a `%` directive (`%YAML 1.1`
 *   changes `yaml`'s schema), and any alias of a map or list (js-yaml shares the object,
 *   which `yaml` counts against its alias budget: alias bombs).
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

/** YAML 1.2 core null as `yaml` 2 reads it (also the empty plain scalar). */
const nul = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string | null) => s === null || /^(?:~|[Nn]ull|NULL)?$/.test(s),
  construct: () => null,
});

/** YAML 1.2 core bool as `yaml` 2 reads it. */
const bool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
  construct: (s: string) => s[0] === 't' || s[0] === 'T',
});

/** YAML 1.2 core int as `yaml` 2 reads it: decimal, `0o` octal, `0x` hex (no sign on those). */
const int = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) =>
    s !== null && (/^[-+]?[0-9]+$/.test(s) || /^0o[0-7]+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s)),
  construct: (s: string) =>
    s.startsWith('0o')
      ? parseInt(s.slice(2), 8)
      : s.startsWith('0x')
        ? parseInt(s.slice(2), 16)
        : parseInt(s, 10),
});

const FLOAT_NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** YAML 1.2 core float as `yaml` 2 reads it. */
const float = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) =>
    s !== null && (FLOAT_NAN_INF.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s)),
  construct: (s: string) => {
    if (!FLOAT_NAN_INF.test(s)) return parseFloat(s);
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return s.startsWith('-') ? -Infinity : Infinity;
  },
});

/** Failsafe (str, seq, map) + the core scalars above. */
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nul, bool, int, float] });

/** True when some map or list object is reachable twice (an alias of a collection). */
function sharesObjects(data: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) return true;
    seen.add(v);
    for (const child of Object.values(v)) stack.push(child);
  }
  return false;
}

/**
 * Parse `text` to JS data on the fast path.
 * @param text lanes.yaml contents.
 * @returns the data (equal to `yaml`'s `toJS()` of the document), or `undefined` when the
 *   caller must use the `yaml` Document path (see the module doc). Never throws.
 */
export function fastLoad(text: string): unknown {
  if (/^%/m.test(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  return sharesObjects(data) ? undefined : data;
}
