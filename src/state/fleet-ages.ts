/**
 * Ages of remote lanes without comparing clocks (pure). A host stamps each lane value it
 * publishes with `publishedAt` (its own clock); the reader notes when the value arrived
 * (its own clock; src/runtime/fleet/reader.ts). The age of a time `at` the host reported
 * is then `publishedAt − at` (one clock: the host's) plus the time since arrival (one
 * clock: the board's). A host clock minutes off never shows as a negative, frozen or
 * inflated age; only the transit time (milliseconds) is not counted. A value without
 * `publishedAt` (an older host) falls back to the board's clock minus `at`, never below 0.
 */

/** When a remote value was written (host clock) and when it arrived (board clock), epoch ms. */
export interface RemoteTimes {
  /** Board-clock time the value arrived (for values already in the bucket: the server's write time). */
  readonly arrivedAt: number;
  /** Host-clock time the host wrote the value; null when the value did not say. */
  readonly publishedAt: number | null;
}

/** The value's `publishedAt` (ISO 8601) as epoch ms; null when missing or unparsable. */
export function publishedAtOf(value: Readonly<Record<string, unknown>> | null): number | null {
  const v = value?.publishedAt;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** Age (ms, ≥ 0) at board time `now` of the host-clock time `at`; null when `at` is null. */
export function remoteAgeMs(at: number | null, t: RemoteTimes, now: number): number | null {
  if (at === null) return null;
  if (t.publishedAt === null) return Math.max(0, now - at);
  return Math.max(0, t.publishedAt - at) + Math.max(0, now - t.arrivedAt);
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;

/**
 * A published snapshot lane with `agent.heartbeat.ageMs` re-aged for board time `now`
 * (by {@link remoteAgeMs}); the lane itself when it has no readable heartbeat time.
 */
export function reagedSnapshotLane(lane: Obj, t: RemoteTimes, now: number): Obj {
  const agent = obj(lane.agent);
  const hb = obj(agent?.heartbeat);
  const at = typeof hb?.at === 'string' ? Date.parse(hb.at) : NaN;
  if (!agent || !hb || !Number.isFinite(at)) return lane;
  return { ...lane, agent: { ...agent, heartbeat: { ...hb, ageMs: remoteAgeMs(at, t, now) } } };
}
