/**
 * What each {@link Command} does: moves the selection, opens panes, and calls the runtime
 * through {@link Controls}. A plain factory (no React), so the one input router can call
 * it and tests can reason about it. State is read at call time from the UI store.
 */
import type { Controls } from '../runtime/types.js';
import { sanitizeText } from '../state/sanitize.js';
import type { SteerMessage } from '../state/types.js';
import type { Command } from './keymap.js';
import { FILTER_MAX, keyContextOf, PROMPT_MAX } from './ui-state.js';
import { SORT_LABELS, nextSort } from './view-order.js';
import { createLaneCommands } from './lane-commands.js';
import { createApprovalCommands, type OpenRequest } from './approval-commands.js';
import type { UiStore } from './ui-store.js';

/** What the runner needs from the last render (read at key time). */
export interface RenderFacts {
  /** Lane ids in display order. */
  readonly ids: readonly string[];
  /** Lines one page moves (board window / pane height). */
  readonly pageSize: number;
  /** Largest scroll offsets of the detail pane and the help overlay (lines). */
  readonly detailMax: number;
  readonly helpMax: number;
}

/** Collaborators of the runner. */
export interface CommandDeps {
  readonly ui: UiStore;
  readonly controls: Controls;
  /** Called once when the operator quits. */
  readonly onExit: () => void;
  readonly facts: () => RenderFacts;
  /** Whether the lane's notifications are muted (`m` toggles). @default never muted */
  readonly isMuted?: (laneId: string) => boolean;
  /** The permission request lane `laneId` waits on for the board (`a`). @default none */
  readonly requestOf?: (laneId: string) => OpenRequest | null;
  /** Runs `d` / `e` / `t` in the foreground; absent where the board cannot (tests, no TTY). */
  readonly external?: ExternalRunner;
}

/** What `d`, `e` and `t` run, in the lane's worktree. */
export type ExternalKind = 'diff' | 'editor' | 'shell';

/**
 * Runs the pager / editor / shell of a lane in the foreground and resolves when it exited:
 * null when all went well, else the problem in words.
 */
export type ExternalRunner = (kind: ExternalKind, laneId: string) => Promise<string | null>;

/** The runner: `command` for bound keys, `text` for typed prompt text. */
export interface CommandRunner {
  readonly command: (c: Command) => void;
  readonly text: (input: string) => void;
}

type LaneOp = 'restart' | 'stop' | 'start';
const OP_WORDS: Readonly<Record<LaneOp, readonly [string, string]>> = {
  restart: ['restarting', 'restarted'],
  stop: ['stopping', 'stopped'],
  start: ['starting', 'started'],
};

const errText = (e: unknown): string => sanitizeText(e instanceof Error ? e.message : e, 200);

