/**
 * The one-shot read of the whole fleet (`laneboard --json --nats`) from the hosts'
 * one-value copies of their lanes (`lanes.<host>`, written by ./host-lanes.ts), completed
 * from the lane keys, so that it gives exactly what reading every lane key gives
 * (./bucket-scan.ts), with one message per host instead of one per lane:
 *
 * 1. the newest `host.*` and `lanes.*` entries (two consumers) and, at the same time, the
 *    stream's lane subjects (./lane-subjects.ts);
 * 2. per host, every lane-key entry from the copy's `tailFrom` revision on (what the host
 *    wrote after the copy; newer revisions replace the copy's, deletes remove);
 * 3. of the lane subjects of step 1: a lane key that no copy or tail
 *    named — a deleted lane's marker, a key left by an earlier run or another laneboard —
 *    is read on its own (at most 64 of them), so the result is what reading every lane key
 *    gives. A host with a liveness record and no copy (an older host, or a server whose
 *    permissions predate the key), an unreadable copy, a named key the stream no longer
 *    holds, or more than 64 keys to read alone, and the result is null: the caller reads
 *    every lane key instead.
 *
 * A lane's arrival time (for re-aging, src/state/fleet-ages.ts) is the copy's server time
 * minus the host-clock interval from the lane's `publishedAt` to the copy's `writtenAt`,
 * moved onto the reader's clock like every server time (./server-clock.ts).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../types.js';
import { scanBucket, type BucketScan } from './bucket-scan.js';
import { decodeToken, FLEET_BUCKET, hostLaneKeys, laneKey } from './keys.js';
import { applyEntryTo, applyLaneTo, type FleetEntry, type FleetMaps } from './reader.js';
import { publishedAtOf } from '../../state/fleet-ages.js';
import { laneSubjects, readKeys } from './lane-subjects.js';
import type { JsonRecord } from '../../state/dialects/util.js';
import { laneText, type LaneText } from './lane-text.js';

/** One lane of a copy: its value parsed, or kept as text (./lane-text.ts). */
export interface CopyLane {
  readonly id: string;
  readonly rev: number;
  readonly value: JsonRecord | null;
  readonly text: LaneText | null;
}

/** One host's copy, checked. */
export interface Copy {
  readonly host: string;
  readonly tailFrom: number;
  /** Server time of the copy (epoch ms). */
  readonly serverAt: number;
  /** The copy's `writtenAt` (host clock, epoch ms). */
  readonly writtenAt: number;
  readonly lanes: CopyLane[];
}

