/**
 * A drop-in for the `string-width` package inside the bundle (scripts/build.mjs; Ink's
 * measuring, cli-truncate, the other drop-ins and src/ui all import it). Same answer as the
 * package; a string of printable ASCII and the simple characters of ./simple-chars.ts
 * (`—`, `…`, `↑`, `›`, CJK …) is summed from that table, so the board's first frame never
 * pays the package's one-time compile of its emoji regex (~50 ms of CPU) for the few
 * non-ASCII characters a lane row shows. Anything else goes to the package unchanged.
 */
import packageStringWidth from 'string-width';
import { simpleCharWidth } from './simple-chars.js';

/** The options of `string-width` 8 (any option given is handled by the package itself). */
export interface StringWidthOptions {
  readonly ambiguousIsNarrow?: boolean;
  readonly countAnsiEscapeCodes?: boolean;
}

/**
 * Width of `input` in terminal cells, as `string-width` 8 gives it.
 * @param input Any string (ANSI escapes allowed); a non-string gives 0, as the package.
 * @param options Passed to the package, which then measures the whole string.
 */
export default function stringWidth(input: string, options?: StringWidthOptions): number {
  if (options !== undefined || typeof input !== 'string') return packageStringWidth(input, options);
  let w = 0;
  for (let i = 0; i < input.length; i++) {
    const c = simpleCharWidth(input.charCodeAt(i));
    // A control, an escape sequence, a mark, an emoji…: the package segments the string.
    if (c === 0) return packageStringWidth(input);
    w += c;
  }
  return w;
}
