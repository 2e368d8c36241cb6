/**
 * The control endpoint's protocol (docs/control.md has the route table with examples):
 * HTTP/1.1 + JSON over the Unix socket `<stateDir>/control.sock` (mode 0600, state dir
 * 0700). Every JSON response carries `"api": "laneboard.control/1"`; errors are
 * `{ api, error: { code, message } }` with a stable `code` from {@link ErrorCode}.
 * Adding routes or optional fields is a minor change; anything else is a new api version.
 */
import { join } from 'node:path';

/** Protocol id sent in every JSON response (and the `x-laneboard-api` header). */
export const API = 'laneboard.control/1';

/** File name of the socket inside the config's state dir. */
export const SOCKET_FILE = 'control.sock';

/** Path of the control socket for a state dir. */
export function socketPath(stateDir: string): string {
  return join(stateDir, SOCKET_FILE);
}

/**
 * Stable error codes and their HTTP statuses:
 * `unknown_lane` 404 (a lane id not in lanes.yaml), `not_found` 404 (no such route),
 * `method_not_allowed` 405, `bad_request` 400 (bad JSON body or parameter),
 * `starting` 503 (the runtime is still starting), `shutting_down` 503, `internal` 500.
 */
export type ErrorCode =
  | 'unknown_lane'
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_request'
  | 'starting'
  | 'shutting_down'
  | 'internal';

/** HTTP status of each {@link ErrorCode}. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  unknown_lane: 404,
  not_found: 404,
  method_not_allowed: 405,
  bad_request: 400,
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
