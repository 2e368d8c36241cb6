/**
 * Desktop notifications for lane transitions: the board writes an OSC 9 notification
 * (`ESC ] 9 ; <text> BEL`, the iTerm2 / ConEmu "growl" sequence also shown by WezTerm,
 * kitty, Windows Terminal, Ghostty and tmux when allowed) followed by one BEL (which sets
 * tmux's bell flag on a background window), and optionally runs a notify command
 * (`notify-send`, `terminal-notifier`…). Transitions arriving within `coalesceMs` of the
 * first one are coalesced into ONE notification ("50 lanes need you: a, b, c, …", or
 * "2 lanes need you, 1 finished: a, b, c"), so a burst never floods the terminal. Never
 * used by `--json`; the caller passes the terminal write and settings with `terminal` /
 * `command` off where that host must not act (./index.ts: the runtime runs the command,
 * each board writes to its own terminal).
 */
import type { Transition } from '../../state/attention.js';
import type { NotifyKind, NotifySettings } from '../../state/config-types.js';
import { sanitizeText } from '../../state/sanitize.js';

/** Longest notification text (code points); terminals show a line or two. */
const TEXT_MAX = 200;
/** Lane ids named in a coalesced notification before "+n more". */
const NAMED_MAX = 5;
/** Timeout of the notify command (ms). */
const NOTIFY_COMMAND_TIMEOUT_MS = 10_000;

/**
 * The bytes of one notification: OSC 9 with `text` (sanitized: no escape or control
 * character can end the sequence early or reach the terminal; at most 200 code points),
 * terminated by BEL, then one BEL.
 */
export function notificationBytes(text: string): string {
  return `\u001b]9;${sanitizeText(text, TEXT_MAX)}\u0007\u0007`;
}

/**
 * What a lane's transitions in one notification say about it, in the order the text
 * names the groups: it needs you (an input prompt, red after green, a crash loop, an
 * unexpected exit), its rate limit lifted, or it only finished (docs/attention.md).
 */
const GROUPS = ['need you', 'rate limit lifted', 'finished'] as const;

/** The group index of one lane's transitions: "need you" wins over the others. */
function groupOf(kinds: ReadonlySet<NotifyKind | null>): number {
  if ([...kinds].some((k) => k !== 'finished' && k !== 'rate_limit')) return 0;
  return kinds.has('rate_limit') ? 1 : 2;
}

/** `3 lanes need you`, `1 lane needs you`, `2 finished` (the first part names lanes). */
function groupPhrase(group: number, n: number, first: boolean): string {
  const label = group === 0 && n === 1 ? 'needs you' : GROUPS[group];
  return first ? `${n} ${n === 1 ? 'lane' : 'lanes'} ${label}` : `${n} ${label}`;
}

/**
 * The text of one notification for `items` (in arrival order, at least one): the one
 * transition's line, or per group a count of lanes, then the first lane ids — so lanes
 * that only finished are never counted as needing you.
 * E.g. `laneboard: auth needs input: permission: Bash`,
 * `laneboard: 50 lanes need you: l01, l02, l03, l04, l05 +45 more` or
 * `laneboard: 2 lanes need you, 1 finished: a, b, c`.
 */
