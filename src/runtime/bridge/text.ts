/**
 * Small text helpers for bridge-reader messages: human byte sizes, safe snippets of
 * untrusted file content, and errno codes. Pure functions; never throw.
 */
import { errorMessage } from '../../state/error-text.js';
import { sanitizeText } from '../../state/sanitize.js';

/**
 * Formats a byte count for messages, in binary units labelled KB / MB / GB (1 MB = 1,048,576
 * bytes) with at most one decimal, trailing `.0` dropped: `512 bytes`, `4 MB`, `104.9 MB`.
 * Negative or non-finite input is formatted as `? bytes`.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? bytes';
  if (bytes < 1024) return `${Math.round(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit] ?? 'TB'}`;
}

/**
 * A short, display-safe excerpt of untrusted text: {@link sanitizeText} (escape sequences,
 * controls and bidi characters removed, line breaks become spaces), cut after `maxChars`
 * code points (default 40) with `…`.
 */
export function snippet(text: string, maxChars = 40): string {
  return sanitizeText(text, maxChars + 1);
}

/** The `code` property of a Node system error (`'ENOENT'`, `'EACCES'`, …), or undefined. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True for errno codes that mean "nothing at this path" (ENOENT, or ENOTDIR: a parent is not a dir). */
export function isMissing(code: string | undefined): boolean {
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The message of an unknown thrown value, cut to 120 safe characters. */
export function errorText(error: unknown): string {
  const raw = errorMessage(error);
  return snippet(raw, 120);
}

/** A file-access failure in words for `name` (e.g. `state.json is not readable: permission denied (EACCES)`). */
export function describeAccessError(name: string, error: unknown): string {
  const code = errnoCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${name} is not readable: permission denied (${code})`;
    case 'ELOOP':
      return `${name} is a symlink; not followed`;
    case 'EISDIR':
      return `${name} is a directory, not a file`;
    case 'EMFILE':
    case 'ENFILE':
      return `${name} could not be opened: too many open files (${code})`;
    default:
      return `${name} could not be read: ${errorText(error)}`;
  }
}
