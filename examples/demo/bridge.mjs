// Minimal bridge writer for demo workers, following the laneboard bridge contract v1:
// state.json / result.json written atomically (tmp + rename), events.jsonl appended one
// JSON object per line, inbox.jsonl read for steering messages.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Bridge dir from the supervisor's environment (LANEBOARD_BRIDGE_DIR). */
export const bridgeDir = process.env.LANEBOARD_BRIDGE_DIR ?? join(process.cwd(), '.bridge');
mkdirSync(bridgeDir, { recursive: true });

/** Write a JSON document atomically. */
export function writeDoc(name, value) {
  const file = join(bridgeDir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, file);
}

/** Append one lane event (claw-code LaneEvent shape). */
export function emit(event, fields = {}) {
  const line = JSON.stringify({ event, emittedAt: new Date().toISOString(), ...fields });
  appendFileSync(join(bridgeDir, 'events.jsonl'), line + '\n');
}

let inboxOffset = 0;
/** New steering messages from inbox.jsonl since the last call: [{id, time, text}]. */
export function readInbox() {
  const file = join(bridgeDir, 'inbox.jsonl');
  if (!existsSync(file)) return [];
  const buf = readFileSync(file);
  if (buf.length < inboxOffset) inboxOffset = 0;
  const chunk = buf.subarray(inboxOffset).toString('utf8');
  const end = chunk.lastIndexOf('\n');
  if (end < 0) return [];
  inboxOffset += Buffer.byteLength(chunk.slice(0, end + 1));
  return chunk
    .slice(0, end)
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

/** Skip messages already in the inbox when the worker starts (they were for an earlier run). */
export function skipOldInbox() {
  readInbox();
}
