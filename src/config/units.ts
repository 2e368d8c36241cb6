/**
 * Duration and size literals of lanes.yaml (pure functions, no I/O).
 *
 * Durations: a non-negative number of milliseconds, or a string `<number><unit>` with unit
 * `ms`, `s`, `m` or `h` (lower case, optional space between): `"500ms"`, `"30s"`, `"1.5m"`,
 * `"1h"`. Sizes: a positive number of bytes, or `<number><unit>` with unit `B`, `KB`/`KiB`,
 * `MB`/`MiB`, `GB`/`GiB` (case-insensitive; all binary: 1 KB = 1024 bytes, matching the
 * defaults in `DEFAULT_SETTINGS`, e.g. `5MB` = 5 × 1024² bytes).
 */

/**
 * Largest duration accepted (ms): Node's `setTimeout` fires *immediately* for delays above
 * 2³¹−1 ms (≈ 24.8 days), so anything longer would silently become 0.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** Largest size accepted (bytes): 1 TiB, far beyond any sane log or bridge file cap. */
const MAX_SIZE_BYTES = 1024 ** 4;

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)\s*$/i;

/**
 * Parse a duration value.
 * @param value a number (ms) or a string such as `"30s"` (see module doc).
 * @returns whole milliseconds (rounded) in `[0, MAX_DURATION_MS]`, or `null` when the value
 *   is not a valid duration (wrong type, unknown unit, negative, NaN, or too large). Never throws.
 */
export function parseDuration(value: unknown): number | null {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const m = DURATION_RE.exec(value);
    const unit = m?.[2];
    if (!m || unit === undefined) return null;
    ms = Number(m[1]) * (DURATION_UNITS[unit] ?? Number.NaN);
  } else {
    return null;
  }
  if (!Number.isFinite(ms) || ms < 0) return null;
  const rounded = Math.round(ms);
  return rounded <= MAX_DURATION_MS ? rounded : null;
}

/**
 * Parse a size value.
 * @param value a number (bytes) or a string such as `"5MB"` (see module doc).
 * @returns whole bytes (rounded down) in `[1, MAX_SIZE_BYTES]`, or `null` when the value is
 *   not a valid size (wrong type, unknown unit, zero/negative, NaN, or too large). Never throws.
 */
export function parseSize(value: unknown): number | null {
  let bytes: number;
  if (typeof value === 'number') {
    bytes = value;
  } else if (typeof value === 'string') {
    const m = SIZE_RE.exec(value);
    const unit = m?.[2]?.toLowerCase();
    if (!m || unit === undefined) return null;
    bytes = Number(m[1]) * (SIZE_UNITS[unit] ?? Number.NaN);
  } else {
    return null;
  }
  if (!Number.isFinite(bytes)) return null;
  const floored = Math.floor(bytes);
  return floored >= 1 && floored <= MAX_SIZE_BYTES ? floored : null;
}
