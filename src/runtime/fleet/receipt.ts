/**
 * Receipt values (`rcpt.<host>.<id>` in the commands bucket; protocol in ./commands.ts),
 * parsed without a schema library so the lean fleet verb (./verb-wire.ts) stays small;
 * and the command value a sender writes (`cmd.<host>.<id>`), built the same way by both
 * senders (./sender.ts, ./verb-wire.ts).
 * A receipt is written by the host that claimed the command (or by a sender expiring it)
 * and read back by senders: untrusted text, validated field by field.
 */

/** Receipt states: `delivered` (recorded, executing), `done`, `failed`, `expired` (sender gave up first). */
const RECEIPT_STATES = ['delivered', 'done', 'failed', 'expired'] as const;

/** A receipt value. */
export interface Receipt {
  readonly id: string;
  readonly state: (typeof RECEIPT_STATES)[number];
  /** Failure text (sanitized by the host), when `failed`. */
  readonly error?: string | null;
  /** Steering delivery recorded by the host's supervisor, for `steer`. */
  readonly steer?: { id: string; state: string; error?: string | null } | null;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || v === null || isStr(v);

/** Parse JSON text into a receipt; null when it is not one. */
export function parseReceipt(text: string): Receipt | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (!isStr(o.id) || !(RECEIPT_STATES as readonly unknown[]).includes(o.state)) return null;
  if (!optStr(o.error)) return null;
  const s = o.steer as Record<string, unknown> | null | undefined;
  if (s !== undefined && s !== null) {
    if (typeof s !== 'object' || !isStr(s.id) || !isStr(s.state) || !optStr(s.error)) return null;
  }
  return o as unknown as Receipt;
}

/** What a sender puts in a command (the fields of `FleetCommand` in ./commands.ts). */
export interface CommandFields {
  readonly host: string;
  readonly laneId: string;
  readonly verb: 'restart' | 'stop' | 'start' | 'clear' | 'steer';
  readonly text?: string;
  readonly by?: string;
}

/** The value of `cmd.<host>.<id>` for command `id` (optional fields only when given). */
export function commandValue(id: string, o: CommandFields): CommandFields & { id: string } {
  return {
    id,
    host: o.host,
    laneId: o.laneId,
    verb: o.verb,
    ...(o.text !== undefined ? { text: o.text } : {}),
    ...(o.by !== undefined ? { by: o.by } : {}),
  };
}
