/**
 * Splitting the bytes of a JSONL file into parsed lines (bridge contract "events.jsonl"):
 * one JSON value per `\n`-terminated line, CRLF accepted, blank lines counted but not
 * returned, an incomplete last line held until its newline arrives. Bad lines (not UTF-8,
 * not JSON, longer than the limit) become `{ok:false}` entries for that line only. Used by
 * ./events-tail.ts, which owns offsets and file identity.
 */
import type { EventLine } from '../../state/actions.js';
import { formatBytes, snippet } from './text.js';

/** `line 12`, or `a line` when the number is unknown (0). */
function lineName(n: number): string {
  return n > 0 ? `line ${n}` : 'a line';
}

/** One decoder for every line (a fatal decoder throws on invalid UTF-8; it keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Line splitter with the state of one file generation: the partial last line (at most
 * `maxLineBytes` kept in memory), the line count, and whether the rest of an oversize (or
 * cut) line is being skipped.
 */
export class JsonlLines {
  #lineNo = 0;
  #partial: Buffer[] = [];
  #partialLen = 0;
  #skipping = false;
  /** Reading began inside the file: line numbers are unknown (reported as 0). */
  #unnumbered = false;

  /**
   * @param file the file's name relative to the bridge dir ({@link EventLine.file}).
   * @param maxLine longest line kept, in bytes; a longer one is reported and skipped.
   */
  constructor(
    readonly file: string,
    private readonly maxLine: number,
  ) {}

  /** Lines (complete or skipped) consumed so far. */
  get linesSeen(): number {
    return this.#lineNo;
  }

  /** Bytes of the incomplete last line held in memory. */
  get pendingBytes(): number {
    return this.#partialLen;
  }

  /** Forget everything: the next byte is the start of line 1. */
  reset(): void {
    this.#lineNo = 0;
    this.#partial = [];
    this.#partialLen = 0;
    this.#skipping = false;
    this.#unnumbered = false;
  }

  /**
   * Reading starts inside the file (a cold start from its end): line numbers become
   * unknown, and with `midLine` the bytes up to the first newline are skipped (the end of
   * a line whose start was not read).
   */
  beginInside(midLine: boolean): void {
    this.#unnumbered = true;
    this.#skipping = midLine;
  }

  /** Line number to report: 0 when unknown. */
  #num(): number {
    return this.#unnumbered ? 0 : this.#lineNo;
  }

  /** Split `chunk` (the next bytes of the file) and push every completed line to `out`. */
  consume(chunk: Buffer, out: EventLine[]): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const stop = nl === -1 ? chunk.length : nl;
      const seg = chunk.subarray(start, stop);
      if (this.#skipping) {
        if (nl !== -1) this.#skipping = false;
      } else if (this.#partialLen + seg.length > this.maxLine) {
        this.#lineNo += 1;
        out.push({
          ok: false,
          error: `${lineName(this.#num())} is longer than ${formatBytes(this.maxLine).replace(/ ([KMGT])B$/, ' $1iB')}; skipped`,
          line: this.#num(),
          file: this.file,
        });
        this.#partial = [];
        this.#partialLen = 0;
        this.#skipping = nl === -1;
      } else if (nl === -1) {
        this.#partial.push(seg);
        this.#partialLen += seg.length;
      } else {
        const whole = this.#partial.length > 0 ? Buffer.concat([...this.#partial, seg]) : seg;
        this.#partial = [];
        this.#partialLen = 0;
        this.#lineNo += 1;
        const parsed = this.#parse(whole, this.#num());
        if (parsed !== null) out.push(parsed);
      }
      if (nl === -1) break;
      start = nl + 1;
    }
  }

  #parse(bytes: Buffer, line: number): EventLine | null {
    const body =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      return { ok: false, error: `${lineName(line)} is not valid UTF-8`, line, file: this.file };
    }
    if (text.trim() === '') return null;
    try {
      return { ok: true, value: JSON.parse(text) as unknown, line, file: this.file };
    } catch {
      const shown = JSON.stringify(snippet(text.trim(), 40));
      return { ok: false, error: `${lineName(line)} is not JSON: ${shown}`, line, file: this.file };
    }
  }
}
