/**
 * Lane values kept as their host's JSON text (src/runtime/fleet/lane-text.ts) and the copy
 * read lane by lane (splitCopy, src/runtime/fleet/fleet-scan.ts): the spliced snapshot is
 * byte for byte what serialising the parsed lanes gives — re-aged heartbeats, offline
 * hosts, escapes, unicode, integer-like keys, `__proto__` — and every value the splice
 * cannot reproduce falls back to the parsed object; a copy split lane by lane holds what
 * JSON.parse of the whole copy holds, or the split declines.
 */
import { describe, expect, it } from 'vitest';
import { fleetSnapshot, fleetSnapshotJson } from '../../../src/runtime/fleet/fleet-snapshot.js';
import {
  applyEntryTo,
  type FleetEntry,
  type FleetMaps,
} from '../../../src/runtime/fleet/reader.js';
import { splitCopy } from '../../../src/runtime/fleet/fleet-scan.js';

const T0 = Date.parse('2026-12-06T20:00:00.000Z');

/** A published lane value, shaped as hosts write them (src/runtime/fleet/publisher.ts). */
function laneValue(host: string, id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    repo: `/src/${host}/repo`,
    worktree: `/src/${host}/wt/${id}`,
    branch: `lane/${id}`,
    git: { head: 'abc', freshness: id.endsWith('1') ? 'stale' : 'fresh', missingCommits: [] },
    worker: { state: 'running', pid: 42, exitCode: null },
    agent: {
      status: 'running',
      phase: 'ünïcode "quoted" \\ back\u2028slash </script>',
      heartbeat: { at: new Date(T0 - 5_000).toISOString(), ageMs: 1234, liveness: 'fresh' },
      notes: { 10: 'ten', 2: 'two', b: 1, a: 2 },
    },
    tests: { status: id.endsWith('2') ? 'red' : 'green' },
    blockers: [],
    steering: [
      { id: 'm1', text: '}},{"id":"x"' },
      { id: 'm2', meta: {} },
    ],
    host,
    seq: 7,
    publishedAt: new Date(T0 - 1_000).toISOString(),
    ...extra,
  };
}

const entry = (key: string, text: string, revision: number): FleetEntry => ({
  key,
  revision,
  operation: 'PUT',
  created: new Date(T0 - 500),
  text,
});

/** The same entries applied as parsed objects and as text. */
function both(entries: FleetEntry[]): { objects: FleetMaps; texts: FleetMaps } {
  const objects: FleetMaps = { lanes: new Map(), hosts: new Map() };
  const texts: FleetMaps = { lanes: new Map(), hosts: new Map() };
  for (const e of entries) {
    applyEntryTo(objects, e, T0, true);
    applyEntryTo(texts, e, T0, true, 0, true);
  }
  return { objects, texts };
}

describe('lanes kept as text', () => {
  it('the spliced snapshot is what serialising the parsed lanes gives; what it cannot splice is serialised', () => {
    const alive = JSON.stringify({ host: 'alpha', online: true, seq: 1, lanes: 4 });
    const proto = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    const lanes: [string, string][] = [
      ['alpha', JSON.stringify(laneValue('alpha', 'a1'))],
      ['alpha', JSON.stringify(laneValue('alpha', 'a2', { raw: proto }))],
      // No heartbeat time: nothing to re-age.
      ['alpha', JSON.stringify(laneValue('alpha', 'a3', { agent: { heartbeat: { at: null } } }))],
      // Serialised instead: a second ageMs, an id or host of its own, a hostOnline, no
      // ageMs to replace, a line break.
      ['alpha', JSON.stringify(laneValue('alpha', 'b1', { x: { ageMs: 1 } }))],
      ['alpha', JSON.stringify(laneValue('alpha', 'b2', { id: 'other' }))],
      ['alpha', JSON.stringify(laneValue('alpha', 'b3', { host: 'beta' }))],
      ['alpha', JSON.stringify(laneValue('alpha', 'b4', { hostOnline: true }))],
      [
        'alpha',
        JSON.stringify(
          laneValue('alpha', 'b5', { agent: { heartbeat: { at: new Date(T0).toISOString() } } }),
        ),
      ],
      ['alpha', JSON.stringify(laneValue('alpha', 'b6'), null, 1)],
      // Unreadable: a notice.
      ['alpha', '[1,2]'],
      // An offline host (no liveness record).
      ['gone', JSON.stringify(laneValue('gone', 'g1'))],
    ];
    const ids = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'x1', 'g1'];
    const entries = [entry('host.alpha', alive, 1)];
    lanes.forEach(([host, text], i) => entries.push(entry(`lane.${host}.${ids[i]}`, text, i + 2)));
    const { objects, texts } = both(entries);
    const kept = [...texts.lanes.values()].filter((l) => l.text).map((l) => l.laneId);
    expect(kept.sort()).toEqual(['a1', 'a2', 'a3', 'g1']);
    for (const now of [T0, T0 + 61_000]) {
      const want = JSON.stringify(fleetSnapshot(objects, now));
      expect(fleetSnapshotJson(texts, now)).toBe(want);
      expect(JSON.stringify(fleetSnapshot(texts, now))).toBe(want);
    }
    const snap = JSON.parse(fleetSnapshotJson(texts, T0 + 61_000)) as {
      counts: Record<string, number>;
      lanes: { id: string; hostOnline: boolean; agent: { heartbeat: { ageMs: number } } }[];
      notices: { message: string }[];
    };
    expect(snap.lanes.find((l) => l.id === 'a1')?.agent.heartbeat.ageMs).toBe(4_000 + 61_500);
    expect(snap.lanes.find((l) => l.id === 'g1')?.hostOnline).toBe(false);
    expect(snap.notices.map((n) => n.message)).toEqual([
      'alpha/x1: unreadable lane value in the fleet bucket',
    ]);
    // Alpha's liveness record is 61.5 s old by then: offline, nothing counts as running.
    expect(snap.counts).toMatchObject({ lanes: 10, running: 0 });
    const fresh = JSON.parse(fleetSnapshotJson(texts, T0)) as typeof snap;
    expect(fresh.counts).toMatchObject({ lanes: 10, red: 2, stale: 3, running: 9 });
  });

  it('a value written some other way is copied as written, and still reads as the same lane', () => {
    const spaced = JSON.stringify(laneValue('alpha', 'a1'), null, 0).replace('"repo":', '"repo": ');
    const { objects, texts } = both([
      entry('host.alpha', '{"host":"alpha","online":true}', 1),
      entry('lane.alpha.a1', spaced, 2),
    ]);
    const out = fleetSnapshotJson(texts, T0);
    expect(out).toContain('"repo": "/src/alpha/repo"');
    expect(JSON.parse(out)).toEqual(fleetSnapshot(objects, T0));
  });
});

