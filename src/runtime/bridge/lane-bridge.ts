/**
 * One lane's bridge reader: knows the lane's bridge files, reads them safely (./doc-reader,
 * ./events-tail), and turns what changed into `bridge/*` actions. Used by the watcher
 * (event-driven + safety-net rescans) and by the one-shot reader for `--json`.
 * Reads of the same file are serialized; identical outcomes are not dispatched twice.
 */
import type { Action, BridgeDocKind } from '../../state/actions.js';
import type { BoardSettings, LaneConfig } from '../../state/config-types.js';
import type { Clock } from '../types.js';
import { checkBridgeDir, quietAbsence } from './bridge-dir.js';
import { EventsTail, type EventsTailOptions } from './events-tail.js';
import { DocReader } from './doc-reader.js';
import { Serial } from './serial.js';
import { BRIDGE_TARGETS, TARGET_FILE, targetPath, type BridgeTarget } from './targets.js';

export {
  BRIDGE_FILES,
  BRIDGE_TARGETS,
  CLAW_DIR,
  CLAW_FILE_NAME,
  type BridgeTarget,
} from './targets.js';

/** Collaborators of a {@link LaneBridge}. */
export interface LaneBridgeOptions {
  readonly lane: LaneConfig;
  readonly settings: BoardSettings;
  /** Receives every action (must not throw; exceptions are swallowed). */
  readonly emit: (action: Action) => void;
  readonly clock: Clock;
  /** Called after new event lines or a changed result / claw document (not state.json heartbeats). */
  readonly onActivity?: () => void;
  /** Called when the bridge dir becomes healthy again (`true`) or unhealthy (`false`). */
  readonly onDirChange?: (ok: boolean) => void;
  /**
   * Called after every bridge-dir check, once {@link LaneBridge.dirOk},
   * {@link LaneBridge.dirId} and {@link LaneBridge.dirIsSymlink} are updated and before the
   * re-read a returning or replaced dir gets (so a watch made here sees every later write).
   */
  readonly onDirChecked?: () => void;
  readonly tail?: EventsTailOptions;
  /**
   * Pacing of the reads of one file during a burst (ms; default 0 = none): one read per
   * `minReadGapMs` on average, two may run back to back. An isolated change is read at
   * once; the last change of a burst is always read (./serial.ts).
   */
  readonly minReadGapMs?: number;
}

type DirState = 'unknown' | 'ok' | 'error';

/**
 * Reads one lane's bridge. Every method resolves (never rejects). After {@link close} no
 * action is emitted any more.
 */
export class LaneBridge {
  readonly lane: LaneConfig;
  readonly #opts: LaneBridgeOptions;
  #dir: DirState = 'unknown';
  #dirMessage: string | null = null;
  #dirSymlink = false;
  #dirAbsent = false;
  #dirId: string | null = null;
  #closed = false;
  readonly #docs: DocReader;
  readonly #tails: Record<'events' | 'hooks', EventsTail>;
  readonly #tailProblem: Record<'events' | 'hooks', string | null> = { events: null, hooks: null };
  #eventsErrorSent: string | null = null;
  readonly #dirSerial: Serial;
  readonly #serials: Map<BridgeTarget, Serial>;

