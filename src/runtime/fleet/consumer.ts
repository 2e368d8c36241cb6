/**
 * Host side, commands: consumes the commands addressed to this host
 * (`cmd.<host>.*` in the commands bucket) and executes them through the runtime's
 * {@link Controls}, recording the receipt before execution (protocol in
 * src/runtime/fleet/commands.ts). Malformed commands and unknown lanes get a `failed`
 * receipt; nothing a sender writes can crash the host.
 */
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { sanitizeText } from '../../state/sanitize.js';
import type { Controls } from '../types.js';
import { parseCommand } from './commands.js';
import type { FleetCommand, Receipt } from './commands.js';
import { commandFilter, decodeToken, receiptKey } from './keys.js';
import { watchResilient } from './watch.js';
import type { ResilientWatch } from './watch.js';
import { errorMessage } from '../../state/error-text.js';

/** Options of {@link createCommandConsumer}. */
export interface CommandConsumerOptions {
  readonly kv: KV;
  readonly nc: NatsConnection;
  readonly host: string;
  readonly controls: Controls;
  /** Resolves when the connection is up; claims wait for it. */
  readonly ready?: () => Promise<void>;
  /** True when `laneId` is one of this host's lanes. */
  readonly hasLane: (laneId: string) => boolean;
  /** Told once per executed (or refused) command, after its final receipt was written. */
  readonly onCommand?: (cmd: FleetCommand, receipt: Receipt) => void;
  /**
   * Awaited after a command ran and before its final receipt is written: the host
   * publishes the lane here, so a sender that sees `done` finds the result (a restart's new
   * pid) already in the fleet bucket. Errors are ignored.
   */
  readonly beforeReceipt?: (cmd: FleetCommand) => Promise<void>;
  /**
   * Called when a claimed command starts to run; the function it returns is called once
   * its final receipt is written (the host holds back its lanes copy meanwhile).
   */
  readonly busy?: () => () => void;
  readonly onError?: (err: unknown) => void;
}

/** A running consumer. */
export interface CommandConsumer {
  start(): Promise<void>;
  dispose(): Promise<void>;
}

const errText = (e: unknown): string => sanitizeText(e instanceof Error ? e.message : e, 300);

/** True when a KV create failed because the key exists (wrong last sequence). */
function exists(err: unknown): boolean {
  const m = errorMessage(err);
  return /wrong last sequence|key exists/i.test(m);
}

/** Create a consumer (nothing happens until `start()`). */
export function createCommandConsumer(opts: CommandConsumerOptions): CommandConsumer {
  const { kv, host, controls } = opts;
  const handled = new Set<string>();
  let watch: ResilientWatch | null = null;
  let disposed = false;
  let chain: Promise<void> = Promise.resolve();

  /** Create the receipt; true when this host now owns the command, false when it was handled. */
  const claim = async (id: string): Promise<boolean> => {
    const value = JSON.stringify({ id, state: 'delivered' } satisfies Receipt);
    // Retry while the server is away: the command stays in the bucket, the claim is what matters.
    for (let attempt = 0; !disposed; attempt++) {
      try {
        await opts.ready?.();
        await kv.create(receiptKey(host, id), value);
        return true;
      } catch (err) {
        if (exists(err)) return false;
        if (attempt === 0) opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return false;
  };

  const finish = async (id: string, receipt: Receipt): Promise<void> => {
    for (let attempt = 0; attempt < 40 && !disposed; attempt++) {
      try {
        await kv.put(receiptKey(host, id), JSON.stringify(receipt));
        return;
      } catch (err) {
        if (attempt === 0) opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };

  const execute = async (cmd: FleetCommand): Promise<Receipt> => {
    if (!opts.hasLane(cmd.laneId)) {
      return { id: cmd.id, state: 'failed', error: `no lane ${sanitizeText(cmd.laneId, 64)}` };
    }
    try {
      switch (cmd.verb) {
        case 'restart':
        case 'stop':
        case 'start':
          await controls[cmd.verb](cmd.laneId);
          return { id: cmd.id, state: 'done' };
        case 'clear':
          controls.clearBlockers(cmd.laneId);
          return { id: cmd.id, state: 'done' };
        case 'steer': {
          const m = await controls.steer(cmd.laneId, cmd.text ?? '');
          const steer = { id: m.id, state: m.state, error: m.error ?? null };
          return m.state === 'failed'
            ? { id: cmd.id, state: 'failed', error: m.error ?? 'steer failed', steer }
            : { id: cmd.id, state: 'done', steer };
        }
      }
    } catch (err) {
      return { id: cmd.id, state: 'failed', error: errText(err) };
    }
  };

  const handle = async (key: string, text: string): Promise<void> => {
    const id = decodeToken(key.slice(key.lastIndexOf('.') + 1));
    if (id === null || handled.has(id)) return;
    handled.add(id);
    const cmd = parseCommand(text);
    if (!cmd || cmd.host !== host || cmd.id !== id) {
      // Not a command we can read: refuse it visibly (once) rather than drop it.
      if (await claim(id)) {
        const receipt: Receipt = { id, state: 'failed', error: 'malformed command' };
        await finish(id, receipt);
      }
      return;
    }
    if (!(await claim(cmd.id))) return;
    const done = opts.busy?.();
    try {
      const receipt = await execute(cmd);
      await opts.beforeReceipt?.(cmd).catch(() => undefined);
      await finish(cmd.id, receipt);
      opts.onCommand?.(cmd, receipt);
    } finally {
      done?.();
    }
  };

  return {
    start: async () => {
      watch = watchResilient({
        kv,
        nc: opts.nc,
        key: commandFilter(host),
        ready: opts.ready,
        onError: opts.onError,
        onEntry: (e) => {
          if (e.operation !== 'PUT') return;
          const text = e.string();
          // One command at a time, in arrival order.
          chain = chain
            .then(() => handle(e.key, text))
            .catch((err: unknown) => opts.onError?.(err));
        },
      });
      await watch.ready;
    },
    dispose: async () => {
      disposed = true;
      await watch?.stop();
      // Bounded: a claim may be waiting for a connection that is not coming back.
      await Promise.race([chain, new Promise((r) => setTimeout(r, 1_000).unref())]);
    },
  };
}