/** Create the command runner of one `<App>`. */
export function createCommandRunner(deps: CommandDeps): CommandRunner {
  const { ui, controls } = deps;
  let exited = false;

  const selected = (): string | null => {
    const { ids } = deps.facts();
    const id = ui.getState().selectedId;
    return id !== null && ids.includes(id) ? id : (ids[0] ?? null);
  };
  const status = (text: string, tone: 'plain' | 'ok' | 'warn' | 'bad' | 'info' = 'info'): void =>
    ui.dispatch({ type: 'status', status: { text, tone } });
  const lanes = createLaneCommands(ui, controls, status);
  const approvals = createApprovalCommands(ui, controls, status, deps.requestOf ?? (() => null));
  const exit = (): void => {
    if (exited) return;
    exited = true;
    deps.onExit();
  };
  const running = (): number => {
    try {
      return controls.runningCount();
    } catch {
      return 1; // unknown: ask rather than lose work
    }
  };

  const laneOp = (op: LaneOp, id: string): void => {
    const [doing, done] = OP_WORDS[op];
    status(`${doing} ${id}…`);
    void Promise.resolve()
      .then(() => controls[op](id))
      .then(
        () => status(`${done} ${id}`, 'ok'),
        (e: unknown) => status(`${op} ${id} failed: ${errText(e)}`, 'bad'),
      );
  };

  const steer = (id: string, text: string): void => {
    status(`sending steer to ${id}…`);
    void Promise.resolve()
      .then(() => controls.steer(id, text))
      .then(
        (m: SteerMessage) => {
          if (m.state === 'failed') {
            status(`steer to ${id} failed: ${errText(m.error ?? 'not handed over')}`, 'bad');
            return;
          }
          ui.dispatch({
            type: 'status',
            status: {
              text: `steer sent to ${id}`,
              tone: 'info',
              steer: { laneId: id, messageId: m.id, initial: m.state },
            },
          });
        },
        (e: unknown) => status(`steer to ${id} failed: ${errText(e)}`, 'bad'),
      );
  };

  const external = (kind: ExternalKind, id: string): void => {
    const run = deps.external;
    if (run === undefined) return status(`cannot open a ${kind} here`, 'warn');
    void Promise.resolve()
      .then(() => run(kind, id))
      .then(
        (problem) =>
          problem === null
            ? status(`back from ${kind} in ${id}`, 'plain')
            : status(`${kind} in ${id}: ${errText(problem)}`, 'bad'),
        (e: unknown) => status(`${kind} in ${id} failed: ${errText(e)}`, 'bad'),
      );
  };

  const move = (by: number | 'top' | 'bottom'): void => {
    const s = ui.getState();
    const ctx = keyContextOf(s);
    const f = deps.facts();
    if (ctx === 'board') ui.dispatch({ type: 'move', ids: f.ids, move: by });
    else if (ctx === 'detail')
      ui.dispatch({ type: 'scroll', pane: 'detail', by, max: f.detailMax });
    else if (ctx === 'help') ui.dispatch({ type: 'scroll', pane: 'help', by, max: f.helpMax });
  };

  const command = (c: Command): void => {
    const s = ui.getState();
    const ctx = keyContextOf(s);
    const page = Math.max(1, deps.facts().pageSize - 1);
    switch (c) {
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'pageUp':
        return move(-page);
      case 'pageDown':
        return move(page);
      case 'top':
        return move('top');
      case 'bottom':
        return move('bottom');
      case 'help':
        return ui.dispatch({ type: 'help', open: ctx !== 'help' });
      case 'close':
        if (ctx === 'help') return ui.dispatch({ type: 'help', open: false });
        if (ctx === 'prompt') {
          ui.dispatch({ type: 'prompt/close' });
          if (s.prompt?.purpose === 'add') return status('new lane cancelled', 'plain');
          if (s.prompt?.purpose === 'deny')
            return status('deny cancelled: the request still waits (a opens it)', 'plain');
          return status('steer cancelled: nothing sent', 'plain');
        }
        if (ctx === 'approve') return ui.dispatch({ type: 'approval', approval: null });
        if (ctx === 'board') {
          if (s.filter.text !== '') return ui.dispatch({ type: 'filter/clear' });
          return s.peek ? ui.dispatch({ type: 'peek', open: false }) : undefined;
        }
        return ui.dispatch({ type: 'detail', open: false });
      case 'allow':
        return approvals.allow();
      case 'deny':
        return approvals.askDeny();
      case 'quit': {
        // Ctrl-C answers the quit question with yes; it never confirms a removal.
        if (ctx === 'confirm' && (s.removal ?? null) === null) return exit();
        const n = running();
        if (n > 0) return ui.dispatch({ type: 'confirm', open: true });
        return exit();
      }
      case 'yes': {
        const removal = s.removal ?? null;
        if (removal === null) return exit();
        ui.dispatch({ type: 'confirm', open: false });
        return lanes.remove(removal.laneId);
      }
      case 'addLane':
        return lanes.openAdd();
      case 'no':
        return ui.dispatch({ type: 'confirm', open: false });
      case 'backspace':
        return ui.dispatch({ type: ctx === 'filter' ? 'filter/backspace' : 'prompt/backspace' });
      case 'sort':
        ui.dispatch({ type: 'sort' });
        return status(`order: ${SORT_LABELS[nextSort(s.sort)]}`, 'plain');
      case 'filter':
        return ui.dispatch({ type: 'filter/open' });
      case 'filterKeep':
        return ui.dispatch({ type: 'filter/keep' });
      case 'filterClear':
        return ui.dispatch({ type: 'filter/clear' });
      case 'peek':
        return ui.dispatch({ type: 'peek', open: !s.peek });
      case 'submit': {
        const p = s.prompt;
        ui.dispatch({ type: 'prompt/close' });
        if (p === null) return;
        const text = p.text.trim();
        if (p.purpose === 'deny') return approvals.deny(p.laneId, p.requestId, text);
        if (p.purpose === 'add') {
          if (text === '') return status('no id: no lane added', 'warn');
          return lanes.add(text);
        }
        if (text === '') return status('empty message: nothing sent', 'warn');
        return steer(p.laneId, text);
      }
      default:
        break;
    }
    // Lane commands need a selected lane.
    const id = selected();
    if (id === null) return status('no lane selected', 'warn');
    if (s.selectedId !== id) ui.dispatch({ type: 'select', id });
    switch (c) {
      case 'open':
        return ui.dispatch({ type: 'detail', open: true });
      case 'steer':
        return ui.dispatch({ type: 'prompt/open', laneId: id });
      case 'approve':
        return approvals.open(id);
      case 'restart':
      case 'stop':
      case 'start':
        return laneOp(c, id);
      case 'removeLane':
        return lanes.askRemove(id);
      case 'mute': {
        if (controls.setMuted === undefined) return status('notifications are off here', 'warn');
        const muted = !(deps.isMuted?.(id) ?? false);
        controls.setMuted(id, muted);
        return status(`${muted ? 'muted' : 'unmuted'} notifications of ${id}`, 'ok');
      }
      case 'diff':
      case 'editor':
      case 'shell':
        return external(c, id);
      case 'clear':
        try {
          controls.clearBlockers(id);
          return status(`cleared sticky blockers of ${id}`, 'ok');
        } catch (e) {
          return status(`clear ${id} failed: ${errText(e)}`, 'bad');
        }
    }
  };

  const text = (input: string): void => {
    const ctx = keyContextOf(ui.getState());
    if (ctx === 'filter') {
      const clean = sanitizeText(input, FILTER_MAX);
      if (clean !== '') ui.dispatch({ type: 'filter/append', text: clean });
      return;
    }
    if (ctx !== 'prompt') return;
    const clean = sanitizeText(input, PROMPT_MAX);
    if (clean !== '') ui.dispatch({ type: 'prompt/append', text: clean });
  };

  return { command, text };
}
