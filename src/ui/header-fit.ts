/**
 * Which parts of the header line fit a terminal width. Pure. The header is one line; when
 * everything does not fit, parts go in this order, each step only while still too wide:
 * counts that are zero (shown muted), the "laneboard — " prefix of the title, the
 * "· N finished" aside, the "lane i/n" position. What is left is truncated at the end by the
 * caller (the order label and non-zero counts go last).
 */

import type { Tone } from './theme.js';

/** One count of the header, e.g. `{ text: '2 blocked', tone: 'warn', zero: false }`. */
export interface HeaderCount {
  readonly text: string;
  readonly tone: Tone;
  /** True when the count is 0 (may be left out on a narrow terminal). */
  readonly zero: boolean;
  /** An aside shown after the text (` · 3 finished`), dropped before non-zero counts. */
  readonly aside?: string;
}

/** The header's parts before fitting. */
export interface HeaderInput {
  readonly title: string;
  readonly counts: readonly HeaderCount[];
  /** `lane i/n`, or '' when no lane is selected. */
  readonly position: string;
  /** `by attention first`, or '' in lanes.yaml order. */
  readonly order: string;
}

/** The prefix every board title starts with (src/cli): dropped when space is short. */
const PREFIX = 'laneboard — ';

/** Cells the header takes: parts two spaces apart. */
export function headerWidth(h: HeaderInput): number {
  const counts = h.counts.reduce((n, c) => n + 2 + c.text.length + (c.aside ?? '').length, 0);
  const tail = [h.position, h.order].reduce((n, t) => n + (t === '' ? 0 : 2 + t.length), 0);
  return h.title.length + counts + tail;
}

/**
 * `h` with parts left out, in the order of the module comment, until it fits `width`
 * cells (or nothing more can go). The first count (lanes) is always kept.
 */
export function fitHeader(h: HeaderInput, width: number): HeaderInput {
  const steps: ((x: HeaderInput) => HeaderInput)[] = [
    (x) => ({ ...x, counts: x.counts.filter((c, i) => i === 0 || !c.zero) }),
    (x) => ({ ...x, title: x.title.startsWith(PREFIX) ? x.title.slice(PREFIX.length) : x.title }),
    (x) => ({ ...x, counts: x.counts.map((c) => ({ ...c, aside: undefined })) }),
    (x) => ({ ...x, position: '' }),
  ];
  let out = h;
  for (const step of steps) {
    if (headerWidth(out) <= width) break;
    out = step(out);
  }
  return out;
}
