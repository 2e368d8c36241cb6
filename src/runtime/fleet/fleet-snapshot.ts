/**
 * The fleet snapshot (`laneboard --json --nats URL`): `laneboard.snapshot/1` with every
 * lane carrying `host` (and `hostOnline`), and a top-level `hosts: [{ id, online,
 * lastSeen }]`. Built only from what the fleet reader holds (no git, no file reads), plus
 * the local board's own snapshot when there is a lanes.yaml. Lanes of an offline host stay
 * listed with their last published state and `hostOnline: false`; their running workers
 * are not counted as running. A remote lane's `agent.heartbeat.ageMs` is re-aged to `now`
 * from its publish and arrival times (src/state/fleet-ages.ts), never from clock differences. Lane order: host, then repo, then lane id (code-unit order).
 */
import { SNAPSHOT_SCHEMA } from '../../state/snapshot.js';
import type { FleetState } from './reader.js';
import { hostOnline } from './liveness.js';
import { publishedAtOf, reagedSnapshotLane } from '../../state/fleet-ages.js';

/** The local board's part of a fleet snapshot. */
export interface LocalPart {
  /** This host's name. */
  readonly host: string;
  /** `selectSnapshot()` of the local store. */
  readonly snapshot: Record<string, unknown>;
}

type Lane = Record<string, unknown>;

const field = (o: unknown, k: string): unknown =>
  o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;

/** Counts over snapshot lanes, by the same rules as selectCounts (src/state/selectors.ts). */
function countLanes(lanes: readonly Lane[]): Record<string, number> {
  let red = 0,
    blocked = 0,
    stale = 0,
    crashed = 0,
    running = 0;
  for (const l of lanes) {
    const worker = l.worker;
    const state = field(worker, 'state');
    const freshness = field(l.git, 'freshness');
    if (field(l.tests, 'status') === 'red') red++;
    if (Array.isArray(l.blockers) && l.blockers.length > 0) blocked++;
    if (freshness === 'stale' || freshness === 'diverged') stale++;
    if (
      state === 'crash_loop' ||
      state === 'failed_to_start' ||
      (state === 'exited' && field(worker, 'exitCode') !== 0)
    )
      crashed++;
    if (state === 'running' && l.hostOnline !== false) running++;
  }
  return { lanes: lanes.length, red, blocked, stale, crashed, running };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Build the fleet snapshot at reader-clock time `now` (epoch ms). */
export function fleetSnapshot(
  state: FleetState,
  now: number,
  local?: LocalPart,
): Record<string, unknown> {
  const lanes: Lane[] = [];
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
      for (const l of localLanes as Lane[])
        lanes.push({ ...l, host: local.host, hostOnline: true });
    }
    const localNotices = local.snapshot.notices;
    if (Array.isArray(localNotices)) notices.push(...(localNotices as typeof notices));
  }
  for (const r of state.lanes.values()) {
    if (local && r.host === local.host) continue;
    if (!hosts.has(r.host)) hosts.set(r.host, { id: r.host, online: false, lastSeen: null });
    const online = hosts.get(r.host)?.online ?? false;
    if (!r.value) {
      notices.push({ message: `${r.host}/${r.laneId}: ${r.problem ?? 'unreadable'}`, at: null });
      continue;
    }
    const times = { arrivedAt: r.arrivedAt, publishedAt: publishedAtOf(r.value) };
    const lane = reagedSnapshotLane(r.value, times, now);
    lanes.push({ ...lane, id: r.laneId, host: r.host, hostOnline: online });
  }
  // Code-unit order: stable across machines and locales, and far cheaper than
  // localeCompare at 500 lanes (the `--json --nats` start-time target).
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  lanes.sort(
    (a, b) =>
      cmp(str(a.host), str(b.host)) || cmp(str(a.repo), str(b.repo)) || cmp(str(a.id), str(b.id)),
  );
  return {
    schema: SNAPSHOT_SCHEMA,
    generatedAt: iso(now),
    counts: countLanes(lanes),
    hosts: [...hosts.values()].sort((a, b) => cmp(a.id, b.id)),
    lanes,
    notices,
  };
}
