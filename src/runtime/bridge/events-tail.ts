/**
 * Incremental, bounded reader of an append-only JSONL events file (`events.jsonl`,
 * `hook-events.jsonl`; bridge contract "events.jsonl"). Keeps a byte offset, the file's
 * identity and a partial-line buffer; reads only new bytes; survives truncation, rotation,
 * symlinks, oversize lines and invalid UTF-8 without throwing.
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { closeFd, fstatFd, openFd, readFd } from './fd-io.js';
import { identityOf } from './identity.js';
import type { EventLine } from '../../state/actions.js';
import { COLD_LINES, COLD_WINDOW_BYTES, coldStartIn } from './events-cold.js';
import { JsonlLines } from './jsonl-lines.js';
import { notRegularFileMessage, READ_CHUNK_BYTES, SAFE_OPEN_FLAGS, stampOf } from './read-json.js';
import { describeAccessError, errnoCode, isMissing } from './text.js';

export { COLD_LINES, COLD_WINDOW_BYTES } from './events-cold.js';

/** Tunables of an {@link EventsTail} (all in bytes). */
export interface EventsTailOptions {
  /** A line longer than this is skipped and reported. @default 1 MiB */
  readonly maxLineBytes?: number;
  /** Largest single read. @default 1 MiB */
  readonly chunkBytes?: number;
  /** At most this many new bytes per poll; the rest is left for the next poll (`more`). @default 8 MiB */
  readonly maxBytesPerPoll?: number;
  /**
   * Cold start (./events-cold.ts): the first read of a tail (board start, `--json`) reads
   * only the newest `coldLines` lines of the file's last `coldWindowBytes` bytes, so the
   * cost and memory of a start do not grow with the file. When the file leaves room in
   * both, the tail of its rotated predecessor `<file>.1` comes first (lines from it carry
   * the file name `<file>.1`). Lines read after a start inside the file have line number 0
   * (unknown). @default {@link COLD_WINDOW_BYTES}, {@link COLD_LINES}
   */
  readonly coldWindowBytes?: number;
  readonly coldLines?: number;
}

/** Outcome of one {@link EventsTail.read}. */
export interface TailRead {
  /** New complete lines in file order (blank lines are counted but not returned). */
  readonly lines: EventLine[];
  /** File-level problem (symlink, not a file, unreadable), or null. */
  readonly problem: string | null;
  /** Nothing is at the path (not a problem: workers may not have written it yet). */
  readonly missing: boolean;
  /** More unread bytes remain (the per-poll cap was hit): poll again soon. */
  readonly more: boolean;
  /** Why reading restarted at offset 0 during this read, if it did. */
  readonly restarted: 'truncated' | 'replaced' | null;
}

/** Bytes kept from just before the offset to detect a rewrite that keeps size and inode. */
const SIGNATURE_BYTES = 64;

/**
 * Tails one events file. Line numbers are 1-based per file generation and continue across
 * polls; a restart (truncate / rotate / replace) starts again at offset 0 and line 1 of the
 * new content, never re-reading what the old generation already yielded.
 *
 * Concurrent calls to {@link poll}/{@link read} are serialized internally.
 */
export class EventsTail {
  readonly #maxLine: number;
  readonly #chunk: number;
  readonly #perPoll: number;
  #offset = 0;
  #identity: string | null = null;
  #signature: Buffer = Buffer.alloc(0);
  readonly #lines: JsonlLines;
  #lastStamp: string | null = null;
  #cold = true;
  readonly #window: number;
  readonly #coldLines: number;
  #chain: Promise<unknown> = Promise.resolve();

  /**
   * @param path absolute path of the events file.
   * @param file its name relative to the bridge dir, used in {@link EventLine.file} and messages.
   */
  constructor(
    readonly path: string,
    readonly file: string,
    options: EventsTailOptions = {},
  ) {
    this.#maxLine = Math.max(1, options.maxLineBytes ?? 1024 * 1024);
    this.#chunk = Math.max(1, options.chunkBytes ?? READ_CHUNK_BYTES);
    this.#perPoll = Math.max(1, options.maxBytesPerPoll ?? 8 * 1024 * 1024);
    this.#window = Math.max(0, options.coldWindowBytes ?? COLD_WINDOW_BYTES);
    this.#coldLines = Math.max(0, options.coldLines ?? COLD_LINES);
    this.#lines = new JsonlLines(file, this.#maxLine);
  }

  /** Bytes consumed so far in the current file generation. */
  get offset(): number {
    return this.#offset;
  }

  /** Number of lines (complete or skipped) consumed so far in the current generation. */
  get linesSeen(): number {
    return this.#lines.linesSeen;
  }

  /** Bytes of an incomplete last line held in memory (≤ maxLineBytes). */
  get pendingBytes(): number {
    return this.#lines.pendingBytes;
  }

  /** Reads new complete lines; file-level problems are dropped (see {@link read}). */
  async poll(): Promise<EventLine[]> {
    return (await this.read()).lines;
  }

  /**
   * Reads new bytes since the last call and returns the complete lines among them.
   * @param options.ifChanged skip opening the file when its lstat stamp is unchanged since
   *   the last complete read (cheap safety-net polling).
   * Never throws.
   */
  read(options: { readonly ifChanged?: boolean } = {}): Promise<TailRead> {
    const next = this.#chain.then(() => this.#readNow(options.ifChanged === true));
    this.#chain = next.catch(() => undefined);
    return next.catch((error: unknown) => ({
      lines: [],
      problem: describeAccessError(this.file, error),
      missing: false,
      more: false,
      restarted: null,
    }));
  }

