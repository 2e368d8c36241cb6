import { describe, expect, it } from 'vitest';
import {
  attentionTransitions,
  boardFacts,
  needsAttention,
  isFinishedTurn,
  selectAttentionCount,
  selectAttentionCounts,
} from '../../src/state/attention.js';
import { selectLaneView } from '../../src/state/selectors.js';
import type { Action } from '../../src/state/actions.js';
import { resultDoc, stateDoc, worker } from '../helpers/attention-fixtures.js';
import { boardWith } from '../helpers/ui-fixtures.js';

/** Transitions (event, notify, text) caused by `actions` on lane `a` of a fresh board. */
function after(...steps: Action[][]) {
  const store = boardWith(['a', 'b']);
  let facts = boardFacts(store.getState());
  const seen: { event: string | null; notify: string | null; text: string }[][] = [];
  for (const actions of steps) {
    store.dispatchAll(actions);
    const r = attentionTransitions(facts, store.getState());
    facts = r.facts;
    seen.push(r.transitions.map(({ event, notify, text }) => ({ event, notify, text })));
  }
  return { seen, store };
}

describe('attention transitions (pure)', () => {
  it('input required: attention + blocked, once, not again while it lasts', () => {
    const { seen, store } = after(
      [stateDoc('a', 'blocked', { failureClass: 'input_required', detail: 'which file?' })],
      [stateDoc('a', 'blocked', { failureClass: 'input_required', detail: 'which file?' }, 2)],
    );
    expect(seen[0]).toEqual([
      {
        event: 'attention',
        notify: 'attention',
        text: 'a needs input: input_required: which file?',
      },
      { event: 'blocked', notify: null, text: 'a is blocked' },
    ]);
    expect(seen[1]).toEqual([]);
    expect(needsAttention(selectLaneView(store.getState(), 'a'))).toBe(true);
    expect(selectAttentionCount(store.getState())).toBe(1);
  });

  it('rate limit lifted notifies; red after green notifies, red from unknown only fires on:', () => {
    const { seen } = after(
      [stateDoc('a', 'blocked', { failureClass: 'rate_limit', detail: 'usage limit' })],
      [stateDoc('a', 'running', undefined, 5)],
      [resultDoc('b', 'red')],
      [resultDoc('a', 'green')],
      [resultDoc('a', 'red', 9)],
    );
    expect(seen[1]).toEqual([{ event: null, notify: 'rate_limit', text: 'a rate limit lifted' }]);
    expect(seen[2]).toEqual([{ event: 'red', notify: null, text: 'b is red' }]);
    expect(seen[3]).toEqual([{ event: 'green', notify: null, text: 'a is green' }]);
    expect(seen[4]).toEqual([{ event: 'red', notify: 'red', text: 'a red after green' }]);
  });

  it('finished, crash loop and unexpected exits; an operator stop is no exit', () => {
    const { seen } = after(
      [stateDoc('a', 'finished')],
      [worker('a', { phase: 'crash_loop', restarts: 5, exitCode: 1 })],
      [worker('b', { phase: 'exited', pid: null, exitCode: 2 })],
      [worker('b', { phase: 'running' })],
      [
        worker('b', {
          phase: 'exited',
          pid: null,
          exitCode: null,
          signal: 'SIGTERM',
          operatorStopped: true,
        }),
      ],
    );
    expect(seen[0]).toEqual([{ event: 'finished', notify: 'finished', text: 'a finished' }]);
    expect(seen[1]).toContainEqual({
      event: 'crash_loop',
      notify: 'crash_loop',
      text: 'a is in a crash loop',
    });
    expect(seen[2]).toContainEqual({
      event: 'exited',
      notify: 'exited',
      text: 'b worker ended: exit 2',
    });
    expect(seen[4]).toEqual([]);
  });

  it('lanes first seen are a baseline: nothing fires for them', () => {
    const store = boardWith(['a']);
    store.dispatch(stateDoc('a', 'blocked', { failureClass: 'permission', detail: 'Bash' }));
    const r = attentionTransitions(new Map(), store.getState());
    expect(r.transitions).toEqual([]);
    expect(r.facts.get('a')?.input).toBe('permission: Bash');
  });

  it('with since, reports of this run are not baseline: they fire at the first look', () => {
    const store = boardWith(['old', 'new']);
    store.dispatch(stateDoc('old', 'blocked', { failureClass: 'permission', detail: 'x' }, 1_000));
    store.dispatch(stateDoc('new', 'blocked', { failureClass: 'permission', detail: 'y' }, 5_000));
    // Without since (an attached board): everything present is the baseline.
    expect(
      attentionTransitions(boardFacts(store.getState()), store.getState()).transitions,
    ).toEqual([]);
    // The board started at 2 000: `new` was blocked during this run, `old` before it.
    const r = attentionTransitions(boardFacts(store.getState(), 2_000), store.getState());
    expect(r.transitions.map((t) => [t.laneId, t.event, t.notify])).toEqual([
      ['new', 'attention', 'attention'],
      ['new', 'blocked', null],
    ]);
  });

  it('an interrupted lane needs you (header count) without notifying', () => {
    const { seen, store } = after([stateDoc('a', 'interrupted')]);
    expect(seen[0]).toEqual([]);
    expect(needsAttention(selectLaneView(store.getState(), 'a'))).toBe(true);
    expect(selectAttentionCount(store.getState())).toBe(1);
  });

  it('a lane waiting for your next prompt (idle_prompt) only finished: counted as finished, not need you', () => {
    const { seen, store } = after([stateDoc('a', 'waiting_for_input')]);
    expect(seen[0]).toEqual([]);
    const v = selectLaneView(store.getState(), 'a');
    expect(v.blockers).toEqual([]);
    expect(needsAttention(v)).toBe(false);
    expect(isFinishedTurn(v)).toBe(true);
    expect(selectAttentionCounts(store.getState())).toEqual({ needYou: 0, finished: 1 });
  });

  it('the header counts: a finished lane is "finished", a prompt "need you", never both', () => {
    const { store } = after(
      [stateDoc('a', 'finished')],
      [stateDoc('b', 'blocked', { failureClass: 'permission', detail: 'Bash' })],
    );
    expect(selectAttentionCounts(store.getState())).toEqual({ needYou: 1, finished: 1 });
    expect(selectAttentionCount(store.getState())).toBe(1);
    // A finished lane whose worker then crashed needs you (and is no longer "finished").
    store.dispatch(worker('a', { phase: 'exited', pid: null, exitCode: 2 }));
    expect(selectAttentionCounts(store.getState())).toEqual({ needYou: 2, finished: 0 });
  });
});
