/**
 * The one error-to-text helper: what a thrown value says, in words. Pure. The text is
 * raw (a message may hold anything, e.g. a path or worker output): sanitize it
 * (./sanitize.ts) before it reaches the terminal, as every view does.
 */

/** The message of a thrown value: `Error.message`, else `String(value)`. Never throws on a string-able value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
