/**
 * The operator's attention loop as a runtime side effect of the board: subscribed to the
 * store, it detects lane transitions (pure: src/state/attention.ts) against the facts seen
 * last, and feeds them to the notifier (OSC 9 + BEL on the board's terminal, coalesced;
 * muted lanes skipped) and to the `on:` command runner. The state at `start()` is the
 * baseline: lanes already blocked when the board starts do not notify (see `since`).
 * Side effects that leave the process (the `settings.notify` command, `on:` commands) are
 * the runtime's, so each runs once per transition however many boards are attached;
 * writing OSC 9 + BEL is per terminal. Three hosts: the board with its own runtime (all
 * three), `laneboard serve` (the notify command and `on:` commands: no terminal of its
 * own), and a board attached to a running runtime (its own terminal only). Never used by
 * `--json`.
 */
import { attentionTransitions, boardFacts, type BoardFacts } from '../../state/attention.js';
import { selectLaneView } from '../../state/selectors.js';
import { laneSnapshot } from '../../state/snapshot.js';
import type { BoardStore } from '../../state/store.js';
import type { Clock, Service } from '../types.js';
import { createNotifier, type Notifier } from './notifier.js';
import { createOnRunner, type OnRunner } from './on-commands.js';

/** Options of {@link createAttention}. */
export interface AttentionOptions {
  readonly store: BoardStore;
  readonly clock: Clock;
  /**
   * Writes to the board's terminal (OSC 9 + BEL); null when the host has no terminal of
   * its own (`laneboard serve`).
   */
  readonly write: ((bytes: string) => void) | null;
  /**
   * Run the lanes' `on:` commands and the `settings.notify` command — the runtime's side
   * effects. @default true; false for a board attached to a runtime (which runs them).
   */
  readonly commands?: boolean;
  /** Directory `on:` commands run in when a lane's worktree does not exist (the config dir). */
  readonly fallbackCwd: string;
  /**
   * When the host started (epoch ms), or null: agent reports with a heartbeat at or after
   * it are not part of the baseline (src/state/attention.ts `boardFacts`), so a lane
   * blocked by its new worker before the first reads were in still notifies. Null (an
   * attached board) takes everything present at `start()` as the baseline. @default null
   */
  readonly since?: number | null;
  /** Notification coalescing window (ms). @default 250 */
  readonly coalesceMs?: number;
}

/** The attention service; `runner` and `notifier` are exposed for tests and shutdown. */
export interface Attention extends Service {
  readonly notifier: Notifier;
  readonly runner: OnRunner;
  /**
   * Stop looking at the store until the next `start()`, which takes a new baseline (an
   * attached board swapping in the state of a runtime it attached to again). Queued
   * notifications are dropped; running commands go on.
   */
  pause(): void;
}

/** Create the attention service (idle until `start()`). */
export function createAttention(opts: AttentionOptions): Attention {
  const { store, clock } = opts;
  const settings = () => store.getState().settings;
  const write = opts.write;
  const commands = opts.commands !== false;
  const notifier = createNotifier({
    write: write ?? (() => undefined),
    get settings() {
      const notify = settings().notify;
      return {
        ...notify,
        terminal: notify.terminal && write !== null,
        command: commands ? notify.command : null,
      };
    },
    isMuted: (id) => store.getState().lanes[id]?.muted === true,
    coalesceMs: opts.coalesceMs,
    onCommandError: (message) => store.dispatch({ type: 'board/notice', message, at: clock.now() }),
  });
  const runner = createOnRunner({
    laneOf: (id) => store.getState().lanes[id]?.config,
    snapshotOf: (id) => {
      const s = store.getState();
      return s.lanes[id] === undefined ? null : laneSnapshot(selectLaneView(s, id));
    },
    dispatch: (a) => store.dispatch(a),
    clock,
    get timeoutMs() {
      return settings().onTimeoutMs;
    },
    fallbackCwd: opts.fallbackCwd,
  });
  let facts: BoardFacts | null = null;
  let unsubscribe: (() => void) | null = null;

  const onChange = (): void => {
    if (facts === null) return;
    const r = attentionTransitions(facts, store.getState());
    facts = r.facts;
    if (r.transitions.length === 0) return;
    notifier.push(r.transitions);
    if (commands) runner.run(r.transitions);
  };

  return {
    notifier,
    runner,
    start() {
      if (unsubscribe === null) {
        facts = boardFacts(store.getState(), opts.since ?? null);
        unsubscribe = store.subscribe(onChange);
        // Reports of this run left out of the baseline fire now, not at the next update.
        onChange();
      }
      return Promise.resolve();
    },
    pause() {
      unsubscribe?.();
      unsubscribe = null;
      facts = null;
      notifier.dispose();
    },
    async dispose() {
      unsubscribe?.();
      unsubscribe = null;
      facts = null;
      notifier.dispose();
      await runner.dispose();
    },
  };
}
