/**
 * Footer key hints, generated from the one key table ({@link KEYMAP}): which hints a
 * context shows and which of them fit a width. Pure.
 */
import { KEYMAP } from './keymap.js';
import type { Command, KeyContext } from './keymap.js';

/** A footer hint: the keys to press and what they do. */
export interface Hint {
  readonly keys: string;
  readonly label: string;
  /**
   * Kept whatever the width (help, close, quit): a narrow footer drops other hints first,
   * so the way to the help overlay and out of the board is always on screen.
   */
  readonly essential?: boolean;
}

/** Commands whose hint a narrow footer keeps (see {@link Hint.essential}). */
const ESSENTIAL: ReadonlySet<Command> = new Set<Command>(['help', 'close', 'quit']);

/**
 * Footer hints of `context`, in table order (the caller keeps those that fit, essential
 * ones first). In the prompt and the filter `q` is text, so quit is hinted as Ctrl-C.
 */
export function hintsFor(context: KeyContext): readonly Hint[] {
  const out: Hint[] = [];
  const typing = context === 'prompt' || context === 'filter';
  for (const b of KEYMAP) {
    if (b.hint === undefined || !b.contexts.includes(context)) continue;
    // Ctrl-C there is a yes (confirm) or the only quit key (approve): no `q quit` hint.
    if ((context === 'confirm' || context === 'approve') && b.command === 'quit') continue;
    // On the board Esc only closes a kept filter or the peek, which say how to close them.
    if (context === 'board' && b.command === 'close') continue;
    const first =
      typing && b.command === 'quit'
        ? b.keys.find((k) => k.display.startsWith('Ctrl-'))
        : b.keys[0];
    const keys = b.command === 'up' ? '↑↓/jk' : (first?.display ?? '');
    const label = b.command === 'up' && context !== 'board' ? 'scroll' : b.hint;
    out.push(ESSENTIAL.has(b.command) ? { keys, label, essential: true } : { keys, label });
  }
  return out;
}

/**
 * The hints that fit in `width` cells (two spaces apart), in keymap order: essential hints
 * (help, close, quit) are kept first, then the others in table order while they fit.
 * Returns '' when not even the first essential hint fits.
 */
export function fitHints(hints: readonly Hint[], width: number): string {
  const text = (h: Hint): string => `${h.keys} ${h.label}`;
  const keep = new Set<Hint>();
  let used = 0;
  const take = (h: Hint): boolean => {
    const cost = text(h).length + (keep.size === 0 ? 0 : 2);
    if (used + cost > width) return false;
    keep.add(h);
    used += cost;
    return true;
  };
  for (const h of hints) if (h.essential === true && !take(h)) break;
  for (const h of hints) if (h.essential !== true && !take(h)) break;
  return hints
    .filter((h) => keep.has(h))
    .map(text)
    .join('  ');
}

/**
 * Every key of `context` as one line of `keys label` pairs joined by ` · ` (e.g.
 * `↑↓/jk select · PgUp page up · … · q quit`), for `laneboard --help`: the footer label,
 * else the binding's `brief`; bindings with neither are left out (`down` is in `↑↓/jk`).
 */
export function keyList(context: KeyContext): string {
  const out: string[] = [];
  for (const b of KEYMAP) {
    if (!b.contexts.includes(context) || b.command === 'down') continue;
    const label = b.hint ?? b.brief;
    if (label === undefined) continue;
    const keys = b.command === 'up' ? '↑↓/jk' : b.keys.map((k) => k.display).join('/');
    out.push(`${keys} ${label}`);
  }
  return out.join(' · ');
}
