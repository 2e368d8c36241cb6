/**
 * Map a value path (`['lanes', 2, 'restart']`) back to a line and column in the YAML
 * source, using the node ranges of a `yaml` Document and a `LineCounter`.
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';

/** 1-based position in the source. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The 1-based line/column of a character offset (offset 0 → 1:1). */
export function positionOf(lc: LineCounter, offset: number): Position {
  const { line, col } = lc.linePos(Math.max(0, offset));
  return { line, column: col };
}

function keyText(pair: Pair<unknown, unknown>): string | null {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' || typeof k === 'number' ? String(k) : null;
}

function rangeStart(node: unknown): number | null {
  const r = (node as Partial<Node> | null | undefined)?.range;
  return Array.isArray(r) && typeof r[0] === 'number' ? r[0] : null;
}

/**
 * Locate `path` in `doc`. Walks maps by key text (so numeric YAML keys match `"1"`) and
 * sequences by index; where the path leaves the document (a missing key, or a step into a
 * scalar or alias) it stops at the deepest node that exists — so a missing key points at
 * its parent map. With `atKey`, a path ending in a map key points at the key itself
 * instead of its value. Returns 1:1 when nothing in the path has a position.
 */
export function locate(
  doc: Document,
  lc: LineCounter,
  path: readonly (string | number)[],
  atKey = false,
): Position {
  let node: unknown = doc.contents;
  let best = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p) === String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      if (last && atKey) {
        best = rangeStart(pair.key) ?? best;
        break;
      }
      next = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else {
      break;
    }
    const start = rangeStart(next);
    if (next === undefined || next === null || start === null) break;
    node = next;
    best = start;
  }
  return best === null ? { line: 1, column: 1 } : positionOf(lc, best);
}