  #resetState(): void {
    this.#offset = 0;
    this.#identity = null;
    this.#signature = Buffer.alloc(0);
    this.#lines.reset();
    this.#lastStamp = null;
  }

  /**
   * Where a cold read of the open file (`size` bytes) starts: inside its last
   * `coldWindowBytes` bytes, at the newest `coldLines` lines (a cut first line is
   * skipped). Lines of the rotated predecessor's tail go to `lines` first when the file
   * leaves room in both budgets.
   */
  async #coldStart(fd: number, size: number, lines: EventLine[]): Promise<number> {
    this.#cold = false;
    if (this.#window <= 0) return 0;
    const from = Math.max(0, size - this.#window);
    const start = await coldStartIn(fd, from, size, this.#coldLines);
    if (start.offset > 0) {
      this.#lines.beginInside(start.midLine);
      return start.offset;
    }
    if (start.lines >= this.#coldLines) return 0;
    const prev = new EventsTail(`${this.path}.1`, `${this.file}.1`, {
      maxLineBytes: this.#maxLine,
      chunkBytes: this.#chunk,
      coldWindowBytes: this.#window - size,
      coldLines: this.#coldLines - start.lines,
    });
    const r = await prev.read();
    for (const l of r.lines) lines.push(l);
    return 0;
  }

  async #readNow(ifChanged: boolean): Promise<TailRead> {
    const empty: Pick<TailRead, 'more' | 'restarted'> & { lines: EventLine[] } = {
      lines: [],
      more: false,
      restarted: null,
    };
    // The lstat is only needed to skip an unchanged file (safety-net polling); an
    // event-driven read goes straight to open + fstat (O_NOFOLLOW refuses a symlink).
    if (ifChanged) {
      let st: Stats;
      try {
        st = await lstat(this.path);
      } catch (error) {
        if (isMissing(errnoCode(error))) {
          this.#resetState();
          return { ...empty, problem: null, missing: true };
        }
        return { ...empty, problem: describeAccessError(this.file, error), missing: false };
      }
      const notFile = notRegularFileMessage(this.file, st);
      if (notFile !== null) return { ...empty, problem: notFile, missing: false };
      if (stampOf(st) === this.#lastStamp) return { ...empty, problem: null, missing: false };
    }
    let fd: number;
    try {
      fd = await openFd(this.path, SAFE_OPEN_FLAGS);
    } catch (error) {
      return { ...empty, ...(await this.#openFailure(error)) };
    }
    try {
      return await this.#readOpen(fd);
    } finally {
      await closeFd(fd);
    }
  }

  /** Why the open failed (an lstat on this rare path tells a socket from a permission problem). */
  async #openFailure(error: unknown): Promise<Pick<TailRead, 'problem' | 'missing'>> {
    const code = errnoCode(error);
    if (isMissing(code)) {
      this.#resetState();
      return { problem: null, missing: true };
    }
    if (code === 'ELOOP')
      return { problem: `${this.file} is a symlink; not followed`, missing: false };
    try {
      const notFile = notRegularFileMessage(this.file, await lstat(this.path));
      if (notFile !== null) return { problem: notFile, missing: false };
    } catch (lerror) {
      if (isMissing(errnoCode(lerror))) {
        this.#resetState();
        return { problem: null, missing: true };
      }
    }
    return { problem: describeAccessError(this.file, error), missing: false };
  }

  async #readOpen(fd: number): Promise<TailRead> {
    const fst = await fstatFd(fd);
    const bad = notRegularFileMessage(this.file, fst);
    if (bad !== null)
      return { lines: [], problem: bad, missing: false, more: false, restarted: null };
    const identity = identityOf(fst);
    let restarted: TailRead['restarted'] = null;
    if (this.#identity !== null && this.#identity !== identity) {
      restarted = 'replaced';
    } else if (fst.size < this.#offset) {
      restarted = 'truncated';
    }
    if (restarted !== null) this.#resetState();
    const cold = this.#identity === null && this.#offset === 0 && this.#cold;
    this.#identity = identity;

    const lines: EventLine[] = [];
    if (cold) this.#offset = await this.#coldStart(fd, fst.size, lines);
    let end = Math.min(fst.size, this.#offset + this.#perPoll);
    let pos = this.#offset;
    // The first read also re-reads the signature (the bytes just before the offset) to
    // detect an in-place rewrite that kept inode and size: one read instead of two.
    const sigLen = this.#signature.length;
    let first = sigLen > 0;
    while (pos < end || first) {
      const lead = first ? sigLen : 0;
      const want = Math.min(this.#chunk, end - pos);
      const buf = Buffer.allocUnsafe(lead + want);
      const bytesRead = await readFd(fd, buf, 0, lead + want, pos - lead);
      if (first) {
        first = false;
        if (bytesRead < lead || Buffer.compare(buf.subarray(0, lead), this.#signature) !== 0) {
          this.#resetState();
          restarted = 'replaced';
          pos = 0;
          end = Math.min(fst.size, this.#perPoll);
          continue;
        }
      }
      const got = bytesRead - lead;
      if (got <= 0) break;
      const chunk = buf.subarray(lead, bytesRead);
      this.#lines.consume(chunk, lines);
      this.#remember(chunk);
      pos += got;
    }
    this.#offset = pos;
    const more = pos < fst.size;
    this.#lastStamp = more ? null : stampOf(fst);
    return { lines, problem: null, missing: false, more, restarted };
  }

  /** Keeps the last {@link SIGNATURE_BYTES} consumed bytes. */
  #remember(chunk: Buffer): void {
    if (chunk.length >= SIGNATURE_BYTES) {
      this.#signature = Buffer.from(chunk.subarray(chunk.length - SIGNATURE_BYTES));
    } else {
      const joined = Buffer.concat([this.#signature, chunk]);
      this.#signature = Buffer.from(joined.subarray(Math.max(0, joined.length - SIGNATURE_BYTES)));
    }
  }
}
