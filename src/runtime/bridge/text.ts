import { errorMessage } from '../../state/error-text.js';
/**
 * Small text helpers for bridge-reader messages: human byte sizes, safe snippets of
 * untrusted file content, and errno codes. Pure functions; never throw.
 */

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

/** C0/C1 controls, DEL, line/paragraph separators and bidi overrides: never echoed raw. */
function isUnsafeChar(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * A short, display-safe excerpt of untrusted text: control and bidi characters become `?`,
 * and text longer than `maxChars` (default 40, counted in UTF-16 units) is cut with `…`.
 */
export function snippet(text: string, maxChars = 40): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  let out = '';
  for (const ch of cut) out += isUnsafeChar(ch.codePointAt(0) ?? 0) ? '?' : ch;
  return out;
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
