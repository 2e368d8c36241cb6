/**
 * `laneboard wait <lane>... --for <condition> [--timeout DUR]` and the delivery wait of
 * `steer --wait`: both follow the runtime's snapshot stream (`GET /v1/events`) until the
 * condition holds for every named lane (exit 0) or the timeout passes (exit 1).
 */
import { streamLines } from '../../runtime/control/client.js';
import { CliError, EXIT } from '../commands/exit.js';
import type { Connection } from './link.js';
import { selectLanes } from './link.js';
import type { LaneSnap } from './lane-ops.js';

const STOPPED = new Set(['exited', 'stopped', 'crash_loop', 'failed_to_start', 'none']);

/** The conditions of `wait --for`, each a predicate on a lane snapshot. */
export const CONDITIONS: Readonly<Record<string, (l: LaneSnap) => boolean>> = {
  running: (l) => l.worker.state === 'running',
  idle: (l) => l.agent.kind === 'idle',
  blocked: (l) => l.blockers.length > 0 || l.agent.kind === 'blocked',
  finished: (l) => l.agent.kind === 'finished',
  green: (l) => l.tests.status === 'green',
  red: (l) => l.tests.status === 'red',
  exited: (l) => STOPPED.has(l.worker.state),
};

/**
 * Follow the snapshot stream until `done(lanes)` returns a non-null value (resolved) or
 * `timeoutMs` passes (null; no limit when `timeoutMs` is null). A stream that ends (the
 * runtime stopped) rejects with a CliError, exit 1.
 */
async function follow<T>(
  conn: Connection,
  done: (lanes: readonly LaneSnap[]) => T | null,
  timeoutMs: number | null,
): Promise<T | null> {
  let settle: (v: T | null) => void = () => undefined;
  const result = new Promise<T | null>((r) => (settle = r));
  let finished = false;
  const stream = await streamLines(conn.socket, '/v1/events', (v) => {
    if (finished) return;
    const lanes = (v as { lanes?: LaneSnap[] }).lanes;
    if (!Array.isArray(lanes)) return;
    const hit = done(lanes);
    if (hit !== null) {
      finished = true;
      settle(hit);
    }
  });
  const timer = timeoutMs === null ? null : setTimeout(() => settle(null), timeoutMs);
  const ended = stream.done.then(() => {
    if (!finished) throw new CliError('the runtime stopped while waiting', EXIT.runtime);
    return null;
  });
  try {
    return await Promise.race([result, ended]);
  } finally {
    finished = true;
    if (timer) clearTimeout(timer);
    stream.close();
  }
}

/** `wait`: exit 0 once every lane meets `condition`, 1 on timeout (naming the lanes not there). */
export async function runWait(
  conn: Connection,
  args: readonly string[],
  all: boolean,
  condition: string,
  timeoutMs: number | null,
): Promise<number> {
  const pred = CONDITIONS[condition];
  if (pred === undefined) {
    throw new CliError(
      `--for must be one of ${Object.keys(CONDITIONS).join('|')} (got ${JSON.stringify(condition)})`,
      EXIT.usage,
    );
  }
  const first = (await conn.call('GET', '/v1/lanes')).lanes as LaneSnap[];
  const ids = selectLanes(
    first.map((l) => l.id),
    args,
    all,
  );
  let pending = ids;
  const ok = await follow(
    conn,
    (lanes) => {
      pending = ids.filter((id) => {
        const l = lanes.find((x) => x.id === id);
        return l === undefined || !pred(l);
      });
      return pending.length === 0 ? true : null;
    },
    timeoutMs,
  );
  if (ok === true) return EXIT.ok;
  process.stderr.write(`laneboard: timed out waiting for ${condition}: ${pending.join(', ')}\n`);
  return EXIT.runtime;
}

/**
 * Wait for steering message `id` on lane `laneId` to leave `pending`; resolves with its
 * delivery (`delivered`, `not_delivered`, `failed`) or `timed out`.
 */
export async function waitForSteer(
  conn: Connection,
  laneId: string,
  id: string,
  timeoutMs: number | null,
): Promise<string> {
  const r = await follow(
    conn,
    (lanes) => {
      const m = lanes.find((l) => l.id === laneId)?.steering.find((s) => s.id === id);
      return m !== undefined && m.delivery !== 'pending' ? m.delivery : null;
    },
    timeoutMs,
  );
  return r ?? 'timed out';
}
