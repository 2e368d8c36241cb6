/**
 * The help overlay's content, generated from {@link KEYMAP}: one section per key
 * context, one line per binding (`keys  help`). Pure.
 */
import type { DetailLine } from './detail-lines.js';
import { CONTEXT_NAMES, CTRL_C_QUITS_ONLY, KEYMAP } from './keymap.js';
import type { KeyContext } from './keymap.js';

const ORDER: readonly KeyContext[] = [
  'board',
  'detail',
  'prompt',
  'filter',
  'help',
  'confirm',
  'approve',
];

/** Indent of a binding's help text: two spaces, the keys padded to 16, one space. */
const TEXT_COLUMN = 19;

/**
 * `text` cut at spaces into pieces of at most `max` characters (a longer word is cut
 * where it must). Returns at least one piece.
 */
function wrapWords(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > max) {
      if (line !== '') out.push(line);
      out.push(w.slice(0, max));
      w = w.slice(max);
      line = '';
    }
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= max) line = `${line} ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  out.push(line);
  return out;
}

/**
 * Help lines for every context, keys padded to one column. With `width` (terminal cells),
 * a help text longer than the line wraps onto lines indented under it, so nothing is cut
 * on a narrow terminal; without it, one line per binding.
 */
export function helpLines(width: number = Infinity): DetailLine[] {
  const max = Math.max(20, width - 1 - TEXT_COLUMN); // the last column stays free
  const out: DetailLine[] = [];
  for (const ctx of ORDER) {
    const bindings = KEYMAP.filter((b) => b.contexts.includes(ctx));
    if (bindings.length === 0) continue;
    out.push({ text: `In the ${CONTEXT_NAMES[ctx]}`, tone: 'accent', heading: true });
    for (const b of bindings) {
      // Where only Ctrl-C quits, `q` is not shown as a quit key.
      const shown =
        b.command === 'quit' && CTRL_C_QUITS_ONLY.has(ctx)
          ? b.keys.filter((k) => k.display.startsWith('Ctrl-'))
          : b.keys;
      const keys = shown.map((k) => k.display).join(' / ');
      wrapWords(b.help, max).forEach((piece, i) => {
        const lead = i === 0 ? `  ${keys.padEnd(16)} ` : ' '.repeat(TEXT_COLUMN);
        out.push({ text: `${lead}${piece}`, tone: 'plain' });
      });
    }
  }
  const last = 'In the steer prompt and the filter, any other key is text.';
  for (const piece of wrapWords(last, Math.max(20, width - 1)))
    out.push({ text: piece, tone: 'muted' });
  return out;
}
