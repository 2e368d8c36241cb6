/**
 * Remote lanes on the fleet board (src/state/fleet-lanes.ts): a published snapshot lane
 * read back into the same view the host showed; any garbage becomes a visible problem,
 * never a throw; `fleet/lanes` keeps local lanes first, orders remote lanes by host,
 * repo, lane id, keeps unchanged lanes' objects; a lanes.yaml reload keeps remote lanes;
 * groups by host then repo; an offline host's running lane is not counted as running;
 * a host clock an hour off changes no age (board view and fleet snapshot).
 */
import { describe, expect, it } from 'vitest';
import { laneViewFromSnapshot, type RemoteLaneInput } from '../../src/state/fleet-lanes.js';
import { laneSnapshot } from '../../src/state/snapshot.js';
import { fleetSnapshot } from '../../src/runtime/fleet/fleet-snapshot.js';
import { selectCounts, selectLaneView, selectRepoGroups } from '../../src/state/selectors.js';
import { boardWith, gitInfo, laneConfig, runningWorker, T0 } from '../helpers/ui-fixtures.js';

/** A published value: the host's own snapshot of one lane, plus host and seq. */
function published(id: string, repo: string, pid: number): Record<string, unknown> {
  const host = boardWith([id], () => repo);
  host.dispatch({ type: 'worker/updated', laneId: id, worker: runningWorker(pid, 2), at: T0 });
  host.dispatch({
    type: 'bridge/doc',
    laneId: id,
    kind: 'state',
    file: 'state.json',
    raw: { status: 'running', phase: 'tests', updatedAt: new Date(T0 - 5_000).toISOString() },
    at: T0,
  });
  return { ...laneSnapshot(selectLaneView(host.getState(), id)), host: 'h', seq: 3 };
}

const input = (
  host: string,
  laneId: string,
  revision: number,
  value: Record<string, unknown> | null,
  online = true,
): RemoteLaneInput => ({
  host,
  laneId,
  revision,
  online,
  arrivedAt: T0,
  value,
  problem: value ? null : 'unreadable lane value in the fleet bucket',
});

