/**
 * Board views (src/state/board-view.ts) against the exact views they stand in for: lanes
 * in every time-bound state (heartbeat ageing through warn / stale / dead with and
 * without a live worker, unacknowledged steering, a bridge error in its grace, a restart
 * countdown, a stalled trust prompt, a usage limit counting down to its reset, plain
 * lanes) are ticked through 7 minutes in 500 ms steps; at every step each board view
 * gives the same row cells at the same screen time, the same attention facts and the
 * same blocker / liveness / delivery facts as the exact view — while lanes with nothing
 * time-bound keep one view object the whole time, and ticks inside a window rebuild
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { laneFacts } from '../../src/state/attention.js';
import {
  laneViewDeadline,
  selectBoardLaneView,
  selectNextDeadline,
} from '../../src/state/board-view.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import { selectCounts, selectLaneView } from '../../src/state/selectors.js';
import { createBoardStore } from '../../src/state/store.js';
import type { LaneView } from '../../src/state/view-types.js';
import { laneCells } from '../../src/ui/cells.js';
import { worker } from '../helpers/attention-fixtures.js';
import { readFixtureJson } from '../helpers/dialect-fixtures.js';
import { laneConfig } from '../helpers/ui-fixtures.js';

const T0 = Date.UTC(2026, 10, 20, 10, 14, 2);
const iso = (t: number): string => new Date(t).toISOString();

function board() {
  const ids = ['alive', 'dead', 'steer', 'broken', 'backoff', 'trust', 'limit', 'plain'];
  const store = createBoardStore();
  store.dispatch({
    type: 'lanes/configured',
    lanes: ids.map((id) => laneConfig(id)),
    settings: DEFAULT_SETTINGS,
    at: T0,
  });
  const doc = (laneId: string, raw: unknown, at = T0) =>
    store.dispatch({ type: 'bridge/doc', laneId, kind: 'state', file: 'state.json', raw, at });
  const running = { schema: 'laneboard.state/1', status: 'running', updatedAt: iso(T0 - 5_000) };
  doc('alive', running);
  store.dispatch(worker('alive', {}, T0));
  doc('dead', { ...running, updatedAt: iso(T0 - 20_000) });
  store.dispatch({
    type: 'steer/sent',
    laneId: 'steer',
    message: {
      id: 'm1',
      text: 'rebase',
      sentAt: T0 + 1_000,
      via: 'inbox',
      state: 'pending',
      error: null,
      ackAt: null,
    },
    at: T0 + 1_000,
  });
  doc('broken', running);
  store.dispatch({
    type: 'bridge/docError',
    laneId: 'broken',
    kind: 'state',
    message: 'not valid JSON',
    at: T0 + 2_000,
  });
  store.dispatch(
    worker('backoff', { phase: 'backoff', pid: null, nextStartAt: T0 + 95_500, exitCode: 1 }, T0),
  );
  doc('trust', { schema: 'laneboard.state/1', status: 'trust_required', updatedAt: iso(T0) });
  doc('limit', readFixtureJson('live-bridge/state.json'), T0);
  store.dispatch({
    type: 'bridge/events',
    laneId: 'plain',
    lines: [
      {
        ok: true,
        line: 1,
        file: 'events.jsonl',
        value: { event: 'lane.green', emittedAt: iso(T0 - 3_000) },
      },
    ],
    at: T0,
  });
  return { store, ids };
}

/** What board consumers read of a view (rows at screen time `screen`, attention, counts). */
function consumed(v: LaneView, screen: number, viewAt: number) {
  const f = laneFacts(v);
  return {
    cells: laneCells(v, screen, viewAt),
    facts: { ...f, input: f.input === null ? null : f.input.split(':')[0] },
    blockers: v.blockers.map((b) => [b.failureClass, b.nextAction, b.resetAt ?? null]),
    liveness: v.agent.heartbeat.liveness,
    delivery: v.steering.map((m) => m.delivery),
    worker: v.worker.state,
    mergeReasons: v.mergeReasons,
  };
}

describe('board views', () => {
  it('give board consumers the same facts as exact views at every tick, rebuilding only at deadlines', () => {
    const { store, ids } = board();
    const first = new Map(ids.map((id) => [id, selectBoardLaneView(store.getState(), id)]));
    let builds = 0;
    const prev = new Map(first);
    for (let t = T0; t <= T0 + 7 * 60_000; t += 500) {
      store.dispatch({ type: 'clock/tick', at: t });
      const s = store.getState();
      for (const id of ids) {
        const board = selectBoardLaneView(s, id);
        if (board !== prev.get(id)) builds++;
        prev.set(id, board);
        expect(board.until).toBeGreaterThan(t);
        for (const screen of [t, t + 130]) {
          expect(consumed(board.view, screen, board.at), `${id} at +${t - T0} ms`).toEqual(
            consumed(selectLaneView(s, id), screen, t),
          );
        }
      }
      expect(selectNextDeadline(s)).toBe(Math.min(...ids.map((id) => prev.get(id)!.until)));
    }
    // Lanes with nothing time-bound keep their first view the whole 7 minutes.
    expect(prev.get('plain')).toBe(first.get('plain'));
    // 8 lanes × 841 ticks; a rebuild only where a fact can flip (a few per lane).
    expect(builds).toBeLessThan(40);
    expect(selectCounts(store.getState()).lanes).toBe(ids.length);
  });

  it('puts the deadline at each threshold of a heartbeat, and none on a lane without time facts', () => {
    const { store } = board();
    const s = store.getState();
    const hb = T0 - 20_000;
    const h = DEFAULT_SETTINGS.heartbeat;
    expect(laneViewDeadline(s.lanes.dead!, T0, s.settings)).toBe(hb + h.warnMs + 1);
    expect(laneViewDeadline(s.lanes.dead!, hb + h.warnMs + 1, s.settings)).toBe(hb + h.staleMs + 1);
    expect(laneViewDeadline(s.lanes.dead!, hb + h.deadMs + 1, s.settings)).toBe(Infinity);
    expect(laneViewDeadline(s.lanes.plain!, T0, s.settings)).toBe(Infinity);
  });
});