describe('a copy read lane by lane', () => {
  /** A copy as src/runtime/fleet/host-lanes.ts builds it. */
  const copy = (host: string, lanes: { id: string; rev: number; text: string }[]): string => {
    const items = lanes.map(
      (l) => `{"id":${JSON.stringify(l.id)},"rev":${l.rev},"value":${l.text}}`,
    );
    const head = JSON.stringify({ host, tailFrom: 9, writtenAt: new Date(T0).toISOString() });
    return `${head.slice(0, -1)},"lanes":[${items.join(',')}]}`;
  };
  const whole = (json: string) =>
    (JSON.parse(json) as { lanes: { id: string; rev: number; value: unknown }[] }).lanes.map(
      (l) => ({ id: l.id, rev: l.rev, value: l.value }),
    );
  const split = (json: string, host: string) =>
    splitCopy(json, host)?.lanes.map((l) => ({
      id: l.id,
      rev: l.rev,
      value: l.text ? (JSON.parse(l.text.json) as unknown) : l.value,
    })) ?? null;

  it('holds what JSON.parse of the whole copy holds, ids and values with delimiters inside', () => {
    const lanes = [
      { id: 'a1', rev: 3, text: JSON.stringify(laneValue('h', 'a1')) },
      { id: 'a"},{"id":"b', rev: 4, text: JSON.stringify(laneValue('h', 'a"},{"id":"b')) },
      { id: 'w,"rev":1', rev: 5, text: JSON.stringify({ id: 'other', v: '}}]}' }) },
      { id: 'e', rev: 6, text: '{}' },
    ];
    for (const host of ['h', 'a "host", \\ with ,"lanes":[ in it']) {
      const json = copy(host, lanes.slice(0, host === 'h' ? 4 : 1));
      expect(split(json, host)).toEqual(whole(json));
    }
    expect(splitCopy(copy('h', []), 'h')?.lanes).toEqual([]);
    expect(splitCopy(copy('h', lanes), 'h')?.lanes.map((l) => l.text !== null)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('declines any other layout or a wrong host (the whole copy is then parsed)', () => {
    const ok = copy('h', [{ id: 'a', rev: 1, text: '{"id":"a"}' }]);
    const bad = [
      ok.replace('"rev":1', '"rev":1.0'),
      ok.replace('"rev":1', '"rev":-1'),
      ok.replace('"value":{"id":"a"}', '"value":null'),
      ok.replace('"value":{"id":"a"}', '"value":{"id":"a"'),
      ok.replace('"value":{"id":"a"}', '"value":{"id":"a"},"x":1'),
      ok.replace('{"id":"a","rev"', '{"rev"'),
      ok.replace('"tailFrom":9', '"tailFrom":0'),
      ok.replace('"lanes":[', '"lanes": ['),
      `${ok} `,
      ok.slice(0, -2),
    ];
    for (const json of bad) expect(splitCopy(json, 'h')).toBeNull();
    expect(splitCopy(ok, 'other')).toBeNull();
    expect(splitCopy(ok, 'h')?.lanes).toHaveLength(1);
  });
});
