/** The caches of the Ink drop-ins (./output.ts, ./widest-line.ts). */

/**
 * A cache of at most 2 × `max` entries in two generations: when the current one is full it
 * becomes the previous one (the older one is dropped) and a hit in the previous one moves
 * back. What the last frames used stays, and memory stays bounded without an LRU list (a cache
 * emptied when full rebuilds a whole screen at once, and holds many frames of old lines
 * until then).
 */
export function bounded<V>(max: number): {
  get(k: string): V | undefined;
  set(k: string, v: V): void;
} {
  let cur = new Map<string, V>();
  let old = new Map<string, V>();
  const set = (k: string, v: V): void => {
    if (cur.size >= max) {
      old = cur;
      cur = new Map();
    }
    cur.set(k, v);
  };
  return {
    get(k) {
      const v = cur.get(k);
      if (v !== undefined) return v;
      const o = old.get(k);
      if (o !== undefined) set(k, o);
      return o;
    },
    set,
  };
}
