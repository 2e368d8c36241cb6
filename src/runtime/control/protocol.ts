/**
 * The control endpoint's protocol (docs/control.md has the route table with examples):
 * HTTP/1.1 + JSON over the Unix socket `<stateDir>/control.sock` (mode 0600, state dir
 * 0700). Every JSON response carries `"api": "laneboard.control/1"`; errors are
 * `{ api, error: { code, message } }` with a stable `code` from {@link ErrorCode}.
 * Adding routes or optional fields is a minor change; anything else is a new api version.
 */
import { readlinkSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { KEYED_STATE_FILE } from '../../state/state-files.js';
import { keyedName } from '../config-key.js';

/** Protocol id sent in every JSON response (and the `x-laneboard-api` header). */
export const API = 'laneboard.control/1';

/**
 * Optional request header naming the lanes.yaml the client means: its absolute path,
 * `encodeURIComponent`-encoded. A runtime that runs another file answers 409
 * `wrong_config` before it acts (./routes.ts), so a verb can send its request without
 * asking `GET /v1/health` first (src/cli/verbs/link.ts `connectDirect`). Without the
 * header nothing is checked.
 */
export const CONFIG_HEADER = 'x-laneboard-config';

/**
 * Longest Unix socket path in bytes (`sun_path` holds 108 bytes on Linux, 104 on macOS,
 * including the terminating NUL; the runtime uses the Linux figure).
 */
export const MAX_SOCKET_PATH_BYTES = 107;

/**
 * Path of the control socket of config `configFile` in its state dir:
 * `<stateDir>/control.sock` for lanes.yaml, `<stateDir>/control.<name>.sock` for another
 * file name (../config-key.ts) — the socket itself, or, when that path is over
 * {@link MAX_SOCKET_PATH_BYTES}, a symlink to the socket in a short private directory
 * (./endpoint.ts `fallbackSocketPath`).
 */
export function socketPath(stateDir: string, configFile: string): string {
  return join(stateDir, keyedName(KEYED_STATE_FILE.control, configFile));
}

/**
 * The path a client connects to for config `configFile` with state dir `stateDir`:
 * {@link socketPath}, or for an over-long one the absolute target of the symlink the
 * runtime left there (the path itself when there is no such link: nothing runs then).
 * Never throws.
 */
export function connectPath(stateDir: string, configFile: string): string {
  const p = socketPath(stateDir, configFile);
  if (Buffer.byteLength(p) <= MAX_SOCKET_PATH_BYTES) return p;
  try {
    const target = readlinkSync(p);
    return isAbsolute(target) ? target : p;
  } catch {
    return p;
  }
}

/**
 * Stable error codes and their HTTP statuses:
 * `unknown_lane` 404 (a lane id not in lanes.yaml), `not_found` 404 (no such route),
 * `method_not_allowed` 405, `bad_request` 400 (bad JSON body or parameter),
 * `no_pending_request` 409 (approve/deny: no permission request waits for the board, or
 * another request id was named), `lane_admin_failed` 409 (adding or removing a lane was
 * refused or failed — the message says why and what, if anything, was done — or this
 * runtime has no lanes.yaml to edit), `wrong_config` 409 (the request's
 * {@link CONFIG_HEADER} names another lanes.yaml than the runtime runs; nothing was done),
 * `starting` 503 (the runtime is still starting), `shutting_down` 503, `internal` 500.
 */
export type ErrorCode =
  | 'unknown_lane'
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_request'
  | 'no_pending_request'
  | 'lane_admin_failed'
  | 'wrong_config'
  | 'starting'
  | 'shutting_down'
  | 'internal';

/** HTTP status of each {@link ErrorCode}. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  unknown_lane: 404,
  not_found: 404,
  method_not_allowed: 405,
  bad_request: 400,
  no_pending_request: 409,
  lane_admin_failed: 409,
  wrong_config: 409,
  starting: 503,
  shutting_down: 503,
  internal: 500,
};

/** Body of `GET /v1/health`: who serves this socket. */
export interface Health {
  readonly api: typeof API;
  /** Pid of the runtime process. */
  readonly pid: number;
  /** Absolute path of the lanes.yaml it runs. */
  readonly config: string;
  /** `serve` or `board`. */
  readonly kind: string;
  /** ISO-8601 start time. */
  readonly startedAt: string;
}

/** Longest lane operation body accepted (bytes): a steering message and a little JSON. */
export const MAX_BODY_BYTES = 256 * 1024;
