/**
 * The control endpoint's request handler over a {@link Runtime} (routes and examples in
 * docs/control.md). Paths may omit the `/v1` prefix (`/lanes` = `/v1/lanes`).
 *
 * - `GET /v1/health` → {@link Health}
 * - `GET /v1/snapshot` → the `laneboard.snapshot/1` object with `"origin": "runtime"`
 * - `GET /v1/lanes` → `{ api, lanes: [lane snapshot…] }`; `GET /v1/lanes/<id>` → `{ api, lane }`
 * - `GET /v1/events` → NDJSON: a snapshot line at once, then on every change (≥ 250 ms
 *   apart) and at least every 5 s
 * - `GET /v1/state` → NDJSON for an attached board: `{type:"state",state}` (the whole
 *   store state) then `{type:"actions",actions}` per applied batch (replayed by the reducer)
 * - `POST /v1/lanes/<id>/start|stop|restart|clear` → `{ api, lane }` once done (restart:
 *   once the new pid is recorded)
 * - `POST /v1/lanes/<id>/steer` body `{ "text": "…" }` → `{ api, message }`
 * - `POST /v1/lanes/<id>/mute` body `{ "muted": true|false }` (default true) → `{ api,
 *   muted }`: the lane's notifications (the `m` key; the state is in the store, so every
 *   attached board sees it)
 * - `POST /v1/lanes/<id>/approve` body `{ "request"?: "<id>" }`, `POST /v1/lanes/<id>/deny`
 *   body `{ "message"?: "…", "request"?: "<id>" }` → `{ api, approval: { id, behavior,
 *   detail } }` once the decision is in the lane's bridge (../approvals.ts); 409
 *   `no_pending_request` when no permission request waits for the board
 * - `GET /v1/lanes/<id>/log?tail=<bytes>` or `?from=<byte offset>` → `{ api, text, size, next,
 *   restarted }` (the worker log; `next` is the offset to ask for next)
 * - `POST /v1/lanes` (add), `GET /v1/lanes/<id>/loss`, `POST /v1/lanes/<id>/remove`: lane
 *   management, ./admin-routes.ts
 *
 * Every route but health first checks the optional `x-laneboard-config` header
 * (./protocol.ts `CONFIG_HEADER`): naming another lanes.yaml ⇒ 409 `wrong_config`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { laneSnapshot, selectSnapshot } from '../../state/snapshot.js';
import { selectLaneView } from '../../state/selectors.js';
import type { Runtime } from '../create-runtime.js';
import { readLogFrom, readLogTail, workerLogPath } from '../log-tail.js';
import { API, CONFIG_HEADER, type Health } from './protocol.js';
import { fail, readBody, send } from './respond.js';
import { ADMIN_OPS, adminRoute } from './admin-routes.js';
import type { LaneAdmin } from '../types.js';
import { errorMessage } from '../../state/error-text.js';

const EVENTS_MIN_MS = 250;
const EVENTS_HEARTBEAT_MS = 5_000;
const OPS = ['start', 'stop', 'restart', 'clear', 'steer', 'mute', 'approve', 'deny'] as const;
type Op = (typeof OPS)[number];

/** A header value decoded with `decodeURIComponent`; null when it is not valid. */
function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** The handler and its lifecycle switches. */
export interface ControlHandler {
  readonly listener: RequestListener;
  /** Serve `runtime` (until then every route but health answers 503 `starting`). */
  attach(runtime: Runtime): void;
  /** From now on lane operations answer 503 `shutting_down`; streams are ended. */
  shutdown(): void;
}

/** Options of {@link createControlHandler}. */
export interface ControlHandlerOptions {
  /**
   * The runtime's lane management (`laneboard add` / `remove` steps on its lanes.yaml),
   * asked at each request; undefined (or absent) refuses the lane management routes
   * (./admin-routes.ts).
   */
  readonly admin?: () => LaneAdmin | undefined;
}

