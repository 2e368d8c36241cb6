/**
 * Reads one lane's JSON bridge documents (state.json, result.json, the claw state) and
 * decides what is worth dispatching: a re-read whose lstat stamp is unchanged is skipped,
 * identical bytes are not even parsed, and an outcome equal to the last dispatched one is
 * not dispatched again. Split out of ./lane-bridge.ts, which serializes the calls.
 */
import { lstat } from 'node:fs/promises';
import type { Action, BridgeDocKind } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';
import { parseDocument, readFileBounded, stampOf, type JsonFileRead } from './read-json.js';
import { TARGET_FILE, targetPath } from './targets.js';
import { errnoCode, isMissing } from './text.js';

/** An action to dispatch and whether it counts as lane activity (see LaneBridgeOptions). */
export interface DocOutcome {
  readonly action: Action;
  readonly activity: boolean;
}

async function lstatStamp(path: string): Promise<string | null> {
  try {
    return stampOf(await lstat(path));
  } catch (error) {
    return isMissing(errnoCode(error)) ? 'missing' : null;
  }
}

function signature(read: JsonFileRead): string {
  if (read.kind === 'ok') return `ok:${read.digest}`;
  if (read.kind === 'missing') return 'missing';
  return `error:${read.message}`;
}

/** Per-lane memory of the last dispatched document of each kind. Not reentrant per kind. */
export class DocReader {
  readonly #lane: LaneConfig;
  readonly #sig = new Map<BridgeDocKind, string>();
  readonly #stamp = new Map<BridgeDocKind, string | null>();
  /** Bytes of the last dispatched good document: an identical re-read is not even parsed. */
  readonly #bytes = new Map<BridgeDocKind, Buffer>();

  constructor(lane: LaneConfig) {
    this.#lane = lane;
  }

  /** Forget what was dispatched for `kind` (the next read dispatches whatever it finds). */
  forget(kind: BridgeDocKind): void {
    this.#sig.delete(kind);
    this.#bytes.delete(kind);
  }

  /**
   * Read document `kind` (at most `maxBytes` bytes; `now` stamps the action in ms). `force`
   * reads even when the lstat stamp is unchanged. Returns the `bridge/doc`,
   * `bridge/missing` or `bridge/docError` action to dispatch, or null when nothing changed.
   * Never rejects: read problems become `bridge/docError`.
   */
  async read(
    kind: BridgeDocKind,
    force: boolean,
    maxBytes: number,
    now: () => number,
  ): Promise<DocOutcome | null> {
    const path = targetPath(this.#lane, kind);
    if (!force && this.#sig.has(kind)) {
      const stamp = await lstatStamp(path);
      if (stamp !== null && stamp === this.#stamp.get(kind)) return null;
    }
    const name = TARGET_FILE[kind];
    const raw = await readFileBounded(path, maxBytes, name);
    if (raw.kind === 'ok') {
      this.#stamp.set(kind, raw.stamp);
      // Unchanged content (a re-read after its own event, an identical heartbeat): no
      // decode, no parse, no dispatch.
      if (this.#bytes.get(kind)?.equals(raw.bytes) === true) return null;
    } else {
      this.#stamp.set(kind, raw.kind === 'missing' ? 'missing' : null);
    }
    const read: JsonFileRead = raw.kind === 'ok' ? parseDocument(raw.bytes, name, raw.stamp) : raw;
    if (read.kind === 'ok' && raw.kind === 'ok') {
      this.#bytes.set(kind, raw.bytes);
    } else {
      this.#bytes.delete(kind);
      // Re-read a bad document on the next scan even if its stamp stays the same.
      if (read.kind === 'error') this.#stamp.set(kind, null);
    }
    const sig = signature(read);
    if (this.#sig.get(kind) === sig) return null;
    this.#sig.set(kind, sig);
    const base = { laneId: this.#lane.id, kind, at: now() } as const;
    // state.json is rewritten as a heartbeat: it says nothing about git, so it is not
    // "activity" (a git probe per heartbeat cost most of the board's CPU at 200 lanes).
    const activity = kind !== 'state';
    if (read.kind === 'ok') {
      return { action: { type: 'bridge/doc', ...base, file: name, raw: read.value }, activity };
    }
    if (read.kind === 'missing') return { action: { type: 'bridge/missing', ...base }, activity };
    return { action: { type: 'bridge/docError', ...base, message: read.message }, activity: false };
  }
}
