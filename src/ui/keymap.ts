/**
 * The one key-binding table. Every shortcut of the board is defined here, with its help
 * text and the contexts where it applies; the input router asks {@link matchCommand}
 * which command a key press means, and the help overlay and footer hints are generated
 * from {@link KEYMAP}. Nothing else in the UI compares key codes. The vocabulary the table
 * is written in (contexts, commands, key specs) lives in ./key-spec.ts.
 */
import type { Key } from 'ink';
import { char, ctrl, special, type Command, type KeyBinding, type KeyContext } from './key-spec.js';
import { MUTED_TAG } from './row-tags.js';

export {
  CONTEXT_NAMES,
  type Command,
  type KeyBinding,
  type KeyContext,
  type KeySpec,
} from './key-spec.js';

const LISTS: readonly KeyContext[] = ['board', 'detail', 'help'];
const LANE: readonly KeyContext[] = ['board', 'detail'];

/** The key-binding table (order = help order = footer hint priority). */
export const KEYMAP: readonly KeyBinding[] = [
  {
    command: 'up',
    keys: [special('↑', (k) => k.upArrow), char('k')],
    help: 'select the previous lane (scroll up in detail/help)',
    contexts: LISTS,
    hint: 'select',
  },
  {
    command: 'down',
    keys: [special('↓', (k) => k.downArrow), char('j')],
    help: 'select the next lane (scroll down in detail/help)',
    contexts: LISTS,
  },
  {
    command: 'pageUp',
    keys: [special('PgUp', (k) => k.pageUp)],
    help: 'one page up',
    contexts: LISTS,
    brief: 'page up',
  },
  {
    command: 'pageDown',
    keys: [special('PgDn', (k) => k.pageDown)],
    help: 'one page down',
    contexts: LISTS,
    brief: 'page down',
  },
  {
    command: 'top',
    keys: [char('g'), special('Home', (k) => k.home)],
    help: 'first lane (top)',
    contexts: LISTS,
    brief: 'first',
  },
  {
    command: 'bottom',
    keys: [char('G'), special('End', (k) => k.end)],
    help: 'last lane (bottom)',
    contexts: LISTS,
    brief: 'last',
  },
  {
    command: 'open',
    keys: [special('Enter', (k) => k.return)],
    help: 'open the detail pane of the selected lane',
    contexts: ['board'],
    hint: 'details',
  },
  {
    command: 'steer',
    keys: [char('s')],
    help: 'steer: send a message to the lane’s worker',
    contexts: LANE,
    hint: 'steer',
  },
  {
    command: 'approve',
    keys: [char('a')],
    help: 'answer the lane’s permission request (approvals: board): y allow once, n deny',
    contexts: LANE,
    hint: 'approve',
  },
  {
    command: 'allow',
    keys: [char('y'), char('Y')],
    help: 'allow the request once',
    contexts: ['approve'],
    hint: 'allow once',
  },
  {
    command: 'deny',
    keys: [char('n'), char('N')],
    help: 'deny the request (then an optional message for the agent; Enter sends)',
    contexts: ['approve'],
    hint: 'deny',
  },
  {
    command: 'restart',
    keys: [char('r')],
    help: 'restart the lane’s worker',
    contexts: LANE,
    hint: 'restart',
  },
  {
    command: 'stop',
    keys: [char('x')],
    help: 'stop the lane’s worker (no auto-restart)',
    contexts: LANE,
    hint: 'stop',
  },
  {
    command: 'start',
    keys: [char('S')],
    help: 'start the lane’s worker',
    contexts: LANE,
    hint: 'start',
  },
  {
    command: 'clear',
    keys: [char('c')],
    help: 'clear sticky blockers (workspace mismatch)',
    contexts: LANE,
    hint: 'clear',
  },
  {
    command: 'addLane',
    keys: [char('n')],
    help: 'new lane: asks for its id, then branch + worktree + lanes.yaml entry (laneboard add)',
    contexts: ['board'],
    brief: 'new lane',
  },
  {
    command: 'removeLane',
    keys: [char('D')],
    help: 'remove the lane: asks first, naming what would be lost (laneboard remove)',
    contexts: LANE,
    brief: 'remove lane',
  },
  {
    command: 'peek',
    keys: [char('p')],
    help: 'live peek: last events and worker.log of the selected lane below the board',
    contexts: ['board'],
    hint: 'peek',
  },
  {
    command: 'diff',
    keys: [char('d')],
    help: 'the lane’s diff against its merge base with the base ref, in $PAGER (less -R)',
    contexts: LANE,
    hint: 'diff',
  },
  {
    command: 'shell',
    keys: [char('t')],
    help: 'open $SHELL in the lane’s worktree (exit returns to the board)',
    contexts: LANE,
    hint: 'shell',
  },
  {
    command: 'editor',
    keys: [char('e')],
    help: 'open the lane’s worktree in $VISUAL / $EDITOR',
    contexts: LANE,
    brief: 'editor',
  },
  {
    command: 'mute',
    keys: [char('m')],
    help: `mute / unmute the lane’s notifications (the row says ${MUTED_TAG.text}, or ${MUTED_TAG.short} when narrow)`,
    contexts: LANE,
    brief: 'mute',
  },
  {
    command: 'filter',
    keys: [char('/')],
    help: 'filter lanes by id, branch, phase or blocker (Enter keeps, Esc clears)',
    contexts: ['board'],
    hint: 'filter',
  },
  {
    command: 'sort',
    keys: [char('o')],
    help: 'order: lanes.yaml order → attention first → last activity',
    contexts: ['board'],
    hint: 'sort',
  },
  {
    command: 'filterKeep',
    keys: [special('Enter', (k) => k.return)],
    help: 'keep the filter',
    contexts: ['filter'],
    hint: 'keep',
  },
  {
    command: 'filterClear',
    keys: [special('Esc', (k) => k.escape)],
    help: 'clear the filter',
    contexts: ['filter'],
    hint: 'clear',
  },
  {
    command: 'submit',
    keys: [special('Enter', (k) => k.return)],
    help: 'send the steering message (or create the new lane)',
    contexts: ['prompt'],
    hint: 'send',
  },
  {
    command: 'backspace',
    keys: [special('Backspace', (k) => k.backspace || k.delete)],
    help: 'delete the last character',
    contexts: ['prompt', 'filter'],
  },
  {
    command: 'yes',
    keys: [char('y'), char('Y')],
    help: 'yes, quit (or remove the lane when asked)',
    contexts: ['confirm'],
    hint: 'quit',
  },
  {
    command: 'no',
    keys: [char('n'), char('N'), special('Esc', (k) => k.escape)],
    help: 'no, keep the board open (or the lane)',
    contexts: ['confirm'],
    hint: 'stay',
  },
  {
    command: 'help',
    keys: [char('?')],
    help: 'show / hide this help',
    contexts: ['board', 'detail', 'help'],
    hint: 'help',
  },
  {
    command: 'close',
    keys: [special('Esc', (k) => k.escape)],
    help: 'close whatever is open (help, prompt, detail, filter, peek; a permission request: unanswered)',
    contexts: ['board', 'detail', 'help', 'prompt', 'approve'],
    hint: 'close',
  },
  {
    command: 'quit',
    keys: [char('q'), ctrl('c')],
    help: 'quit (asks first while workers run; Ctrl-C in the quit question quits)',
    contexts: ['board', 'detail', 'help', 'prompt', 'filter', 'confirm', 'approve'],
    hint: 'quit',
  },
];

/**
 * Contexts where only Ctrl-C quits: `q` is text in the prompt and the filter, and no
 * answer in a confirmation or a permission request. The help overlay and the footer show
 * only Ctrl-C there.
 */
export const CTRL_C_QUITS_ONLY: ReadonlySet<KeyContext> = new Set<KeyContext>([
  'prompt',
  'filter',
  'confirm',
  'approve',
]);

/**
 * The command a key press means in `context`, or null (in the prompt, null means "text").
 * The first matching binding in table order wins; quit needs Ctrl-C in
 * {@link CTRL_C_QUITS_ONLY}.
 */
export function matchCommand(context: KeyContext, input: string, key: Key): Command | null {
  for (const b of KEYMAP) {
    if (!b.contexts.includes(context)) continue;
    for (const k of b.keys) {
      if (!k.match(input, key)) continue;
      if (CTRL_C_QUITS_ONLY.has(context) && b.command === 'quit' && !key.ctrl) continue;
      return b.command;
    }
  }
  return null;
}
