/**
 * Which steering messages in a lane's `inbox.jsonl` are still undelivered (for the Claude
 * Code `Stop` hook). Delivery state lives in the bridge, in `inbox.delivered.json`: the
 * identity (dev, inode) of the inbox file and the byte offset up to which every message
 * was delivered or found acknowledged. It is written atomically (temp file, rename) after
 * each delivery, so whether a message was sent never depends on how much was written to
 * the events files since (a `steer.acknowledged` event can scroll out of any tail).
 *
 * Pending = the messages after that offset whose id has no `steer.acknowledged` event in
 * the last 1 MiB of `events.jsonl` / `hook-events.jsonl` (acknowledgements a worker writes
 * itself). A missing or unreadable state file, or an inbox that was replaced or truncated
 * (other inode, or smaller than the offset), starts again at offset 0. Reads are bounded
 * (1 MiB of inbox after the offset per call) so a huge file never stalls the agent's hook.
 */
import { constants as fsc } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readRange, tailLines, type RangeStat } from '../runtime/read-range.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';
import { parseRecordLine } from '../state/dialects/util.js';

/** One inbox message (bridge contract: `{"id","time","text"}`). */
export interface InboxMessage {
  readonly id: string;
  readonly text: string;
  /** Byte offset in `inbox.jsonl` just after this message's line. */
  readonly end?: number;
}

const TAIL_BYTES = 1024 * 1024;

/** Where delivery stands: the inbox file's identity and the delivered prefix (bytes). */
interface DeliveryState {
  readonly dev: number;
  readonly ino: number;
  readonly offset: number;
}

async function readState(bridge: string): Promise<DeliveryState | null> {
  const r = await readRange(join(bridge, BRIDGE_FILE.inboxDelivered), { from: 0, max: TAIL_BYTES });
  const v = r ? parseRecordLine(r.bytes.toString('utf8')) : null;
  const n = (k: string): number | null =>
    typeof v?.[k] === 'number' && Number.isSafeInteger(v[k]) && v[k] >= 0 ? v[k] : null;
  const dev = n('dev');
  const ino = n('ino');
  const offset = n('offset');
  return dev === null || ino === null || offset === null ? null : { dev, ino, offset };
}

/**
 * Write the delivery state atomically (unique temp file created with O_EXCL|O_NOFOLLOW,
 * then rename over `inbox.delivered.json`). Never throws (a failed write only means the
 * hook re-checks the same messages against the events tail next time).
 */
async function writeState(bridge: string, state: DeliveryState): Promise<void> {
  const tmp = join(bridge, `${BRIDGE_FILE.inboxDelivered}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fh = await open(
      tmp,
      fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW | fsc.O_NONBLOCK,
      0o644,
    );
    try {
      await fh.writeFile(`${JSON.stringify({ schema: 'laneboard.inbox-delivery/1', ...state })}\n`);
    } finally {
      await fh.close();
    }
    await rename(tmp, join(bridge, BRIDGE_FILE.inboxDelivered));
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Ids acknowledged in the tails of the lane's events files. */
async function ackedIds(bridge: string): Promise<Set<string>> {
  const acked = new Set<string>();
  for (const f of [BRIDGE_FILE.events, BRIDGE_FILE.hookEvents]) {
    for (const line of await tailLines(join(bridge, f), TAIL_BYTES)) {
      if (!line.includes('steer.acknowledged')) continue;
      const ev = parseRecordLine(line);
      const data = ev?.data as Record<string, unknown> | undefined;
      if (ev?.event === 'steer.acknowledged' && typeof data?.id === 'string') acked.add(data.id);
    }
  }
  return acked;
}

/**
 * Undelivered inbox messages of the bridge dir, oldest first (module doc). Advances the
 * delivery state over a leading run of messages already acknowledged by events. Never
 * throws.
 */
export async function pendingSteering(bridge: string): Promise<InboxMessage[]> {
  const inbox = join(bridge, BRIDGE_FILE.inbox);
  const state = await readState(bridge);
  let same = false;
  let offset = 0;
  const from = (st: RangeStat): number => {
    same = state !== null && state.dev === st.dev && state.ino === st.ino;
    offset = same && state !== null && state.offset <= st.size ? state.offset : 0;
    return offset;
  };
  const r = await readRange(inbox, { from, max: TAIL_BYTES });
  if (r === null) return [];
  const acked = await ackedIds(bridge);
  const out: InboxMessage[] = [];
  let pos = r.start;
  let skipTo = offset;
  const body = r.bytes.toString('latin1');
  let at = 0;
  for (;;) {
    const nl = body.indexOf('\n', at);
    if (nl < 0) break; // a partial last line is not a message yet
    const raw = Buffer.from(body.slice(at, nl), 'latin1').toString('utf8');
    pos = r.start + nl + 1;
    at = nl + 1;
    const m = parseRecordLine(raw);
    const valid = m !== null && typeof m.id === 'string' && typeof m.text === 'string';
    if (valid && !acked.has(m.id as string)) {
      out.push({ id: m.id as string, text: m.text as string, end: pos });
    } else if (out.length === 0) {
      skipTo = pos;
    }
  }
  if (skipTo !== offset || (!same && state !== null)) {
    await writeState(bridge, { dev: r.dev, ino: r.ino, offset: skipTo });
  }
  return out;
}

/**
 * Record that `messages` (from {@link pendingSteering}, in order) were delivered: the
 * delivery offset moves past the last of them. Call after the acknowledgements are
 * written. Never throws.
 */
export async function recordDelivered(
  bridge: string,
  messages: readonly InboxMessage[],
): Promise<void> {
  const end = messages.reduce((m, x) => Math.max(m, x.end ?? 0), 0);
  if (end === 0) return;
  const probe = await readRange(join(bridge, BRIDGE_FILE.inbox), { tail: 0 });
  if (probe === null) return;
  const state = await readState(bridge);
  const sameFile = state !== null && state.dev === probe.dev && state.ino === probe.ino;
  if (sameFile && state.offset >= end) return;
  await writeState(bridge, { dev: probe.dev, ino: probe.ino, offset: end });
}
