/**
 * The operator's attention loop as a runtime side effect of the board: subscribed to the
 * store, it detects lane transitions (pure: src/state/attention.ts) against the facts seen
 * last, and feeds them to the notifier (OSC 9 + BEL on the board's terminal, coalesced;
 * muted lanes skipped) and to the `on:` command runner. The state at `start()` is the
 * baseline: lanes already blocked when the board starts do not notify. Never used by
 * `--json` (the board alone wires it).
 */
import { attentionTransitions, type BoardFacts } from '../../state/attention.js';
import { selectLaneView } from '../../state/selectors.js';
import { laneSnapshot } from '../../state/snapshot.js';
import type { BoardStore } from '../../state/store.js';
import type { Clock, Service } from '../types.js';
import { createNotifier, type Notifier } from './notifier.js';
import { createOnRunner, type OnRunner } from './on-commands.js';

export { notificationBytes, notificationText } from './notifier.js';

/** Options of {@link createAttention}. */
export interface AttentionOptions {
  readonly store: BoardStore;
  readonly clock: Clock;
  /** Writes to the board's terminal (OSC 9 + BEL). */
  readonly write: (bytes: string) => void;
  /** Directory `on:` commands run in when a lane's worktree does not exist (the config dir). */
  readonly fallbackCwd: string;
  /** Notification coalescing window (ms). @default 250 */
  readonly coalesceMs?: number;
}

/** The attention service; `runner` and `notifier` are exposed for tests and shutdown. */
export interface Attention extends Service {
  readonly notifier: Notifier;
  readonly runner: OnRunner;
}

/** Create the attention service (idle until `start()`). */
export function createAttention(opts: AttentionOptions): Attention {
  const { store, clock } = opts;
  const settings = () => store.getState().settings;
  const notifier = createNotifier({
    write: opts.write,
    get settings() {
      return settings().notify;
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
    runner.run(r.transitions);
  };

  return {
    notifier,
    runner,
    start() {
      if (unsubscribe === null) {
        facts = attentionTransitions(new Map(), store.getState()).facts;
        unsubscribe = store.subscribe(onChange);
      }
      return Promise.resolve();
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
