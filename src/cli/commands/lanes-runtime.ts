/**
 * `laneboard add` / `remove` (and the board's `n` / `D`) with a runtime running for the
 * lanes.yaml (`laneboard serve` or a board): they talk to it over the control endpoint
 * (docs/control.md) instead of only editing the file. `remove` stops the lane's worker
 * through the runtime before the entry goes; `add` waits until the runtime has picked the
 * new lane up from its live reload (and started its worker, when it has a command and
 * autostart) and says so.
 */
import type { BoardConfig } from '../../state/config-types.js';
import { findRuntime } from '../verbs/connect.js';
import { connectTo, type Connection } from '../verbs/link.js';

/** How long `add` / `remove` wait for a runtime to apply their lanes.yaml edit (ms). */
const PICKUP_TIMEOUT_MS = 15_000;
const POLL_MS = 100;

/** The runtime running `config` as a {@link Connection}, or null when none runs. Never throws. */
export async function runtimeOf(config: BoardConfig): Promise<Connection | null> {
  const found = await findRuntime(config).catch(() => null);
  return found === null ? null : connectTo(config.file, found.socket, found.health);
}

/** The lane's worker as the runtime reports it: null when the runtime has no lane `id`. */
async function workerOf(
  conn: Connection,
  id: string,
): Promise<{ state: string; pid: number | null } | null> {
  try {
    const r = await conn.call('GET', `/v1/lanes/${encodeURIComponent(id)}`);
    const lane = r.lane as { worker?: { state?: string; pid?: number | null } } | undefined;
    return { state: lane?.worker?.state ?? 'unknown', pid: lane?.worker?.pid ?? null };
  } catch {
    return null;
  }
}

/** Poll `probe` every 100 ms until it returns non-null or `timeoutMs` passes (then null). */
async function poll<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null || Date.now() >= deadline) return v;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Stop lane `id`'s worker through the runtime (`POST /v1/lanes/<id>/stop`, which returns
 * once the worker and its descendants are gone). Logs what happened; never throws (a
 * lane the runtime does not know, or a failed stop, is logged and left to the caller).
 * @returns true when the runtime reports the lane without a running worker afterwards.
 */
export async function stopThroughRuntime(
  conn: Connection,
  id: string,
  log: (line: string) => void,
): Promise<boolean> {
  const before = await workerOf(conn, id);
  if (before === null) return false;
  try {
    await conn.call('POST', `/v1/lanes/${encodeURIComponent(id)}/stop`);
  } catch (err) {
    log(`the runtime (pid ${conn.health.pid}) could not stop lane ${id}: ${String(err)}`);
    return false;
  }
  if (before.pid !== null) {
    log(`the runtime (pid ${conn.health.pid}) stopped the worker (pid ${before.pid})`);
  }
  return true;
}

/**
 * Wait (≤ `timeoutMs`) until the runtime no longer has lane `id` (its live reload applied
 * the removal) and log it; a runtime that does not get there is logged too. Never throws.
 */
export async function awaitDropped(
  conn: Connection,
  id: string,
  log: (line: string) => void,
  timeoutMs = PICKUP_TIMEOUT_MS,
): Promise<void> {
  const gone = await poll(
    async () => ((await workerOf(conn, id)) === null ? true : null),
    timeoutMs,
  );
  log(
    gone
      ? `the runtime (pid ${conn.health.pid}) dropped lane ${id}`
      : `the runtime (pid ${conn.health.pid}) still shows lane ${id} after ${timeoutMs / 1000} s (is lanes.yaml broken? laneboard status)`,
  );
}

/**
 * Wait (≤ `timeoutMs`) until the runtime shows lane `id` — with a worker pid when
 * `expectWorker` (the lane has a command and autostart) — and log it. Never throws.
 * @returns true when the runtime picked the lane up in time.
 */
export async function awaitPickedUp(
  conn: Connection,
  id: string,
  expectWorker: boolean,
  log: (line: string) => void,
  timeoutMs = PICKUP_TIMEOUT_MS,
): Promise<boolean> {
  const settled = (w: { state: string; pid: number | null }): boolean =>
    !expectWorker ||
    w.pid !== null ||
    ['exited', 'backoff', 'crash_loop', 'failed_to_start'].includes(w.state);
  const w = await poll(async () => {
    const cur = await workerOf(conn, id);
    return cur !== null && settled(cur) ? cur : null;
  }, timeoutMs);
  const who = `the runtime (pid ${conn.health.pid})`;
  if (w === null) {
    log(
      `${who} has not picked up lane ${id} after ${timeoutMs / 1000} s (is lanes.yaml broken? laneboard status)`,
    );
    return false;
  }
  log(
    w.pid !== null
      ? `${who} picked up lane ${id}: worker running pid ${w.pid}`
      : `${who} picked up lane ${id}${expectWorker ? ` (worker ${w.state})` : ''}`,
  );
  return true;
}
