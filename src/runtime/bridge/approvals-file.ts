/**
 * The decisions file of board approvals, `<bridge>/approvals.jsonl` (docs/agents.md
 * "Approvals"): the runtime appends one line per operator decision, the waiting
 * `laneboard hook` reads it. One line:
 *
 * ```json
 * {"id":"req-…","behavior":"allow","decidedAt":"2026-12-05T21:00:00.000Z","by":"board"}
 * {"id":"req-…","behavior":"deny","message":"not in this lane","decidedAt":"…","by":"verb"}
 * ```
 *
 * The file lives in the lane's bridge directory, so a decision outlives the board that
 * wrote it. Appends go through ./safe-write.ts (no symlinks followed, one all-or-nothing
 * write per line); reads are bounded and never follow a symlink. The first decision for
 * an id counts; later ones for the same id are ignored.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tailLines } from '../read-range.js';
import { appendLine } from './safe-write.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';

/** Bytes read from the end of the decisions file when looking for a decision. */
const DECISIONS_TAIL_BYTES = 256 * 1024;

/** Longest deny message kept (characters); longer ones are cut. */
export const MAX_DENY_MESSAGE = 2_000;

/** One operator decision on a pending request. */
export interface ApprovalDecision {
  /** The request id the PermissionRequest hook waits on. */
  readonly id: string;
  readonly behavior: 'allow' | 'deny';
  /** For a deny: what the agent is told (optional). */
  readonly message?: string;
  /** ISO-8601 time of the decision. */
  readonly decidedAt: string;
  /** Who decided: `board` (a key), `verb` (`laneboard approve|deny`), `api`. */
  readonly by: string;
}

/** The decision in a line of the decisions file, or null when the line is not one. */
function parseDecision(line: string): ApprovalDecision | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return null;
  if (r.behavior !== 'allow' && r.behavior !== 'deny') return null;
  const message =
    typeof r.message === 'string' && r.message !== ''
      ? r.message.slice(0, MAX_DENY_MESSAGE)
      : undefined;
  return {
    id: r.id,
    behavior: r.behavior,
    ...(message !== undefined ? { message } : {}),
    decidedAt: typeof r.decidedAt === 'string' ? r.decidedAt : '',
    by: typeof r.by === 'string' ? r.by : '',
  };
}

/** The first decision for request `id` in `<bridge>/approvals.jsonl`, or null. Never throws. */
export async function findDecision(bridge: string, id: string): Promise<ApprovalDecision | null> {
  const needle = JSON.stringify(id);
  for (const line of await tailLines(join(bridge, BRIDGE_FILE.approvals), DECISIONS_TAIL_BYTES)) {
    if (!line.includes(needle)) continue;
    const d = parseDecision(line);
    if (d?.id === id) return d;
  }
  return null;
}

/**
 * Append `decision` to `<bridge>/approvals.jsonl` (the bridge dir is created when
 * missing). Resolves with what was replaced at the name (a symlink or other trap), or
 * null. Throws the I/O error when the line cannot be written.
 */
export async function appendDecision(
  bridge: string,
  decision: ApprovalDecision,
): Promise<string | null> {
  await mkdir(bridge, { recursive: true });
  const r = await appendLine(join(bridge, BRIDGE_FILE.approvals), JSON.stringify(decision));
  return r.replaced;
}
