/**
 * The help overlay's content, generated from {@link KEYMAP}: one section per key
 * context, one line per binding (`keys  help`). Pure.
 */
import type { DetailLine } from './detail-lines.js';
import { CONTEXT_NAMES, KEYMAP } from './keymap.js';
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

/** Help lines for every context, keys padded to one column. */
export function helpLines(): DetailLine[] {
  const out: DetailLine[] = [];
  for (const ctx of ORDER) {
    const bindings = KEYMAP.filter((b) => b.contexts.includes(ctx));
    if (bindings.length === 0) continue;
    out.push({ text: `In the ${CONTEXT_NAMES[ctx]}`, tone: 'accent', heading: true });
    for (const b of bindings) {
      const keys = b.keys.map((k) => k.display).join(' / ');
      out.push({ text: `  ${keys.padEnd(16)} ${b.help}`, tone: 'plain' });
    }
  }
  out.push({ text: 'In the steer prompt and the filter, any other key is text.', tone: 'muted' });
  return out;
}
