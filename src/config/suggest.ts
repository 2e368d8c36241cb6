/** "Did you mean" for unknown config keys (pure). */
import { distance } from 'fastest-levenshtein';

const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The candidate closest to `key`, when close enough to be a likely typo: Levenshtein
 * distance ≤ 2 (≤ 1 for keys of 4 characters or fewer) after lower-casing and dropping
 * `-`, `_` and spaces (so `requiredLevel` and `required-level` suggest `required_level`).
 * Returns `null` when no candidate is that close or `candidates` is empty.
 */
export function didYouMean(key: string, candidates: readonly string[]): string | null {
  const k = norm(key);
  const limit = k.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(k, norm(c));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : null;
}
