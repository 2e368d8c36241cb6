/**
 * The control endpoint's lane management routes (docs/control.md): what the board's `n`
 * and `D` keys do, run by the runtime — so a board attached to it runs no git and edits no
 * file itself (the runtime's {@link LaneAdmin}: the steps of `laneboard add` / `remove`).
 *
 * - `POST /v1/lanes` body `{ "id": "<new lane id>" }` → `{ api, line }` once the lane is
 *   in lanes.yaml, its branch and worktree exist and the runtime picked it up
 * - `GET /v1/lanes/<id>/loss` → `{ api, worktree, lost }`: what removing it would lose
 *   (`lost` a phrase such as "2 uncommitted changes", or null)
 * - `POST /v1/lanes/<id>/remove` → `{ api, line }` once the worker is stopped, the entry
 *   gone from lanes.yaml and the worktree removed (confirmed: uncommitted work is given up)
 *
 * Refusals and failures answer 409 `lane_admin_failed` with the reason; a runtime without
 * a lanes.yaml (discovered lanes) refuses every one of them the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../../state/error-text.js';
import type { LaneAdmin } from '../types.js';
import { fail, readObject, send } from './respond.js';

/** The lane operations of this module (after `/v1/lanes/<id>/`). */
export const ADMIN_OPS: readonly string[] = ['loss', 'remove'];

const NO_FILE = 'this runtime has no lanes.yaml to edit (run `laneboard init` first)';

/**
 * Answer `POST /v1/lanes` (add; `id` undefined) or `GET …/<id>/loss` / `POST
 * …/<id>/remove` with `admin` (undefined: refused). The method is checked here.
 */
export async function adminRoute(
  admin: LaneAdmin | undefined,
  id: string | undefined,
  op: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const want = op === 'loss' ? 'GET' : 'POST';
  if (method !== want) return fail(res, 'method_not_allowed', `use ${want}`);
  let newId: string | null = null;
  if (id === undefined) {
    const body = await readObject(req, res);
    if (body === null) return;
    if (typeof body.id !== 'string' || body.id.trim() === '')
      return fail(res, 'bad_request', 'add needs {"id": "<new lane id>"}');
    newId = body.id.trim();
  } else req.resume();
  if (admin === undefined) return fail(res, 'lane_admin_failed', NO_FILE);
  try {
    if (newId !== null) return send(res, 200, { line: await admin.add(newId) });
    if (id === undefined) return;
    if (op === 'loss') return send(res, 200, { ...(await admin.loss(id)) });
    return send(res, 200, { line: await admin.remove(id) });
  } catch (e) {
    return fail(res, 'lane_admin_failed', errorMessage(e));
  }
}
