/**
 * The fleet board's runtime side (`laneboard --nats URL`, docs/fleet.md): follows the
 * fleet bucket with the reader (src/runtime/fleet/reader.ts) and folds every remote lane
 * into the board's store (`fleet/lanes`, src/state/fleet-lanes.ts), and gives the UI one
 * {@link Controls} that sends commands to remote lanes through the commands bucket
 * (src/runtime/fleet/sender.ts) and hands local lanes to the local runtime.
 *
 * Updates reach the store at most every 50 ms (bursts coalesce); host liveness is
 * re-judged every second by the board's clock, and a host going offline or coming back
 * is also a board notice. Lanes of an offline host stay, greyed, with their last state.
 */
import type { Controls, Clock, Dispatch } from '../types.js';
import type { RemoteLaneInput } from '../../state/fleet-lanes.js';
import type { SteerMessage } from '../../state/types.js';
import { sanitizeText } from '../../state/sanitize.js';
import type { FleetConnection } from './connect.js';
import type { FleetVerb } from './commands.js';
import { hostOnline } from './liveness.js';
import { createFleetReader, type FleetReader, type FleetState } from './reader.js';
import { sendCommand, type SendOutcome } from './sender.js';

/** Coalescing window of store updates (ms). */
const PUSH_MS = 50;
/** How often host liveness is re-judged (ms). */
const LIVENESS_MS = 1_000;

/** Options of {@link createFleetBoardFeed}. */
export interface FleetBoardFeedOptions {
  readonly conn: Pick<FleetConnection, 'fleet' | 'cmds' | 'nc' | 'ready'>;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /**
   * This host's name when its lanes are on the board from the local runtime: the bucket's
   * copies of them are then left out (never shown twice).
   */
  readonly localHost?: string;
  /** Sender name recorded in commands (`laneboard-board/<host>`). */
  readonly by: string;
  /** How long a command may wait for its host to claim it (ms). @default 10000 */
  readonly deliverTimeoutMs?: number;
}

/** A running feed. */
export interface FleetBoardFeed {
  /** Resolves once the bucket's current values are in the store. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Which remote lane a board id names, or null for a local lane (or none). */
export type RemoteOf = (id: string) => { readonly host: string; readonly laneId: string } | null;

/** The reader's state as `fleet/lanes` input at reader time `now` (epoch ms). */
function remoteInputs(s: FleetState, now: number, localHost?: string): RemoteLaneInput[] {
  const out: RemoteLaneInput[] = [];
  for (const r of s.lanes.values()) {
    if (r.host === localHost) continue;
    out.push({
      host: r.host,
      laneId: r.laneId,
      revision: r.revision,
      online: hostOnline(s.hosts.get(r.host), now),
      arrivedAt: r.arrivedAt,
      value: r.value,
      problem: r.problem,
    });
  }
  return out;
}

/** Create the feed (nothing happens until `start()`). */
export function createFleetBoardFeed(opts: FleetBoardFeedOptions): FleetBoardFeed {
  const { clock, dispatch } = opts;
  let timer: NodeJS.Timeout | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let disposed = false;
  const online = new Map<string, boolean>();
  const push = (): void => {
    timer = null;
    if (disposed) return;
    const now = clock.now();
    const state = reader.state();
    for (const [host, seen] of state.hosts) {
      if (host === opts.localHost) continue;
      const on = hostOnline(seen, now);
      const was = online.get(host);
      online.set(host, on);
      if (was === undefined || was === on) continue;
      const name = sanitizeText(host, 64);
      dispatch({
        type: 'board/notice',
        message: on
          ? `host ${name} is back online`
          : `host ${name} went offline (last heard ${new Date(seen.serverAt).toISOString()}): its lanes show their last state`,
        at: now,
      });
    }
    dispatch({ type: 'fleet/lanes', lanes: remoteInputs(state, now, opts.localHost), at: now });
  };
  const schedule = (): void => {
    if (timer === null && !disposed) timer = setTimeout(push, PUSH_MS);
  };
  const reader: FleetReader = createFleetReader({
    kv: opts.conn.fleet,
    nc: opts.conn.nc,
    clock,
    ready: opts.conn.ready,
    onChange: schedule,
    onError: (err) =>
      dispatch({
        type: 'board/notice',
        message: `fleet: ${sanitizeText(err instanceof Error ? err.message : err, 200)}`,
        at: clock.now(),
      }),
  });
  return {
    start: async () => {
      await reader.start();
      push();
      ticker = setInterval(push, LIVENESS_MS);
      ticker.unref();
    },
    dispose: async () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      await reader.dispose();
    },
  };
}