/** Create the handler; `health` describes this runtime process. */
export function createControlHandler(
  health: Omit<Health, 'api'>,
  opts: ControlHandlerOptions = {},
): ControlHandler {
  let runtime: Runtime | null = null;
  let closing = false;
  const streams = new Set<ServerResponse>();

  const snapshot = (rt: Runtime): Record<string, unknown> => {
    rt.dispatch({ type: 'clock/tick', at: rt.clock.now() });
    rt.flush();
    return { ...selectSnapshot(rt.store.getState()), origin: 'runtime' };
  };
  const lane = (rt: Runtime, id: string): Record<string, unknown> => {
    rt.flush();
    return laneSnapshot(selectLaneView(rt.store.getState(), id));
  };

  const openStream = (res: ServerResponse): ((line: unknown) => void) => {
    res.writeHead(200, {
      'content-type': 'application/x-ndjson',
      'cache-control': 'no-store',
      'x-laneboard-api': API,
    });
    streams.add(res);
    res.on('close', () => streams.delete(res));
    return (line) => {
      if (!res.destroyed) res.write(`${JSON.stringify(line)}\n`);
    };
  };

  const events = (rt: Runtime, res: ServerResponse): void => {
    const write = openStream(res);
    let dirty = false;
    let last = rt.clock.now();
    write(snapshot(rt));
    const unsubscribe = rt.store.subscribe(() => (dirty = true));
    const timer = setInterval(() => {
      const now = rt.clock.now();
      if ((dirty && now - last >= EVENTS_MIN_MS) || now - last >= EVENTS_HEARTBEAT_MS) {
        dirty = false;
        last = now;
        write(snapshot(rt));
      }
    }, EVENTS_MIN_MS);
    res.on('close', () => {
      clearInterval(timer);
      unsubscribe();
    });
  };

  const state = (rt: Runtime, res: ServerResponse): void => {
    const write = openStream(res);
    rt.flush();
    write({ type: 'state', state: rt.store.getState() });
    const off = rt.onActions((actions) => write({ type: 'actions', actions }));
    res.on('close', off);
  };

  const decide = async (
    rt: Runtime,
    id: string,
    op: 'approve' | 'deny',
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (e) {
      return fail(res, 'bad_request', `body must be JSON: ${(e as Error).message}`);
    }
    const b = (body ?? {}) as { message?: unknown; request?: unknown; by?: unknown };
    if (b.message !== undefined && typeof b.message !== 'string')
      return fail(res, 'bad_request', 'message must be a string');
    if (b.request !== undefined && typeof b.request !== 'string')
      return fail(res, 'bad_request', 'request must be a request id string');
    const approve = rt.controls.approve;
    if (approve === undefined)
      return fail(res, 'no_pending_request', 'this runtime does not answer approvals');
    const behavior = op === 'approve' ? 'allow' : 'deny';
    const r = await approve(id, {
      behavior,
      ...(typeof b.message === 'string' ? { message: b.message } : {}),
      ...(typeof b.request === 'string' ? { requestId: b.request } : {}),
      by: typeof b.by === 'string' && /^[a-z]{1,20}$/.test(b.by) ? b.by : 'api',
    });
    if (!r.ok) return fail(res, 'no_pending_request', r.reason);
    return send(res, 200, { approval: { id: r.id, behavior, detail: r.detail } });
  };

  const operate = async (
    rt: Runtime,
    id: string,
    op: Op,
    req: IncomingMessage,
    res: ServerResponse,
  ) => {
    if (op === 'steer') {
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        return fail(res, 'bad_request', `body must be JSON: ${(e as Error).message}`);
      }
      const text = (body as { text?: unknown } | null)?.text;
      if (typeof text !== 'string' || text.trim() === '')
        return fail(res, 'bad_request', 'steer needs {"text": "<non-empty message>"}');
      const m = await rt.controls.steer(id, text);
      return send(res, 200, { message: m });
    }
    if (op === 'approve' || op === 'deny') return decide(rt, id, op, req, res);
    if (op === 'mute') {
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        return fail(res, 'bad_request', `body must be JSON: ${(e as Error).message}`);
      }
      const muted = (body as { muted?: unknown } | null)?.muted ?? true;
      if (typeof muted !== 'boolean')
        return fail(res, 'bad_request', 'mute takes {"muted": true} or {"muted": false}');
      rt.dispatch({ type: 'lane/mute', laneId: id, muted, at: rt.clock.now() });
      return send(res, 200, { muted });
    }
    req.resume();
    if (op === 'clear') rt.controls.clearBlockers(id);
    else await rt.controls[op](id);
    send(res, 200, { lane: lane(rt, id) });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://laneboard');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (parts[0] === 'v1') parts.shift();
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    if (parts.length === 1 && parts[0] === 'health') {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      return send(res, 200, { ...health });
    }
    const meant = req.headers[CONFIG_HEADER];
    if (typeof meant === 'string' && decoded(meant) !== health.config)
      return fail(res, 'wrong_config', `this runtime runs ${health.config}`);
    const rt = runtime;
    if (rt === null) return fail(res, 'starting', 'the runtime is starting; try again');
    const known = new Set(rt.config.lanes.map((l) => l.id));
    const [head, id, op, ...rest] = parts;
    if (rest.length > 0) return fail(res, 'not_found', `no route ${url.pathname}`);
    if (head === 'snapshot' && id === undefined) {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      return send(res, 200, snapshot(rt));
    }
    if ((head === 'events' || head === 'state') && id === undefined) {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      if (closing) return fail(res, 'shutting_down', 'the runtime is stopping');
      return head === 'events' ? events(rt, res) : state(rt, res);
    }
    if (head !== 'lanes') return fail(res, 'not_found', `no route ${url.pathname}`);
    const isAdmin = id === undefined ? method === 'POST' : ADMIN_OPS.includes(op ?? '');
    if (isAdmin && closing) return fail(res, 'shutting_down', 'the runtime is stopping');
    if (isAdmin && id === undefined) return adminRoute(opts.admin?.(), id, op, req, res);
    if (id === undefined) {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      const snap = snapshot(rt);
      return send(res, 200, { lanes: snap.lanes });
    }
    if (!known.has(id)) return fail(res, 'unknown_lane', `unknown lane ${JSON.stringify(id)}`);
    if (op === undefined) {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      return send(res, 200, { lane: lane(rt, id) });
    }
    if (isAdmin) return adminRoute(opts.admin?.(), id, op, req, res);
    if (op === 'log') {
      if (!get) return fail(res, 'method_not_allowed', 'use GET');
      const bridge = rt.config.lanes.find((l) => l.id === id)?.bridge ?? '';
      const file = workerLogPath(bridge);
      const tail = url.searchParams.get('tail');
      if (tail !== null) {
        const n = Number(tail);
        if (!Number.isInteger(n) || n < 0)
          return fail(res, 'bad_request', 'tail must be bytes ≥ 0');
        const r = await readLogTail(file, n);
        return send(res, 200, { text: r.text, size: r.size, next: r.size, restarted: false });
      }
      const from = Number(url.searchParams.get('from') ?? '0');
      if (!Number.isInteger(from) || from < 0)
        return fail(res, 'bad_request', 'from must be a byte offset ≥ 0');
      return send(res, 200, { ...(await readLogFrom(file, from)) });
    }
    if (!(OPS as readonly string[]).includes(op))
      return fail(res, 'not_found', `no route ${url.pathname}`);
    if (method !== 'POST') return fail(res, 'method_not_allowed', 'use POST');
    if (closing) return fail(res, 'shutting_down', 'the runtime is stopping');
    return operate(rt, id, op as Op, req, res);
  };

  return {
    listener: (req, res) => {
      route(req, res).catch((err: unknown) => {
        if (!res.headersSent) fail(res, 'internal', errorMessage(err));
        else res.destroy();
      });
    },
    attach: (rt) => {
      runtime = rt;
    },
    shutdown: () => {
      closing = true;
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
