/**
 * Edits of a lanes.yaml text that keep everything else byte for byte: append one lane to
 * `lanes`, remove one lane by id. Pure (text in, text out; no I/O).
 *
 * The yaml Document API (`parseDocument`, node `range`s) finds the `lanes` sequence and
 * its items; the edit itself is a splice of whole lines, so every comment, blank line,
 * quote style and indentation outside the changed entry survives unchanged (a
 * `Document.toString()` round trip would re-flow some of them). What counts as one entry:
 * its `- ` line, every following line that is blank or indented deeper than the `-`
 * (commented-out keys included), and the comment lines directly above it at the `-`'s
 * column; blank lines after it go with it only when it is the first entry or blank lines
 * precede it (so the file keeps one separator, not two). A `lanes` written as a flow sequence (`[...]`) is
 * edited through the Document API instead (comments kept, layout re-written).
 */
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Document, YAMLSeq } from 'yaml';

/** Thrown when the text cannot be edited (not YAML, no `lanes` list, unknown or duplicate id). */
export class LanesEditError extends Error {
  override readonly name = 'LanesEditError';
}

/** A lane entry as written to lanes.yaml (YAML key names; values already in YAML form). */
export type LaneEntry = Readonly<Record<string, unknown>>;

interface Lines {
  /** Offset of the start of each line; a final entry for the end of the text. */
  readonly starts: number[];
  readonly text: string;
}

function lineTable(text: string): Lines {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  if (starts[starts.length - 1] !== text.length) starts.push(text.length);
  return { starts, text };
}

function lineOf(l: Lines, offset: number): number {
  let lo = 0;
  let hi = l.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((l.starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineText(l: Lines, n: number): string {
  return l.text
    .slice(l.starts[n] ?? l.text.length, l.starts[n + 1] ?? l.text.length)
    .replace(/\r?\n$/, '');
}

const indentOf = (s: string): number => s.length - s.trimStart().length;
const isBlank = (s: string): boolean => s.trim() === '';
const isComment = (s: string): boolean => s.trimStart().startsWith('#');

function parse(text: string): { doc: Document; seq: YAMLSeq } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new LanesEditError(`lanes.yaml is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  }
  const seq = doc.get('lanes', true);
  if (!isSeq(seq)) throw new LanesEditError('lanes.yaml has no `lanes` list');
  return { doc, seq };
}

function idOf(item: unknown): unknown {
  if (!isMap(item)) return undefined;
  const v = item.get('id', true);
  return isScalar(v) ? v.value : undefined;
}

/** First and last line (inclusive) of item `item` of a block sequence, and its dash column. */
function entryLines(
  l: Lines,
  item: { range?: [number, number, number] | null },
): {
  first: number;
  last: number;
  dashCol: number;
} | null {
  const start = item.range?.[0];
  if (start === undefined) return null;
  // The `-` indicator is the last non-space character before the item's content.
  let dash = start - 1;
  while (dash >= 0 && /\s/.test(l.text[dash] ?? '')) dash--;
  if (l.text[dash] !== '-') return null;
  const dashLine = lineOf(l, dash);
  const dashCol = dash - (l.starts[dashLine] ?? 0);
  const total = l.starts.length - 1;
  let last = dashLine;
  for (let n = dashLine + 1; n < total; n++) {
    const s = lineText(l, n);
    if (!isBlank(s) && indentOf(s) <= dashCol) break;
    if (!isBlank(s)) last = n;
  }
  let first = dashLine;
  while (first > 0) {
    const s = lineText(l, first - 1);
    if (!isComment(s) || indentOf(s) !== dashCol) break;
    first--;
  }
  return { first, last, dashCol };
}

/** The text of `entry` as a block sequence item, each line indented by `col` spaces. */
function entryText(entry: LaneEntry, col: number): string {
  const body = stringify([entry], { lineWidth: 0 });
  const pad = ' '.repeat(col);
  return body
    .split('\n')
    .filter((s) => s !== '')
    .map((s) => `${pad}${s}\n`)
    .join('');
}

/**
 * Append `entry` as the last lane.
 * @param text the current lanes.yaml text.
 * @param entry must have a string `id` not used by another lane.
 * @returns the new text: the old text unchanged up to the end of the last lane entry,
 *   the new entry (same indentation as the other entries), then the old rest.
 * @throws {LanesEditError} when the text is not YAML, has no `lanes` list, or the id is taken.
 */
export function appendLane(text: string, entry: LaneEntry): string {
  const { doc, seq } = parse(text);
  if (seq.items.some((it) => idOf(it) === entry.id)) {
    throw new LanesEditError(`lane '${String(entry.id)}' is already in lanes.yaml`);
  }
  const lastItem = seq.items[seq.items.length - 1] as
    { range?: [number, number, number] } | undefined;
  const l = lineTable(text);
  const span = seq.flow !== true && lastItem !== undefined ? entryLines(l, lastItem) : null;
  if (span === null) {
    seq.add(doc.createNode(entry));
    return doc.toString({ lineWidth: 0 });
  }
  const at = l.starts[span.last + 1] ?? text.length;
  const before = text.slice(0, at);
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  return `${before}${sep}${entryText(entry, span.dashCol)}${text.slice(at)}`;
}

/**
 * Remove the lane with id `id` (its entry as defined in the module doc).
 * @returns the new text, identical to `text` outside the removed lines.
 * @throws {LanesEditError} when the text is not YAML, has no `lanes` list, or no lane has `id`.
 */
export function removeLane(text: string, id: string): string {
  const { doc, seq } = parse(text);
  const index = seq.items.findIndex((it) => idOf(it) === id);
  if (index < 0) throw new LanesEditError(`no lane '${id}' in lanes.yaml`);
  const item = seq.items[index] as { range?: [number, number, number] };
  const l = lineTable(text);
  const span = seq.flow !== true ? entryLines(l, item) : null;
  if (span === null) {
    seq.delete(index);
    return doc.toString({ lineWidth: 0 });
  }
  // Blank lines after the entry go with it when it was first or had blank lines before
  // it (else they separate the lanes from what follows, and stay).
  let last = span.last;
  const total = l.starts.length - 1;
  if (index === 0 || (span.first > 0 && isBlank(lineText(l, span.first - 1)))) {
    while (last + 1 < total && isBlank(lineText(l, last + 1))) last++;
  }
  const from = l.starts[span.first] ?? 0;
  const to = l.starts[last + 1] ?? text.length;
  return text.slice(0, from) + text.slice(to);
}
