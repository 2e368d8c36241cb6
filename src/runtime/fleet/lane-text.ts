/**
 * Lane values kept as the JSON text their host wrote, for the one-shot fleet read
 * (`laneboard --json --nats`, ./fleet-scan.ts and ./fleet-snapshot.ts). Holding 500 parsed
 * lane objects until the snapshot is printed made every young-generation collection of
 * that short process copy all of them, and re-serialising them cost more than parsing
 * (docs/performance.md, "Fleet, session 7"). So each value is parsed once, to check it and
 * to read the few fields the snapshot needs (sort keys, counts, the heartbeat to re-age),
 * and the object is dropped; the snapshot then splices the host's text into its output.
 *
 * Hosts write each value with `JSON.stringify` (./publisher.ts), and such text is what
 * `JSON.stringify(JSON.parse(text))` gives again, so the spliced output is the bytes the
 * parse-and-serialise path prints. A value written some other way is copied as written (it
 * is still one JSON object: it parsed as one, and text with a line break is not spliced).
 */
import type { JsonRecord } from '../../state/dialects/util.js';
import { publishedAtOf, remoteAgeMs } from '../../state/fleet-ages.js';

/** What the snapshot needs of one lane value, beside its text. */
export interface LaneFacts {
  /** `repo` (a sort key), '' when it is not a string. */
  readonly repo: string;
  readonly red: boolean;
  readonly blocked: boolean;
  readonly stale: boolean;
  readonly crashed: boolean;
  /** The worker's state is `running` (counted only while the host is online). */
  readonly running: boolean;
}

/** A lane value as its text and the facts read from it. */
export interface LaneText extends LaneFacts {
  /** The value's JSON text, as the host wrote it (one object, no line break). */
  readonly json: string;
  /** `publishedAt` (host clock, epoch ms), null when missing or unreadable. */
  readonly publishedAt: number | null;
  /** `agent.heartbeat.at` (host clock, epoch ms); NaN when there is none to re-age. */
  readonly heartbeatAt: number;
  /** Index in `json` of `agent.heartbeat.ageMs`'s value, and that value's length. */
  readonly ageAt: number;
  readonly ageLen: number;
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
const field = (o: unknown, k: string): unknown => obj(o)?.[k];
const own = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The facts of a lane (a published value, or a snapshot lane) by the rules of selectCounts. */
export function laneFacts(lane: Obj): LaneFacts {
  const worker = lane.worker;
  const state = field(worker, 'state');
  const freshness = field(lane.git, 'freshness');
  return {
    repo: typeof lane.repo === 'string' ? lane.repo : '',
    red: field(lane.tests, 'status') === 'red',
    blocked: Array.isArray(lane.blockers) && lane.blockers.length > 0,
    stale: freshness === 'stale' || freshness === 'diverged',
    crashed:
      state === 'crash_loop' ||
      state === 'failed_to_start' ||
      (state === 'exited' && field(worker, 'exitCode') !== 0),
    running: state === 'running',
  };
}

/**
 * The text form of lane value `value` (parsed from `json`) of lane `laneId` on `host`, or
 * null when the snapshot could not splice it and must serialise the object instead: its
 * `id` or `host` differ from the key's, it has a `hostOnline` of its own, its heartbeat
 * `ageMs` is not the one `"ageMs":` in the text or reads differently there, or the text
 * has a line break or does not start and end with the object's braces.
 */
export function laneText(
  value: JsonRecord,
  json: string,
  host: string,
  laneId: string,
): LaneText | null {
  if (value.id !== laneId || value.host !== host || own(value, 'hostOnline')) return null;
  if (!json.startsWith('{') || !json.endsWith('}')) return null;
  if (json.includes('\n') || json.includes('\r')) return null;
  const hb = obj(field(value.agent, 'heartbeat'));
  const at = hb !== null && typeof hb.at === 'string' ? Date.parse(hb.at) : NaN;
  let ageAt = -1;
  let ageLen = 0;
  if (hb !== null && Number.isFinite(at)) {
    // In JSON text `"ageMs":` can only be a key: the lane must have exactly this one.
    const key = json.indexOf('"ageMs":');
    if (!own(hb, 'ageMs') || key < 0 || json.includes('"ageMs":', key + 1)) return null;
    const old = JSON.stringify(hb.ageMs) ?? '';
    ageAt = key + '"ageMs":'.length;
    ageLen = old.length;
    const next = json[ageAt + ageLen];
    if (!json.startsWith(old, ageAt) || (next !== ',' && next !== '}')) return null;
  }
  return {
    ...laneFacts(value),
    json,
    publishedAt: publishedAtOf(value),
    heartbeatAt: at,
    ageAt,
    ageLen,
  };
}

/**
 * The snapshot lane of `t` as JSON text: the host's text with `agent.heartbeat.ageMs`
 * re-aged for reader time `now` (epoch ms) from the value's arrival (`arrivedAt`, reader
 * clock; src/state/fleet-ages.ts) and `"hostOnline"` added, byte for byte what
 * `JSON.stringify` of the parsed, re-aged lane with `hostOnline` gives.
 */
export function laneTextJson(t: LaneText, arrivedAt: number, now: number, online: boolean): string {
  const tail = `,"hostOnline":${online ? 'true' : 'false'}}`;
  if (t.ageAt < 0) return `${t.json.slice(0, -1)}${tail}`;
  const age = remoteAgeMs(t.heartbeatAt, { arrivedAt, publishedAt: t.publishedAt }, now);
  const head = t.json.slice(0, t.ageAt);
  return `${head}${JSON.stringify(age)}${t.json.slice(t.ageAt + t.ageLen, -1)}${tail}`;
}