  constructor(opts: LaneBridgeOptions) {
    this.#opts = opts;
    this.lane = opts.lane;
    this.#docs = new DocReader(opts.lane);
    this.#tails = {
      events: new EventsTail(targetPath(opts.lane, 'events'), TARGET_FILE.events, opts.tail),
      hooks: new EventsTail(targetPath(opts.lane, 'hooks'), TARGET_FILE.hooks, opts.tail),
    };
    this.#dirSerial = new Serial(async () => {
      await this.#checkDir();
      return false;
    });
    this.#serials = new Map(
      BRIDGE_TARGETS.map(
        (t) => [t, new Serial((force) => this.#read(t, force), opts.minReadGapMs ?? 0)] as const,
      ),
    );
  }

  /** The bridge dir was found healthy at the last check. */
  get dirOk(): boolean {
    return this.#dir === 'ok';
  }

  /** The bridge dir path is a symlink (watchers do not see inside it: poll this lane). */
  get dirIsSymlink(): boolean {
    return this.#dirSymlink;
  }

  /**
   * The last check found nothing at the bridge path (not even a dangling symlink): the dir
   * appearing is an event in its parent directory, so the lane need not be polled for it.
   */
  get dirAbsent(): boolean {
    return this.#dir === 'error' && this.#dirAbsent;
  }

  /** `dev:ino:birthtime` of the bridge dir at the last healthy check (null before one). */
  get dirId(): string | null {
    return this.#dirId;
  }

  /** Stops emitting; reads in flight finish silently. */
  close(): void {
    this.#closed = true;
    this.#dirSerial.close();
    for (const serial of this.#serials.values()) serial.close();
  }

  /** Promises of reads in flight (for dispose to await). */
  inflight(): Promise<void>[] {
    return [this.#dirSerial, ...this.#serials.values()]
      .map((s) => s.pending)
      .filter((p): p is Promise<void> => p !== null);
  }

  #emit(action: Action, activity: boolean): void {
    if (this.#closed) return;
    try {
      this.#opts.emit(action);
    } catch {
      // Dispatch must never throw back; a faulty store must not stop the reader.
    }
    if (activity && this.#opts.onActivity) {
      try {
        this.#opts.onActivity();
      } catch {
        // Same: activity listeners are best-effort.
      }
    }
  }

  #now(): number {
    return this.#opts.clock.now();
  }

  /**
   * Checks the dir, then reads every target. `force` re-reads files whose stat is
   * unchanged (it still dispatches only what changed since the last dispatch).
   */
  async scan(force: boolean): Promise<void> {
    await this.refreshDir();
    await Promise.all(BRIDGE_TARGETS.map((t) => this.refresh(t, force)));
  }

  /**
   * Re-checks the bridge dir (serialized). Dispatches `bridge/dirError` on a new problem,
   * and `message: null` plus a full forced re-read when it comes back.
   */
  refreshDir(): Promise<void> {
    return this.#dirSerial.run(true);
  }

  async #checkDir(): Promise<void> {
    const check = await checkBridgeDir(this.lane.bridge);
    if (check.ok) {
      this.#dirSymlink = check.symlink;
      const was = this.#dir;
      const replaced = was === 'ok' && this.#dirId !== null && this.#dirId !== check.id;
      this.#dir = 'ok';
      this.#dirMessage = null;
      this.#dirId = check.id;
      this.#notifyChecked();
      if (was === 'error') {
        this.#emit(
          { type: 'bridge/dirError', laneId: this.lane.id, message: null, at: this.#now() },
          false,
        );
      }
      if (was === 'error' || replaced) {
        // Came back, or was deleted and recreated between two checks: read everything again.
        this.#notifyDir(true);
        this.#docs.forget('state');
        this.#docs.forget('result');
        await Promise.all(
          BRIDGE_TARGETS.filter((t) => t !== 'claw').map((t) => this.refresh(t, true)),
        );
      }
      return;
    }
    this.#dirAbsent = check.absent;
    const message = quietAbsence(this.lane, check) ? null : check.message;
    if (this.#dir !== 'error' || this.#dirMessage !== message) {
      this.#emit(
        { type: 'bridge/dirError', laneId: this.lane.id, message, at: this.#now() },
        false,
      );
    }
    const wasOk = this.#dir === 'ok';
    this.#dir = 'error';
    this.#dirMessage = message;
    this.#notifyChecked();
    if (wasOk) this.#notifyDir(false);
  }

  #notifyChecked(): void {
    if (this.#closed || !this.#opts.onDirChecked) return;
    try {
      this.#opts.onDirChecked();
    } catch {
      // Best-effort listener.
    }
  }

  #notifyDir(ok: boolean): void {
    if (this.#closed || !this.#opts.onDirChange) return;
    try {
      this.#opts.onDirChange(ok);
    } catch {
      // Best-effort listener.
    }
  }

  /**
   * Refreshes one target (serialized per target; a request during a read triggers one more
   * read afterwards). `force=false` skips files whose lstat stamp is unchanged. Bridge-dir
   * targets are skipped while the dir is unhealthy.
   */
  refresh(target: BridgeTarget, force: boolean): Promise<void> {
    return this.#serials.get(target)?.run(force) ?? Promise.resolve();
  }

  async #read(target: BridgeTarget, force: boolean): Promise<boolean> {
    if (target !== 'claw' && this.#dir !== 'ok') return false;
    if (target === 'events' || target === 'hooks') return this.#readTail(target, force);
    return this.#readDoc(target, force);
  }

  async #readDoc(kind: BridgeDocKind, force: boolean): Promise<boolean> {
    const max = this.#opts.settings.maxBridgeFileBytes;
    const out = await this.#docs.read(kind, force, max, () => this.#now());
    if (out !== null) this.#emit(out.action, out.activity);
    return false;
  }

  async #readTail(which: 'events' | 'hooks', force: boolean): Promise<boolean> {
    const result = await this.#tails[which].read({ ifChanged: !force });
    if (result.lines.length > 0) {
      this.#emit(
        { type: 'bridge/events', laneId: this.lane.id, lines: result.lines, at: this.#now() },
        true,
      );
    }
    this.#tailProblem[which] = result.problem;
    const combined =
      [this.#tailProblem.events, this.#tailProblem.hooks].filter((p) => p !== null).join('; ') ||
      null;
    if (combined !== this.#eventsErrorSent) {
      this.#eventsErrorSent = combined;
      this.#emit(
        { type: 'bridge/eventsError', laneId: this.lane.id, message: combined, at: this.#now() },
        false,
      );
    }
    return result.more;
  }
}
