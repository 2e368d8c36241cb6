/**
 * Safe rendering of untrusted config text inside error messages (pure).
 * Config values and keys are data: they are quoted, truncated and stripped of terminal
 * control characters before they reach an error line, so a hostile lanes.yaml cannot
 * move the cursor, recolour or clear the operator's terminal.
 */
import { escapeControls } from '../state/sanitize.js';

/** Longest quoted value shown in a message (characters, before the ellipsis). */
const MAX_SHOWN_CHARS = 60;

/**
 * Quote a string for a message: `"value"`, with `"` and `\` escaped, controls escaped,
 * and anything past `max` characters (default {@link MAX_SHOWN_CHARS}) replaced by `…`.
 */
export function quote(text: string, max = MAX_SHOWN_CHARS): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${escapeControls(cut.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

/**
 * Describe a parsed YAML value for a "got …" clause: strings quoted, numbers and booleans
 * as written, `null` as `an empty value`, lists as `a list`, maps as `a map`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/**
 * Render an issue path as it reads in the YAML: `lanes[2].restart`, `settings.log.files`,
 * `lanes[0].env["MY VAR"]`. Numeric segments become `[n]`; keys that are not simple
 * identifiers are quoted. An empty path renders as `""`.
 */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}
