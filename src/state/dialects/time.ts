/**
 * Timestamp parsing and duration formatting for bridge documents. Bridge contract:
 * `updatedAt` / `emittedAt` are ISO-8601 (RFC 3339) or epoch seconds / ms, as a number or
 * a string (claw-code writes epoch seconds as a string). Pure; never throws.
 */
import { clip } from './util.js';

/** Largest |epoch ms| a JS Date can represent (ECMA-262 TimeClip). */
const MAX_DATE_MS = 8.64e15;

/**
 * Numbers below this are epoch seconds, at or above it epoch ms. 1e11 s is the year 5138;
 * 1e11 ms is March 1973, so real-world values of either unit are classified right.
 */
const SECONDS_LIMIT = 1e11;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parse a timestamp into epoch ms.
 * - finite number, or a string of digits (optionally with a fraction): epoch seconds when
 *   < 1e11, else epoch ms; negative values → null.
 * - ISO-8601 / RFC 3339 string (`2026-11-20T10:15:01Z`, `…+02:00`, `…+0200`, date only,
 *   space instead of `T`, fractional seconds); no zone means UTC (never machine-local).
 * - anything else, impossible dates (Feb 30, hour 25) or values outside the Date range → null.
 */
export function parseTimestamp(x: unknown): number | null {
  if (typeof x === 'number') return fromEpoch(x);
  if (typeof x !== 'string') return null;
  const s = x.trim();
  if (s.length === 0 || s.length > 64) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  const m = ISO_RE.exec(s);
  return m ? fromIso(m) : null;
}

function fromEpoch(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  const ms = n < SECONDS_LIMIT ? n * 1000 : n;
  return ms <= MAX_DATE_MS ? Math.round(ms) : null;
}

function fromIso(m: RegExpExecArray): number | null {
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs ?? '0');
  const mi = Number(mis ?? '0');
  const sec = Number(ss ?? '0');
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, Math.min(sec, 59), ms);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
  const base = check.getTime();
  const offset = zoneOffsetMs(zone);
  if (offset === null) return null;
  const t = base - offset;
  return Number.isFinite(t) && Math.abs(t) <= MAX_DATE_MS ? t : null;
}

function zoneOffsetMs(zone: string | undefined): number | null {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const hh = Number(m[2]);
  const mm = Number(m[3] ?? '0');
  if (hh > 23 || mm > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hh * 60 + mm) * 60_000;
}

/** ISO-8601 text of an epoch-ms time (for notes), or a clipped verbatim fallback. */
export function isoOf(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? clip(String(ms), 40) : d.toISOString();
}