function notificationText(items: readonly Transition[]): string {
  if (items.length === 1) return `laneboard: ${items[0]?.text ?? ''}`;
  const byLane = new Map<string, Set<NotifyKind | null>>();
  for (const t of items) byLane.set(t.laneId, (byLane.get(t.laneId) ?? new Set()).add(t.notify));
  const ids = [...byLane.keys()];
  if (ids.length === 1) return `laneboard: ${items.map((t) => t.text).join('; ')}`;
  const counts = GROUPS.map(() => 0);
  for (const kinds of byLane.values()) {
    const g = groupOf(kinds);
    counts[g] = (counts[g] ?? 0) + 1;
  }
  const parts: string[] = [];
  counts.forEach((n, g) => {
    if (n > 0) parts.push(groupPhrase(g, n, parts.length === 0));
  });
  const named = ids.slice(0, NAMED_MAX).join(', ');
  const more = ids.length > NAMED_MAX ? ` +${ids.length - NAMED_MAX} more` : '';
  return `laneboard: ${parts.join(', ')}: ${named}${more}`;
}

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  /** Writes bytes to the board's terminal. Exceptions are ignored. */
  readonly write: (bytes: string) => void;
  readonly settings: NotifySettings;
  /** True when notifications of this lane are muted (read at each transition). */
  readonly isMuted: (laneId: string) => boolean;
  /** Window in which transitions are gathered into one notification (ms). @default 250 */
  readonly coalesceMs?: number;
  /** Called with a notify command's failure (in words), e.g. to show a board notice. */
  readonly onCommandError?: (message: string) => void;
}

/** A notifier: feed it transitions; it writes at most one notification per window. */
export interface Notifier {
  /** Queue transitions (those without a notify kind, of a kind turned off, or of a muted lane are dropped). */
  push(transitions: readonly Transition[]): void;
  /** Write what is queued now (tests, shutdown). */
  flush(): void;
  /** Drop what is queued and stop the timer. */
  dispose(): void;
}

/** Create a {@link Notifier}. */
export function createNotifier(opts: NotifierOptions): Notifier {
  const coalesceMs = opts.coalesceMs ?? 250;
  let pending: Transition[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const wanted = (kind: NotifyKind | null): boolean =>
    kind !== null && opts.settings.kinds[kind] !== false;

  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const items = pending;
    pending = [];
    if (items.length === 0) return;
    const text = notificationText(items);
    if (opts.settings.terminal) {
      try {
        opts.write(notificationBytes(text));
      } catch {
        /* the terminal is gone; nothing to notify */
      }
    }
    if (opts.settings.command !== null) runNotifyCommand(opts.settings.command, text, opts);
  };

  return {
    push(transitions) {
      for (const t of transitions) {
        if (wanted(t.notify) && !opts.isMuted(t.laneId)) pending.push(t);
      }
      if (pending.length > 0 && timer === null) timer = setTimeout(flush, coalesceMs);
    },
    flush,
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}

/**
 * Run the notify command with the notification text: argv elements `{text}` are replaced
 * by it (as data, no shell), else it is appended as the last argument; for a shell string
 * (`/bin/sh -c …`) it is in `$LANEBOARD_NOTIFY_TEXT`. Never throws; failures go to
 * `onCommandError`.
 */
function runNotifyCommand(argv: readonly string[], text: string, opts: NotifierOptions): void {
  const clean = sanitizeText(text, TEXT_MAX);
  const shell = argv[0] === '/bin/sh' && argv[1] === '-c';
  const hasToken = argv.some((a) => a.includes('{text}'));
  const args = shell
    ? [...argv]
    : hasToken
      ? argv.map((a) => a.split('{text}').join(clean))
      : [...argv, clean];
  const [file, ...rest] = args;
  if (file === undefined) return;
  // execa loads on the first notify command, not with the board (an attached board's
  // first frame does not wait for it).
  void import('execa').then(({ execa }) =>
    execa(file, rest, {
      reject: false,
      timeout: NOTIFY_COMMAND_TIMEOUT_MS,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      env: { LANEBOARD_NOTIFY_TEXT: clean },
      maxBuffer: 64 * 1024,
    }).then(
      (r) => {
        if (!r.failed) return;
        const why = r.timedOut
          ? 'timed out'
          : r.code === 'ENOENT'
            ? 'not found'
            : `failed (${r.signal ?? `exit ${r.exitCode ?? '?'}`})`;
        opts.onCommandError?.(`notify command ${sanitizeText(file, 80)} ${why}`);
      },
      () => opts.onCommandError?.(`notify command ${sanitizeText(file, 80)} failed`),
    ),
  );
}
