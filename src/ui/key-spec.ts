/**
 * The vocabulary of the key-binding table (./keymap.ts): the focus contexts, the commands a
 * key can mean, how one key is shown and recognised (with the constructors the table uses)
 * and the human names of the contexts. No bindings live here: the table stays in one place.
 */
import type { Key } from 'ink';

/** Where the keyboard focus is (the topmost open thing). */
export type KeyContext =
  | 'board'
  | 'detail'
  | 'prompt'
  | 'help'
  | 'confirm'
  | 'filter'
  /** A permission request opened with `a` (approvals: board). */
  | 'approve';

/** Everything a key can ask for. */
export type Command =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'restart'
  | 'steer'
  | 'stop'
  | 'start'
  | 'clear'
  | 'help'
  | 'close'
  | 'quit'
  | 'submit'
  | 'backspace'
  | 'yes'
  | 'no'
  | 'addLane'
  | 'removeLane'
  | 'mute'
  | 'sort'
  | 'filter'
  | 'filterKeep'
  | 'filterClear'
  | 'peek'
  | 'diff'
  | 'editor'
  | 'shell'
  | 'approve'
  | 'allow'
  | 'deny';

/** One key of a binding: how it is shown and how it is recognised. */
export interface KeySpec {
  /** Shown in help and hints, e.g. "↑", "k", "Enter", "Ctrl-C". */
  readonly display: string;
  /** True when Ink's `(input, key)` pair is this key. */
  readonly match: (input: string, key: Key) => boolean;
}

/** One entry of the table. */
export interface KeyBinding {
  readonly command: Command;
  readonly keys: readonly KeySpec[];
  /** One-line help text (help overlay). */
  readonly help: string;
  /** Contexts in which the binding is active. */
  readonly contexts: readonly KeyContext[];
  /** Short footer label; bindings without one are not hinted in the footer. */
  readonly hint?: string;
  /** Short label where a binding has no footer hint (`laneboard --help`'s key list). */
  readonly brief?: string;
}

/** No Ctrl/Meta modifier held. */
const plain = (key: Key): boolean => !key.ctrl && !key.meta;
/** A printable key, e.g. `char('k')`; `display` defaults to the character. */
export const char = (c: string, display: string = c): KeySpec => ({
  display,
  match: (input, key) => input === c && plain(key),
});
/** A named key recognised by `test` on Ink's key flags (arrows, Enter, Esc, …). */
export const special = (display: string, test: (key: Key) => boolean): KeySpec => ({
  display,
  match: (_input, key) => test(key),
});
/** Ctrl plus a letter, shown as `Ctrl-X`. */
export const ctrl = (c: string): KeySpec => ({
  display: `Ctrl-${c.toUpperCase()}`,
  match: (input, key) => key.ctrl && input === c,
});

/** Human names of the contexts, for the help overlay. */
export const CONTEXT_NAMES: Readonly<Record<KeyContext, string>> = {
  board: 'board',
  detail: 'detail pane',
  prompt: 'steer / new-lane / deny-message prompt',
  help: 'help',
  confirm: 'quit / remove confirmation',
  filter: 'filter (typing)',
  approve: 'permission request (a)',
};
