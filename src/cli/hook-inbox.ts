/**
 * Which steering messages in a lane's `inbox.jsonl` are still undelivered: those whose
 * id has no `steer.acknowledged` event in the lane's events files. Reads are bounded
 * (the last 1 MiB of each file) so a huge file never stalls the agent's hook.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** One inbox message (bridge contract: `{"id","time","text"}`). */
export interface InboxMessage {
  readonly id: string;
  readonly text: string;
}

const TAIL_BYTES = 1024 * 1024;

async function tailLines(file: string): Promise<string[]> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift();
    return lines.filter((l) => l.trim() !== '');
  } finally {
    await fh.close();
  }
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Undelivered inbox messages of the bridge dir, oldest first. Never throws. */
export async function pendingSteering(bridge: string): Promise<InboxMessage[]> {
  const acked = new Set<string>();
  for (const f of ['events.jsonl', 'hook-events.jsonl']) {
    for (const line of await tailLines(join(bridge, f))) {
      const ev = parse(line);
      const data = ev?.data as Record<string, unknown> | undefined;
      if (ev?.event === 'steer.acknowledged' && typeof data?.id === 'string') acked.add(data.id);
    }
  }
  const out: InboxMessage[] = [];
  for (const line of await tailLines(join(bridge, 'inbox.jsonl'))) {
    const m = parse(line);
    if (m && typeof m.id === 'string' && typeof m.text === 'string' && !acked.has(m.id)) {
      out.push({ id: m.id, text: m.text });
    }
  }
  return out;
}
