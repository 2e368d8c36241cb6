/**
 * The lean half of a verb's connection to its runtime (no YAML parser, no schema, no
 * git): the lookup of the runtime on the socket beside a lanes.yaml file, a
 * {@link Connection} to a runtime already found (or, for the lane operations, one that
 * sends its first request without asking who serves the socket: {@link connectDirect}),
 * and lane selection — ids, globs (`'fix-*'`, `?` one character) or `--all` — against the
 * runtime's lanes (an unknown id or a glob matching nothing ⇒ exit 2 naming it).
 * ./connect.ts adds the full path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { API, CONFIG_HEADER, connectPath, type Health } from '../../runtime/control/protocol.js';
import { ControlConnectError, probeRuntime, requestJson } from '../../runtime/control/client.js';
import { OWN_DIR } from '../../state/state-files.js';
import { CliError, EXIT } from '../commands/exit.js';

/** A connection to the runtime of one lanes.yaml. */
export interface Connection {
  /** Absolute path of the lanes.yaml the runtime runs. */
  readonly configFile: string;
  readonly socket: string;
  readonly health: Health;
  /** A JSON request; a non-2xx answer throws {@link CliError} (unknown_lane/bad_request ⇒ 2, else 1). */
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/**
 * Where the lean path looks for the runtime of lanes.yaml `file` (relative to `cwd`): the
 * file's absolute path and the socket beside it; null when the file is absent (and not
 * `explicit`) or no socket file is there. Never throws.
 */
export function runtimeSocket(
  file: string,
  explicit: boolean,
  cwd: string = process.cwd(),
): { configFile: string; socket: string } | null {
  const abs = path.resolve(cwd, file);
  if (!explicit && !existsSync(abs)) return null;
  const socket = connectPath(path.join(path.dirname(abs), OWN_DIR), abs);
  return existsSync(socket) ? { configFile: abs, socket } : null;
}

/**
 * The lean lookup: the runtime on the socket beside lanes.yaml `file` (relative to
 * `cwd`) when it runs exactly that file; null when the file is absent (and not
 * `explicit`), no runtime answers there, or it runs another file. Never throws.
 */
export async function findRuntimeFast(
  file: string,
  explicit: boolean,
  cwd: string = process.cwd(),
): Promise<{ socket: string; health: Health } | null> {
  const at = runtimeSocket(file, explicit, cwd);
  if (at === null) return null;
  const health = await probeRuntime(at.socket);
  return health !== null && health.config === at.configFile ? { socket: at.socket, health } : null;
}

/** The answer of a request as {@link Connection.call} returns it, or the {@link CliError}. */
function answer(r: { status: number; body: unknown }): Record<string, unknown> {
  const b = (r.body ?? {}) as Record<string, unknown>;
  if (r.status >= 200 && r.status < 300 && b.api === API) return b;
  const err = b.error as { code?: string; message?: string } | undefined;
  const code = err?.code ?? `http_${r.status}`;
  const usage = code === 'unknown_lane' || code === 'bad_request';
  throw new CliError(
    `${err?.message ?? `HTTP ${r.status}`} (${code})`,
    usage ? EXIT.usage : EXIT.runtime,
  );
}

/** A {@link Connection} to the runtime already found on `socket` (serving `configFile`). */
export function connectTo(configFile: string, socket: string, health: Health): Connection {
  return {
    configFile,
    socket,
    health,
    call: async (method, path, body) => answer(await requestJson(socket, method, path, body, 0)),
  };
}

/**
 * Thrown by the first request of a {@link connectDirect} connection when the runtime it
 * means does not serve the socket: nothing listens (refused, socket gone, not ours to
 * open), or the runtime there runs another lanes.yaml (409 `wrong_config`). Nothing was
 * done; the caller hands the command to the full command line (exit 3 and the config
 * errors are its).
 */
export class NotThisRuntime extends Error {
  override readonly name = 'NotThisRuntime';
}

/** Socket errors that mean nothing accepted the connection (the request was not read). */
const NOBODY = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ENOTSOCK']);

/**
 * A connection to the runtime of `configFile` on `socket` that does not ask
 * `GET /v1/health` first (one round trip less for `restart` and the other lane
 * operations): every request names `configFile` in the `x-laneboard-config` header, so a
 * runtime that runs another file refuses it before acting. Its first request throws
 * {@link NotThisRuntime} as described there; later ones fail like {@link connectTo}'s (a
 * runtime gone in between is exit 1). Like `connectTo`, requests have no time limit (a
 * restart lasts as long as the worker's stop).
 */
export function connectDirect(
  configFile: string,
  socket: string,
): Pick<Connection, 'configFile' | 'socket' | 'call'> {
  const headers = { [CONFIG_HEADER]: encodeURIComponent(configFile) };
  let first = true;
  return {
    configFile,
    socket,
    async call(method, path, body) {
      const was = first;
      first = false;
      let r: { status: number; body: unknown };
      try {
        r = await requestJson(socket, method, path, body, 0, headers);
      } catch (e) {
        if (was && e instanceof ControlConnectError && NOBODY.has(e.code))
          throw new NotThisRuntime(e.message);
        throw e;
      }
      const code = (r.body as { error?: { code?: unknown } } | null)?.error?.code;
      if (was && r.status === 409 && code === 'wrong_config')
        throw new NotThisRuntime(`${socket}: another lanes.yaml's runtime`);
      return answer(r);
    },
  };
}

function globToRegExp(glob: string): RegExp {
  const src = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${src}$`);
}

/**
 * Lane ids addressed by `args` (ids or globs, in the order of `known`), or every lane
 * with `all`. Throws {@link CliError} exit 2 for no lanes given, an unknown id or a glob
 * that matches nothing.
 */
export function selectLanes(
  known: readonly string[],
  args: readonly string[],
  all: boolean,
): string[] {
  if (all) return [...known];
  if (args.length === 0)
    throw new CliError('name at least one lane (id or glob), or --all', EXIT.usage);
  const chosen = new Set<string>();
  for (const a of args) {
    if (/[*?]/.test(a)) {
      const re = globToRegExp(a);
      const hits = known.filter((id) => re.test(id));
      if (hits.length === 0) throw new CliError(`no lane matches ${JSON.stringify(a)}`, EXIT.usage);
      for (const h of hits) chosen.add(h);
    } else {
      if (!known.includes(a)) throw new CliError(`unknown lane ${JSON.stringify(a)}`, EXIT.usage);
      chosen.add(a);
    }
  }
  return known.filter((id) => chosen.has(id));
}
