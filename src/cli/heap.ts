/**
 * V8 heap sizing of the long-running processes (the board, `serve`).
 *
 * V8 sets the old generation's next collection point to its live size times a growing
 * factor it picks from how fast objects reach the old generation against how fast it
 * marks them. In an update storm what reaches the old generation is short-lived render
 * garbage (React elements, Ink node updates, snapshots of lanes that change many times a
 * second), not retained data, and V8 picked a factor of 2-3: RSS climbed for minutes while
 * the live heap stayed flat (measurements: docs/performance.md, "Soak"). A fixed factor of
 * 1.3, V8's own conservative one, keeps the headroom proportional to what is live, at the
 * cost of more frequent old-generation collections while much is allocated (none extra at
 * idle, where little is).
 */
import { setFlagsFromString } from 'node:v8';

/** Headroom above the live old generation before V8 collects it again (percent). */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Make this process's old generation grow by {@link HEAP_GROWING_PERCENT} over its live
 * size (V8 flag `--heap-growing-percent`, read at every collection, so it takes effect
 * when set at run time). Call once per long-running command, once start-up is done (the
 * board after its first frame, `serve` once it serves), so the heap is built at V8's own
 * pace. Never throws (an engine without the flag ignores it).
 */
export function boundHeapGrowth(): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // not a V8 flag here: the engine's default sizing stays
  }
}