/** Options of {@link fleetControls}. */
export interface FleetControlsOptions {
  readonly conn: Pick<FleetConnection, 'cmds' | 'ready'>;
  /** The local runtime's controls (its lanes), or null when the board has none. */
  readonly local: Controls | null;
  readonly remoteOf: RemoteOf;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Sender name recorded in commands. */
  readonly by: string;
  /** @default 10000 (ms) */
  readonly deliverTimeoutMs?: number;
}

/** The outcome of a remote command in words, for the status line and notices. */
function outcomeText(o: SendOutcome): string {
  switch (o.state) {
    case 'done':
      return 'done';
    case 'failed':
      return `failed on the host: ${sanitizeText(o.receipt.error ?? 'failed', 200)}`;
    case 'delivered':
      return 'delivered, no result yet';
    case 'not_delivered':
      return `not delivered (${sanitizeText(o.reason, 100)}; expired, it will never run late)`;
  }
}

/**
 * The board's Controls on the fleet: a remote lane's start/stop/restart resolve once its
 * host recorded `done` and reject with the outcome in words otherwise (failed, delivered
 * but no result yet, not delivered); steer resolves with a message whose id is the one
 * the host recorded, so its delivery is followed in the lane's published steering list;
 * clear reports a failure as a board notice. Local lanes go to `local`.
 */
export function fleetControls(opts: FleetControlsOptions): Controls {
  const { local, remoteOf, clock } = opts;
  const notice = (message: string): void =>
    opts.dispatch({ type: 'board/notice', message, at: clock.now() });
  const send = (
    target: { host: string; laneId: string },
    verb: FleetVerb,
    text?: string,
  ): Promise<SendOutcome> =>
    sendCommand(opts.conn, {
      host: target.host,
      laneId: target.laneId,
      verb,
      ...(text !== undefined ? { text } : {}),
      by: opts.by,
      deliverTimeoutMs: opts.deliverTimeoutMs ?? 10_000,
    });
  const op =
    (verb: 'start' | 'stop' | 'restart') =>
    async (id: string): Promise<void> => {
      const target = remoteOf(id);
      if (target === null) {
        if (local === null) throw new Error(`unknown lane ${id}`);
        return local[verb](id);
      }
      const out = await send(target, verb);
      if (out.state !== 'done') throw new Error(outcomeText(out));
    };
  return {
    start: op('start'),
    stop: op('stop'),
    restart: op('restart'),
    steer: async (id, text): Promise<SteerMessage> => {
      const target = remoteOf(id);
      if (target === null) {
        if (local === null) throw new Error(`unknown lane ${id}`);
        return local.steer(id, text);
      }
      const sentAt = clock.now();
      const out = await send(target, 'steer', text).catch((err: unknown) => err as Error);
      const base = { text, sentAt, via: 'inbox' as const, ackAt: null };
      if (out instanceof Error || out.state !== 'done') {
        const error = out instanceof Error ? sanitizeText(out.message, 200) : outcomeText(out);
        const id2 = out instanceof Error ? `fleet-${sentAt}` : out.id;
        return { ...base, id: id2, state: 'failed', error };
      }
      const s = out.receipt.steer;
      return {
        ...base,
        id: s?.id ?? out.id,
        state: s?.state === 'delivered' ? 'delivered' : 'pending',
        error: null,
      };
    },
    clearBlockers: (id) => {
      const target = remoteOf(id);
      if (target === null) return local?.clearBlockers(id);
      void send(target, 'clear').then(
        (out) => {
          if (out.state !== 'done') notice(`clear ${id}: ${outcomeText(out)}`);
        },
        (err: unknown) =>
          notice(`clear ${id}: ${sanitizeText(err instanceof Error ? err.message : err, 200)}`),
      );
    },
    // Quitting the fleet board stops only this machine's workers.
    runningCount: () => local?.runningCount() ?? 0,
    setMuted: (id, muted) => {
      if (remoteOf(id) === null) return local?.setMuted?.(id, muted);
      opts.dispatch({ type: 'lane/mute', laneId: id, muted, at: clock.now() });
    },
  };
}