describe('fleet lanes on the board', () => {
  it('reads a published lane back into the view the host showed (snapshot round trip)', () => {
    const value = published('a1', '/srv/repos/app', 4242);
    const view = laneViewFromSnapshot('alpha/a1', value, null);
    const again = laneSnapshot(view);
    expect({ ...again, id: 'a1' }).toEqual({ ...value, host: undefined, seq: undefined, ...{} });
  });

  it('garbage values never throw: unknown fields become unknowns, a null value a visible problem', () => {
    for (const v of [
      {},
      { git: 'x', worker: 7, agent: [], tests: null, blockers: 'no', steering: [1, null] },
      { worker: { state: 42, pid: 'x' }, agent: { heartbeat: { at: 'yesterday' } } },
    ]) {
      const view = laneViewFromSnapshot('h/x', v, null);
      expect(view.worker.pid).toBeNull();
      expect(view.git.freshness).toBe('unknown');
    }
    const bad = laneViewFromSnapshot('h/x', null, 'unreadable lane value in the fleet bucket');
    expect(bad.problems).toEqual(['unreadable lane value in the fleet bucket']);
  });

  it('fleet/lanes: local lanes first, remote by host, repo, lane id; unchanged lanes keep their object', () => {
    const store = boardWith(['local1']);
    store.dispatch({
      type: 'fleet/lanes',
      lanes: [
        input('beta', 'b1', 5, published('b1', '/r/z', 11)),
        input('alpha', 'a2', 3, published('a2', '/r/b', 12)),
        input('alpha', 'a1', 4, published('a1', '/r/a', 13)),
      ],
      at: T0,
    });
    const s1 = store.getState();
    expect(s1.order).toEqual(['local1', 'alpha/a1', 'alpha/a2', 'beta/b1']);
    expect(selectLaneView(s1, 'alpha/a1').worker.pid).toBe(13);
    expect(s1.lanes['alpha/a1']?.config.host).toBe('alpha');
    expect(s1.lanes.local1?.config.host).toBeUndefined();
    // The same revisions again: nothing changes.
    store.dispatch({
      type: 'fleet/lanes',
      lanes: [
        input('beta', 'b1', 5, published('b1', '/r/z', 11)),
        input('alpha', 'a2', 3, published('a2', '/r/b', 12)),
        input('alpha', 'a1', 4, published('a1', '/r/a', 13)),
      ],
      at: T0 + 1,
    });
    expect(store.getState()).toBe(s1);
    // A new revision of one lane replaces only that lane; a lane gone from the set goes.
    store.dispatch({
      type: 'fleet/lanes',
      lanes: [
        input('beta', 'b1', 5, published('b1', '/r/z', 11)),
        input('alpha', 'a1', 9, published('a1', '/r/a', 99)),
      ],
      at: T0 + 2,
    });
    const s2 = store.getState();
    expect(s2.order).toEqual(['local1', 'alpha/a1', 'beta/b1']);
    expect(s2.lanes['beta/b1']).toBe(s1.lanes['beta/b1']);
    expect(selectLaneView(s2, 'alpha/a1').worker.pid).toBe(99);
  });

  it('a lanes.yaml reload keeps the remote lanes after the local ones', () => {
    const store = boardWith(['l1']);
    store.dispatch({
      type: 'fleet/lanes',
      lanes: [input('beta', 'b1', 1, published('b1', '/r', 5))],
      at: T0,
    });
    store.dispatch({
      type: 'lanes/configured',
      lanes: [laneConfig('l1'), laneConfig('l2')],
      at: T0 + 1,
    });
    expect(store.getState().order).toEqual(['l1', 'l2', 'beta/b1']);
  });

  it('groups by host then repo; an offline host greys its group and its lanes do not count as running', () => {
    const store = boardWith(['l1']);
    store.dispatch({ type: 'git/ok', laneId: 'l1', info: gitInfo(), at: T0 });
    store.dispatch({
      type: 'fleet/lanes',
      lanes: [
        input('alpha', 'a1', 1, published('a1', '/r/one', 21)),
        input('alpha', 'a2', 2, published('a2', '/r/two', 22)),
        input('beta', 'b1', 3, published('b1', '/r/one', 23), false),
      ],
      at: T0,
    });
    const s = store.getState();
    expect(
      selectRepoGroups(s).map((g) => [g.host ?? null, g.repo, g.hostOnline ?? null, g.laneIds]),
    ).toEqual([
      [null, '/srv/repos/app', null, ['l1']],
      ['alpha', '/r/one', true, ['alpha/a1']],
      ['alpha', '/r/two', true, ['alpha/a2']],
      ['beta', '/r/one', false, ['beta/b1']],
    ]);
    expect(selectCounts(s).running).toBe(2);
    expect(selectLaneView(s, 'beta/b1').problems[0]).toMatch(/host beta is offline/);
    // Ages move with the board's clock between updates.
    store.dispatch({ type: 'clock/tick', at: T0 + 60_000 });
    expect(selectLaneView(store.getState(), 'alpha/a1').agent.heartbeat.ageMs).toBe(65_000);
  });

  it('a host clock an hour ahead or behind changes no age: ages run from publishedAt and the arrival', () => {
    const HOUR = 3_600_000;
    /** The value a host whose clock is `skew` ms off writes at board time T0 (heartbeat 5 s old). */
    const skewed = (id: string, skew: number): Record<string, unknown> => {
      const v = published(id, '/r', 7);
      const agent = v.agent as { heartbeat: Record<string, unknown> };
      const hbAt = Date.parse(agent.heartbeat.at as string);
      return {
        ...v,
        agent: {
          ...agent,
          heartbeat: { ...agent.heartbeat, at: new Date(hbAt + skew).toISOString() },
        },
        publishedAt: new Date(hbAt + 5_000 + skew).toISOString(),
      };
    };
    const ahead = input('ahead', 'a1', 1, skewed('a1', HOUR));
    const behind = input('behind', 'b1', 2, skewed('b1', -HOUR));
    const store = boardWith([]);
    store.dispatch({ type: 'fleet/lanes', lanes: [ahead, behind], at: T0 });
    store.dispatch({ type: 'clock/tick', at: T0 + 60_000 });
    for (const id of ['ahead/a1', 'behind/b1'])
      expect(selectLaneView(store.getState(), id).agent.heartbeat.ageMs).toBe(65_000);
    // The fleet snapshot (--json --nats) ages the same way.
    const lanes = (value: Record<string, unknown> | null, host: string, laneId: string) => ({
      host,
      laneId,
      revision: 1,
      arrivedAt: T0,
      value,
      problem: null,
    });
    const snap = fleetSnapshot(
      {
        lanes: new Map([
          ['lane.ahead.a1', lanes(ahead.value, 'ahead', 'a1')],
          ['lane.behind.b1', lanes(behind.value, 'behind', 'b1')],
        ]),
        hosts: new Map(),
      },
      T0 + 60_000,
    ) as { lanes: { agent: { heartbeat: { ageMs: number } } }[] };
    expect(snap.lanes.map((l) => l.agent.heartbeat.ageMs)).toEqual([65_000, 65_000]);
  });
});
