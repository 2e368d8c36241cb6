/**
 * Fleet commands and receipts: the values of `cmd.<host>.<id>` and `rcpt.<host>.<id>`
 * in the commands bucket (src/runtime/fleet/keys.ts), with zod schemas, because a
 * command is untrusted input to the host that executes it.
 *
 * Life of a command: a board or verb creates `cmd` (create fails if the id exists: ids
 * are unique); the host creates `rcpt` with state `delivered` *before* executing (create
 * fails if a receipt exists, so a command is executed at most once, across reconnects and
 * host restarts); after executing, the host overwrites it with `done` or `failed`. A sender
 * that gives up creates `rcpt` with `expired` itself: if that succeeds the host never
 * executes the command; if it fails, the host got there first.
 */
import { z } from 'zod';

/** What a command asks a lane to do (the board's keys and the CLI verbs). */
export const FLEET_VERBS = ['restart', 'stop', 'start', 'clear', 'steer'] as const;
/** One of {@link FLEET_VERBS}. */
export type FleetVerb = (typeof FLEET_VERBS)[number];

/** Longest steering text carried by a command (characters). */
const MAX_STEER_CHARS = 4_000;

/** Schema of a command value. */
export const fleetCommandSchema = z.object({
  id: z.string().min(1).max(64),
  host: z.string().min(1).max(256),
  laneId: z.string().min(1).max(64),
  verb: z.enum(FLEET_VERBS),
  text: z.string().max(MAX_STEER_CHARS).optional(),
  /** Who sent it (`laneboard/<host>` of the sender); informational. */
  by: z.string().max(256).optional(),
});
/** A command value. */
export type FleetCommand = z.infer<typeof fleetCommandSchema>;

export { parseReceipt, type Receipt } from './receipt.js';

/** Parse JSON text into a command; null when it is not one. */
export function parseCommand(text: string): FleetCommand | null {
  try {
    const r = fleetCommandSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
