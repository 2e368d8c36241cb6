/**
 * A JSON Schema rewrite for the published snapshot schema (./snapshot-schema.ts): zod's
 * nullable `anyOf` pairs written as type unions. Pure.
 */
type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Writes zod's `anyOf: [X, {type: "null"}]` the way the published schema always has:
 * `type: [X.type, "null"]` (and `null` in X's `enum`). Same meaning, shorter; other nodes
 * are returned as they are (recursively normalized).
 */
export function compactNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactNullable);
  if (!isObj(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = compactNullable(v);
  const any: unknown = out.anyOf;
  if (!Array.isArray(any) || any.length !== 2) return out;
  const other: unknown = any.find(
    (s) => !(isObj(s) && s.type === 'null' && Object.keys(s).length === 1),
  );
  if (!isObj(other) || typeof other.type !== 'string') return out;
  const { anyOf: _drop, ...rest } = out;
  const merged: Json = { ...other, ...rest, type: [other.type, 'null'] };
  if (Array.isArray(other.enum)) merged.enum = [...(other.enum as unknown[]), null];
  return merged;
}
