/**
 * The fleet snapshot (`laneboard --json --nats URL`): `laneboard.snapshot/1` with every
 * lane carrying `host` (and `hostOnline`), and a top-level `hosts: [{ id, online,
 * lastSeen }]`. Built only from what the fleet reader holds (no git, no file reads), plus
 * the local board's own snapshot when there is a lanes.yaml. Lanes of an offline host stay
 * listed with their last published state and `hostOnline: false`; their running workers
 * are not counted as running. A remote lane's `agent.heartbeat.ageMs` is re-aged to `now`
 * from its publish and arrival times (src/state/fleet-ages.ts), never from clock
 * differences. Lane order: host, then repo, then lane id (code-unit order).
 *
 * Two forms of the same snapshot: {@link fleetSnapshot} (an object) and
 * {@link fleetSnapshotJson} (its compact JSON text, which splices lanes kept as text by
 * the one-shot read, ./lane-text.ts, instead of serialising them).
 */
import { SNAPSHOT_SCHEMA } from '../../state/snapshot.js';
import { remoteValue, type FleetState, type RemoteLane } from './reader.js';
import { hostOnline } from './liveness.js';
import { publishedAtOf, reagedSnapshotLane } from '../../state/fleet-ages.js';
import { laneFacts, laneTextJson, type LaneFacts, type LaneText } from './lane-text.js';

/** The local board's part of a fleet snapshot. */
export interface LocalPart {
  /** This host's name. */
  readonly host: string;
  /** `selectSnapshot()` of the local store. */
  readonly snapshot: Record<string, unknown>;
}

type Lane = Record<string, unknown>;

/** One lane of the snapshot before it is written out: a lane object, or a lane kept as text. */
interface Row {
  readonly host: string;
  readonly id: string;
  readonly facts: LaneFacts;
  readonly online: boolean;
  /** The lane object, or null when the lane is kept as text (`remote.text`). */
  readonly lane: Lane | null;
  readonly remote: (RemoteLane & { text: LaneText }) | null;
}

interface Parts {
  readonly hosts: { id: string; online: boolean; lastSeen: string | null }[];
  readonly rows: Row[];
  readonly notices: { message: string; at: string | null }[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A remote lane as a snapshot lane object (re-aged, with host and `hostOnline`). */
function laneObject(r: RemoteLane, value: Lane, now: number, online: boolean): Lane {
  const times = { arrivedAt: r.arrivedAt, publishedAt: publishedAtOf(value) };
  const lane = reagedSnapshotLane(value, times, now);
  return { ...lane, id: r.laneId, host: r.host, hostOnline: online };
}

/** Hosts, lanes (sorted) and notices of the snapshot at reader-clock time `now`. */
function collect(state: FleetState, now: number, local?: LocalPart): Parts {
  const rows: Row[] = [];
  const notices: { message: string; at: string | null }[] = [];
  const hosts = new Map<string, { id: string; online: boolean; lastSeen: string | null }>();
  for (const [id, seen] of state.hosts) {
    if (local && id === local.host) continue;
    hosts.set(id, { id, online: hostOnline(seen, now), lastSeen: iso(seen.serverAt) });
  }
  if (local) {
    hosts.set(local.host, { id: local.host, online: true, lastSeen: iso(now) });
    const localLanes = local.snapshot.lanes;
    if (Array.isArray(localLanes)) {
      for (const l of localLanes as Lane[]) {
        const lane: Lane = { ...l, host: local.host, hostOnline: true };
        const id = typeof lane.id === 'string' ? lane.id : '';
        rows.push({
          host: local.host,
          id,
          facts: laneFacts(lane),
          online: true,
          lane,
          remote: null,
        });
      }
    }
    const localNotices = local.snapshot.notices;
    if (Array.isArray(localNotices)) notices.push(...(localNotices as typeof notices));
  }
  for (const r of state.lanes.values()) {
    if (local && r.host === local.host) continue;
    if (!hosts.has(r.host)) hosts.set(r.host, { id: r.host, online: false, lastSeen: null });
    const online = hosts.get(r.host)?.online ?? false;
    const base = { host: r.host, id: r.laneId, online };
    if (r.text) {
      rows.push({ ...base, facts: r.text, lane: null, remote: { ...r, text: r.text } });
    } else if (r.value) {
      const lane = laneObject(r, r.value, now, online);
      rows.push({ ...base, facts: laneFacts(lane), lane, remote: null });
    } else {
      notices.push({ message: `${r.host}/${r.laneId}: ${r.problem ?? 'unreadable'}`, at: null });
    }
  }
  // Code-unit order: stable across machines and locales, and far cheaper than
  // localeCompare at 500 lanes (the `--json --nats` start-time target).
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  rows.sort((a, b) => cmp(a.host, b.host) || cmp(a.facts.repo, b.facts.repo) || cmp(a.id, b.id));
  return { hosts: [...hosts.values()].sort((a, b) => cmp(a.id, b.id)), rows, notices };
}

/** Counts over the lanes, by the same rules as selectCounts (src/state/selectors.ts). */
function countRows(rows: readonly Row[]): Record<string, number> {
  const c = { lanes: rows.length, red: 0, blocked: 0, stale: 0, crashed: 0, running: 0 };
  for (const { facts: f, online } of rows) {
    c.red += Number(f.red);
    c.blocked += Number(f.blocked);
    c.stale += Number(f.stale);
    c.crashed += Number(f.crashed);
    c.running += Number(f.running && online);
  }
  return c;
}

/** Build the fleet snapshot at reader-clock time `now` (epoch ms). */
export function fleetSnapshot(
  state: FleetState,
  now: number,
  local?: LocalPart,
): Record<string, unknown> {
  const { hosts, rows, notices } = collect(state, now, local);
  const lanes = rows.map(
    ({ lane, remote, online }) =>
      lane ?? (remote ? laneObject(remote, remoteValue(remote) ?? {}, now, online) : {}),
  );
  return {
    schema: SNAPSHOT_SCHEMA,
    generatedAt: iso(now),
    counts: countRows(rows),
    hosts,
    lanes,
    notices,
  };
}

/**
 * The fleet snapshot at reader-clock time `now` as compact JSON text (no trailing
 * newline): what `JSON.stringify(fleetSnapshot(state, now))` gives, with the lanes kept as
 * text spliced in (./lane-text.ts) instead of parsed and serialised again.
 */
export function fleetSnapshotJson(state: FleetState, now: number): string {
  const { hosts, rows, notices } = collect(state, now);
  const lanes = rows.map(({ lane, remote, online }) =>
    remote ? laneTextJson(remote.text, remote.arrivedAt, now, online) : JSON.stringify(lane),
  );
  const head = JSON.stringify({
    schema: SNAPSHOT_SCHEMA,
    generatedAt: iso(now),
    counts: countRows(rows),
    hosts,
  });
  return `${head.slice(0, -1)},"lanes":[${lanes.join(',')}],"notices":${JSON.stringify(notices)}}`;
}