const isObj = (v: unknown): v is JsonRecord =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A copy's fields other than `lanes` (from `v`), or null when they are not well-formed. */
function copyHead(v: unknown, host: string): { tailFrom: number; writtenAt: number } | null {
  if (!isObj(v) || v.host !== host) return null;
  const writtenAt = typeof v.writtenAt === 'string' ? Date.parse(v.writtenAt) : NaN;
  const tailFrom = v.tailFrom;
  if (!Number.isFinite(writtenAt) || !Number.isSafeInteger(tailFrom) || (tailFrom as number) < 1)
    return null;
  return { tailFrom: tailFrom as number, writtenAt };
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Most value ends tried per lane by {@link splitCopy}. */
const MAX_TRIES = 32;

/**
 * The copy text `json` of `host` read lane by lane, when it has exactly the layout
 * ./host-lanes.ts writes: `{…,"lanes":[` then items `{"id":<string>,"rev":<digits>,
 * "value":<object>}` joined by `,`, then `]}`. Each value is parsed on its own (and kept
 * as its text, ./lane-text.ts, when it can be), so no object tree of the whole copy is
 * built. Every byte of `json` is checked on the way (the head and each value by
 * JSON.parse, the rest literally), so it accepts only text that JSON.parse reads as the
 * same copy. Null for any other layout: the caller parses the whole text instead.
 */
export function splitCopy(json: string, host: string): Omit<Copy, 'serverAt'> | null {
  const at = json.indexOf(',"lanes":[');
  const end = json.length - 2; // the closing `]}`
  if (at < 0 || !json.endsWith(']}')) return null;
  const head = copyHead(parse(`${json.slice(0, at)}}`), host);
  if (head === null) return null;
  const lanes: CopyLane[] = [];
  let pos = at + ',"lanes":['.length;
  while (pos < end) {
    // `,"rev":` and `,"value":` cannot occur inside a JSON string (a raw quote after a comma).
    const revAt = json.indexOf(',"rev":', pos);
    const valueAt = json.indexOf(',"value":', revAt);
    if (!json.startsWith('{"id":', pos) || revAt < 0 || valueAt < 0) return null;
    const id = parse(json.slice(pos + '{"id":'.length, revAt));
    const revText = json.slice(revAt + ',"rev":'.length, valueAt);
    const rev = /^(0|[1-9]\d*)$/.test(revText) ? Number(revText) : NaN;
    const from = valueAt + ',"value":'.length;
    if (typeof id !== 'string' || !Number.isSafeInteger(rev) || json[from] !== '{') return null;
    // The value ends at a `}` followed by `},{"id":` (or by `}]}` at the end); the first
    // such end whose text parses is the value's own (any other would cut it or overrun it).
    let value: unknown;
    let close = from;
    for (let tries = 0; value === undefined; tries += 1) {
      const next = json.indexOf('}},{"id":', close);
      close = next < 0 || next >= end ? end - 2 : next;
      if (tries >= MAX_TRIES || (close === end - 2 && !json.startsWith('}}', close))) return null;
      value = parse(json.slice(from, close + 1));
      if (value === undefined && close === end - 2) return null;
      close += 1;
    }
    const text = json.slice(from, close);
    const t = laneText(value as JsonRecord, text, host, id);
    lanes.push({ id, rev, value: t ? null : (value as JsonRecord), text: t });
    pos = close + 1 === end ? end : close + 2; // past the item's `}` and its `,`
  }
  return pos === end ? { host, ...head, lanes } : null;
}

/** The copy in `e` (key `lanes.<host>`), or null when it is not a well-formed one. */
function readCopy(e: FleetEntry): Copy | null {
  const host = decodeToken(e.key.slice('lanes.'.length));
  if (host === null || e.operation !== 'PUT') return null;
  const serverAt = e.created.getTime();
  const split = splitCopy(e.text, host);
  if (split !== null) return { ...split, serverAt };
  const v = parse(e.text);
  const head = copyHead(v, host);
  if (head === null || !isObj(v) || !Array.isArray(v.lanes)) return null;
  const lanes: CopyLane[] = [];
  for (const l of v.lanes as unknown[]) {
    if (!isObj(l) || typeof l.id !== 'string' || !Number.isSafeInteger(l.rev)) return null;
    const value = isObj(l.value) ? l.value : null;
    lanes.push({ id: l.id, rev: l.rev as number, value, text: null });
  }
  return { host, ...head, serverAt, lanes };
}

/** Most lane keys read one by one (beyond, reading every lane key costs less). */
const MAX_ALONE = 64;

/**
 * Read the fleet bucket as described in the module doc. `inbox()` gives a fresh inbox
 * subject per call; `clock` is the reader's clock. Resolves with the maps (as
 * `applyEntryTo` fills them from a whole-bucket scan), or null when the per-lane read must
 * be used instead; rejects as `scanBucket` does (no bucket: `ScanRefusedError`, a scan
 * not done within `timeoutMs`).
 */
export async function scanFleetByHost(
  nc: NatsConnection,
  inbox: () => string,
  clock: Clock,
  timeoutMs = 5_000,
): Promise<FleetMaps | null> {
  const scan = (keys: string, fromRevision?: number): Promise<BucketScan> =>
    scanBucket(nc, FLEET_BUCKET, inbox(), clock, timeoutMs, { keys, fromRevision });
  const first = Promise.all([scan('host.*'), scan('lanes.*')]);
  // The stream's lane subjects are asked for with the copies: a lane key written after the
  // answer is named by a copy or a tail and missing from the subjects (then the result is
  // null), and one in the subjects that no copy or tail names is read alone below. Sent
  // after the two consumer creates: the server answers its API requests in turn, and
  // listing 500 subjects takes it longer than creating a consumer.
  const subjects = laneSubjects(nc, FLEET_BUCKET, timeoutMs);
  subjects.catch(() => undefined); // awaited below, unless an early return leaves it
  const [hosts, copies] = await first;
  const offset = hosts.serverOffsetMs;
  const byHost = new Map<string, Copy>();
  for (const e of copies.entries) {
    const c = readCopy(e);
    if (c === null) return null;
    byHost.set(c.host, c);
  }
  const maps: FleetMaps = { lanes: new Map(), hosts: new Map() };
  const now = clock.now();
  for (const e of hosts.entries) {
    const host = decodeToken(e.key.slice('host.'.length));
    if (host === null || (e.operation === 'PUT' && !byHost.has(host))) return null;
    applyEntryTo(maps, e, now, true, offset);
  }
  const known = new Set<string>();
  for (const c of byHost.values()) {
    for (const l of c.lanes) {
      const key = laneKey(c.host, l.id);
      known.add(key);
      const publishedAt = l.text ? l.text.publishedAt : l.value ? publishedAtOf(l.value) : null;
      const before = publishedAt === null ? 0 : Math.max(0, c.writtenAt - publishedAt);
      const arrivedAt = Math.min(c.serverAt - before - offset, now);
      const lane = { host: c.host, laneId: l.id, revision: l.rev, arrivedAt };
      applyLaneTo(maps, key, lane, l.value, l.text);
    }
  }
  const [tails, keys] = await Promise.all([
    Promise.all([...byHost.values()].map((c) => scan(hostLaneKeys(c.host), c.tailFrom))),
    subjects,
  ]);
  for (const t of tails) {
    for (const e of t.entries) {
      known.add(e.key);
      applyEntryTo(maps, e, clock.now(), true, offset, true);
    }
  }
  if (keys === null) return null;
  for (const k of known) if (!keys.delete(k)) return null;
  if (keys.size > MAX_ALONE) return null;
  const alone = await readKeys(nc, FLEET_BUCKET, [...keys], timeoutMs);
  if (alone === null) return null;
  for (const e of alone) applyEntryTo(maps, e, clock.now(), true, offset, true);
  return maps;
}
