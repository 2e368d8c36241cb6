/**
 * A drop-in for the `widest-line` package inside the bundle (scripts/build.mjs): Ink
 * measures every text node with it on every frame, and the same strings come back frame
 * after frame, so the widths are cached (bounded). Same result as the package.
 */
import stringWidth from 'string-width';
import { bounded } from './bounded.js';

const cache = bounded<number>(2048);

/**
 * Width in terminal cells of the widest line of `text`.
 * @param text Any string (ANSI styles allowed, lines split on '\n').
 */
export default function widestLine(text: string): number {
  let w = cache.get(text);
  if (w !== undefined) return w;
  w = 0;
  for (const line of text.split('\n')) w = Math.max(w, stringWidth(line));
  cache.set(text, w);
  return w;
}
