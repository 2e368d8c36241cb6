/**
 * Coalesces watch events into one batch per turn of the event loop: an event only ORs a
 * bit into its lane's pending mask (O(1), no I/O); one `setImmediate` later the batch is
 * handed to `flush` (lane → bits), which starts the reads. Many events for one file in a
 * turn become one read request; the reads themselves are paced per file (./serial.ts).
 */

/** Pending-work bits of one lane (see {@link DirtyQueue}). */
export const DIRTY = {
  state: 1,
  result: 2,
  claw: 4,
  events: 8,
  hooks: 16,
  /** The lane's bridge dir appeared, disappeared or was replaced: check it, re-read all. */
  bridgeDir: 32,
  /** The lane's worktree `.claw` dir appeared, disappeared or was replaced. */
  clawDir: 64,
} as const;

/**
 * A per-turn batch of dirty lanes. `K` is the lane handle (any object). After
 * {@link close} nothing is flushed any more.
 */
export class DirtyQueue<K> {
  #pending = new Map<K, number>();
  #scheduled: NodeJS.Immediate | null = null;
  #closed = false;

  /** @param flush receives each batch (lane → OR of {@link DIRTY} bits); must not throw. */
  constructor(private readonly flush: (batch: ReadonlyMap<K, number>) => void) {}

  /** Marks `bits` pending for `lane` and schedules a flush this turn (O(1)). */
  mark(lane: K, bits: number): void {
    if (this.#closed) return;
    this.#pending.set(lane, (this.#pending.get(lane) ?? 0) | bits);
    this.#scheduled ??= setImmediate(this.#run);
  }

  readonly #run = (): void => {
    this.#scheduled = null;
    const batch = this.#pending;
    this.#pending = new Map();
    if (this.#closed || batch.size === 0) return;
    try {
      this.flush(batch);
    } catch {
      // A faulty flush must not take the watcher down; the safety nets re-read later.
    }
  };

  /** Drops pending work and cancels the scheduled flush. */
  close(): void {
    this.#closed = true;
    if (this.#scheduled !== null) clearImmediate(this.#scheduled);
    this.#scheduled = null;
    this.#pending.clear();
  }
}
