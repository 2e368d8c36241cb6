/**
 * `laneboard approve|deny <lane>`: one `POST /v1/lanes/<id>/approve|deny` to the running
 * runtime. Prints `allowed <request id> on <lane>: <request>` (or `denied …`), exit 0;
 * the endpoint's `no_pending_request` becomes exit 1 and `unknown_lane` exit 2 (through
 * {@link Connection.call}). Text from the agent is sanitized before it is printed.
 */
import { sanitizeText } from '../../state/sanitize.js';
import { EXIT } from '../commands/exit.js';
import type { Connection } from './link.js';

/** Run one decision on `laneId`; resolves with the exit code. */
export async function runDecision(
  conn: Connection,
  laneId: string,
  op: 'approve' | 'deny',
  opts: { readonly request?: string | undefined; readonly message?: string | undefined },
): Promise<number> {
  const body = {
    by: 'verb',
    ...(opts.request !== undefined ? { request: opts.request } : {}),
    ...(opts.message !== undefined ? { message: opts.message } : {}),
  };
  const r = await conn.call('POST', `/v1/lanes/${encodeURIComponent(laneId)}/${op}`, body);
  const a = (r.approval ?? {}) as { id?: unknown; detail?: unknown };
  const what = op === 'approve' ? 'allowed' : 'denied';
  process.stdout.write(
    `${what} ${sanitizeText(a.id, 40)} on ${sanitizeText(laneId, 80)}: ${sanitizeText(a.detail, 300)}\n`,
  );
  return EXIT.ok;
}
