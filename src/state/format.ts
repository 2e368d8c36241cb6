/**
 * Pure display formatting shared by the board, the dialects' messages and any text output:
 * ages, durations, countdowns, short shas, shortened paths. No I/O, no clock: callers pass durations in ms.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A compact duration: "0s", "4s", "3m", "2h", "5d" (floor of the largest whole unit).
 * @param ms Duration in milliseconds; negative values count as 0.
 * @returns '—' for null, NaN or ±Infinity.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const v = Math.max(0, ms);
  if (v < MINUTE) return `${Math.floor(v / SECOND)}s`;
  if (v < HOUR) return `${Math.floor(v / MINUTE)}m`;
  if (v < DAY) return `${Math.floor(v / HOUR)}h`;
  return `${Math.floor(v / DAY)}d`;
}

/**
 * The age of something on a board row: "4s" under 10 s, then 10-second steps up to a
 * minute ("20s" for 20-29 s), then as {@link formatDuration} ("3m", "2h"). The steps keep a
 * board of many recently active lanes from redrawing every row every second.
 * @param ageMs Age in ms, or null when unknown ('—').
 */
export function formatAge(ageMs: number | null): string {
  if (ageMs !== null && Number.isFinite(ageMs) && ageMs >= 10 * SECOND && ageMs < MINUTE) {
    return `${Math.floor(ageMs / (10 * SECOND)) * 10}s`;
  }
  return formatDuration(ageMs);
}

/**
 * The age shown in a board ROW (the LAST EVENT column): "now" under 10 s, else as
 * {@link formatAge}. Rows are redrawn whenever their text changes, and every Ink frame
 * rebuilds the whole screen (docs/performance.md, "Measured choices"): a per-second "4s, 5s, 6s" on
 * many recently active lanes kept an otherwise idle board drawing a frame every second
 * (issue #5 idle target). The detail pane keeps the precise {@link formatAge}.
 * @param ageMs Age in ms, or null when unknown ('—'); negative ages (clock skew) are "now".
 */
export function formatRowAge(ageMs: number | null): string {
  if (ageMs !== null && Number.isFinite(ageMs) && ageMs < 10 * SECOND) return 'now';
  return formatAge(ageMs);
}

/**
 * A countdown until something happens, rounded **up** so it never shows "0s" while time
 * remains: 1 ms → "1s", 61 s → "2m"; ≤ 0 → "now"; null/NaN → '—'.
 * @param remainingMs Time left in ms.
 */
export function formatCountdown(remainingMs: number | null): string {
  if (remainingMs === null || !Number.isFinite(remainingMs)) return '—';
  if (remainingMs <= 0) return 'now';
  if (remainingMs < MINUTE) return `${Math.ceil(remainingMs / SECOND)}s`;
  if (remainingMs < HOUR) return `${Math.ceil(remainingMs / MINUTE)}m`;
  if (remainingMs < DAY) return `${Math.ceil(remainingMs / HOUR)}h`;
  return `${Math.ceil(remainingMs / DAY)}d`;
}

/**
 * The first `len` characters of a commit sha (git's default abbreviation is 7).
 * @returns '—' for null/empty input. Does not validate hex (untrusted shas are sanitized
 *   by the caller).
 */
export function shortSha(sha: string | null | undefined, len = 7): string {
  if (!sha) return '—';
  return sha.slice(0, Math.max(1, len));
}

/**
 * Shorten a path for a heading: `home` prefix → "~", then, while longer than `maxLen`
 * characters, keep the last path segments behind "…/" (the last segment is always kept,
 * itself cut from the left when it alone is too long).
 * @param path Absolute or relative path (forward slashes).
 * @param home Home directory to abbreviate, or null.
 * @param maxLen Maximum length in characters (code units), ≥ 4.
 */
export function shortenPath(path: string, home: string | null, maxLen = 40): string {
  let p = path;
  if (home && home.length > 1 && (p === home || p.startsWith(`${home}/`))) {
    p = `~${p.slice(home.length)}`;
  }
  const max = Math.max(4, maxLen);
  if (p.length <= max) return p;
  const parts = p.split('/').filter((x) => x.length > 0);
  let tail = parts.pop() ?? p;
  if (tail.length + 2 > max) return `…${tail.slice(tail.length - (max - 1))}`;
  while (parts.length > 0) {
    const next = `${parts[parts.length - 1]}/${tail}`;
    if (next.length + 2 > max) break;
    tail = next;
    parts.pop();
  }
  return `…/${tail}`;
}

/**
 * A precise duration for messages (two units; negative treated as 0): `58s`, `45m 58s`,
 * `2h 5m`, `3d 4h`. Rows use the one-unit {@link formatDuration}.
 */
export function formatSpan(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** An age in blocker messages: `74 s` below two minutes, else {@link formatSpan}. */
export function formatStallAge(ms: number): string {
  const s = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  return s < 120 ? `${s} s` : formatSpan(ms);
}

/** The unit {@link formatDuration} counts `ms` (≥ 0) in. */
function unitOf(ms: number): number {
  if (ms < MINUTE) return SECOND;
  if (ms < HOUR) return MINUTE;
  if (ms < DAY) return HOUR;
  return DAY;
}

/**
 * When (epoch ms) the row age of something that happened at `at` next reads differently,
 * for a board showing `formatRowAge(floor(now / stepMs) × stepMs − at)` at time `now`
 * (src/ui/cells.ts `eventCell`): always a multiple of `stepMs` after `now`. Lets a board
 * wake up exactly when a shown age changes instead of every second.
 * @param at Time of the event (epoch ms).
 * @param now Current time (epoch ms).
 * @param stepMs Step of the row clock (ms, > 0; 10 000 on the board).
 */
export function rowAgeChangeAt(at: number, now: number, stepMs: number): number {
  const floorNow = now - (((now % stepMs) + stepMs) % stepMs);
  const age = floorNow - at;
  let crossing: number;
  if (age < 10 * SECOND) crossing = at + 10 * SECOND;
  else {
    const unit = age < MINUTE ? 10 * SECOND : unitOf(age);
    crossing = at + (Math.floor(age / unit) + 1) * unit;
  }
  const next = Math.ceil(crossing / stepMs) * stepMs;
  return next > now ? next : floorNow + stepMs;
}

/**
 * When (epoch ms) `formatCountdown(target − t)` next reads differently for `t > now`, or
 * `Infinity` once it reads "now" (it never changes again). Never earlier than a change
 * would be missed: a unit boundary ("1m" → "59s") counts too.
 * @param target Time the countdown reaches zero (epoch ms).
 * @param now Current time (epoch ms).
 */
export function countdownChangeAt(target: number, now: number): number {
  const rem = target - now;
  if (!Number.isFinite(rem) || rem <= 0) return Infinity;
  const unit = unitOf(rem);
  const k = Math.ceil(rem / unit) - 1;
  let next = target - k * unit;
  // Below this unit's range the next smaller unit starts (rem = unit range − 1 ms).
  const floorOfUnit = unit === SECOND ? 0 : unit === MINUTE ? MINUTE : unit === HOUR ? HOUR : DAY;
  if (floorOfUnit > 0) next = Math.min(next, target - floorOfUnit + 1);
  return next > now ? next : now + 1;
}
