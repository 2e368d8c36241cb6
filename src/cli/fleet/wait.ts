/**
 * `laneboard wait <host>/<lane>... --for <condition> --nats URL [--timeout DUR]`: follows
 * the fleet bucket (src/runtime/fleet/reader.ts) until every named remote lane meets the
 * condition (the same predicates as the local `wait`, src/cli/verbs/wait.ts, applied to
 * the lane value each host publishes).
 *
 * Exit codes (the control table): 0 every lane met it · 1 timed out (the lanes not there
 * are named), the host went offline while waiting, or no connection · 2 bad usage (no
 * `<host>/<lane>`, unknown condition) or a lane its (online) host does not publish ·
 * 3 no runtime: the host is unknown to the fleet or offline when the wait starts.
 */
import { sanitizeText } from '../../state/sanitize.js';
import { systemClock } from '../../runtime/types.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { connectCli } from './connect-cli.js';
import { laneKey, parseTarget } from '../../runtime/fleet/keys.js';
import { hostOnline } from '../../runtime/fleet/liveness.js';
import { createFleetReader, type FleetState } from '../../runtime/fleet/reader.js';
import { CONDITIONS } from '../verbs/wait.js';
import type { LaneSnap } from '../verbs/lane-ops.js';
import { errorMessage } from '../../state/error-text.js';

/** One fleet wait. */
export interface FleetWaitRun {
  readonly targets: readonly string[];
  readonly condition: string;
  /** Give up after this long (ms); null waits forever. */
  readonly timeoutMs: number | null;
  readonly fleet: FleetSettings;
  /** Where messages go (default stderr). */
  readonly write?: (line: string) => void;
}

/** Run a fleet wait; resolves with the exit code (never rejects). */
export async function runFleetWait(run: FleetWaitRun): Promise<number> {
  const write = run.write ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const pred = CONDITIONS[run.condition];
  if (pred === undefined) {
    write(
      `laneboard: wait: --for must be one of ${Object.keys(CONDITIONS).join('|')} (got ${JSON.stringify(sanitizeText(run.condition, 40))})`,
    );
    return 2;
  }
  const targets = run.targets.map((t) => ({ text: t, parsed: parseTarget(t) }));
  const bad = targets.find((t) => t.parsed === null);
  if (targets.length === 0 || bad) {
    write(
      `laneboard: wait: name lanes as <host>/<lane> in fleet mode${bad ? `, got "${sanitizeText(bad.text, 200)}"` : ''}`,
    );
    return 2;
  }
  const conn = await connectCli(run.fleet, write);
  if (conn === null) return 1;
  let settle: (code: number) => void = () => undefined;
  const result = new Promise<number>((r) => (settle = r));
  let pending: string[] = targets.map((t) => t.text);
  const check = (s: FleetState, first: boolean): void => {
    const now = systemClock.now();
    const waiting: string[] = [];
    for (const t of targets) {
      const { host, laneId } = t.parsed as { host: string; laneId: string };
      const online = hostOnline(s.hosts.get(host), now);
      const lane = s.lanes.get(laneKey(host, laneId));
      if (!online) {
        write(
          first
            ? `laneboard: wait: no runtime is running for host ${sanitizeText(host, 64)} (unknown or offline)`
            : `laneboard: wait: host ${sanitizeText(host, 64)} went offline while waiting`,
        );
        return settle(first ? 3 : 1);
      }
      if (!lane || !lane.value) {
        write(`laneboard: wait: unknown lane ${sanitizeText(t.text, 200)}`);
        return settle(2);
      }
      if (!pred(lane.value as unknown as LaneSnap)) waiting.push(t.text);
    }
    pending = waiting;
    if (waiting.length === 0) settle(0);
  };
  const reader = createFleetReader({
    kv: conn.fleet,
    nc: conn.nc,
    clock: systemClock,
    ready: conn.ready,
    onChange: () => loaded && check(reader.state(), false),
  });
  let loaded = false;
  const timer =
    run.timeoutMs === null
      ? null
      : setTimeout(() => {
          write(
            `laneboard: timed out waiting for ${run.condition}: ${pending.map((p) => sanitizeText(p, 200)).join(', ')}`,
          );
          settle(1);
        }, run.timeoutMs);
  // Liveness moves with the clock alone: re-judge every second.
  const ticker = setInterval(() => loaded && check(reader.state(), false), 1_000);
  try {
    await reader.start();
    loaded = true;
    check(reader.state(), true);
    return await result;
  } catch (err) {
    write(`laneboard: wait: ${errorMessage(err)}`);
    return 1;
  } finally {
    if (timer) clearTimeout(timer);
    clearInterval(ticker);
    await reader.dispose();
    await conn.close();
  }
}
