/** Interop for the NATS client packages, which are CommonJS. */
/**
 * The exports of a CommonJS package loaded with `import()`: Node gives named exports and
 * `default` (= module.exports); the code-split bundle (scripts/build.mjs) gives only
 * `default`. `default` holds every export in both cases.
 */
export function cjs<T extends object>(m: T): T {
  const d = (m as { default?: unknown }).default;
  return d !== null && typeof d === 'object' ? (d as T) : m;
}
