/**
 * The lean half of a verb's connection to its runtime (no YAML parser, no schema, no
 * git): the lookup of the runtime on the socket beside a lanes.yaml file, a
 * {@link Connection} to a runtime already found, and lane selection — ids, globs
 * (`'fix-*'`, `?` one character) or `--all` — against the runtime's lanes (an unknown id
 * or a glob matching nothing ⇒ exit 2 naming it). ./connect.ts adds the full path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { API, connectPath, type Health } from '../../runtime/control/protocol.js';
import { probeRuntime, requestJson } from '../../runtime/control/client.js';
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
 * The lean lookup: the runtime on the socket beside lanes.yaml `file` (relative to
 * `cwd`) when it runs exactly that file; null when the file is absent (and not
 * `explicit`), no runtime answers there, or it runs another file. Never throws.
 */
export async function findRuntimeFast(
  file: string,
  explicit: boolean,
  cwd: string = process.cwd(),
): Promise<{ socket: string; health: Health } | null> {
  const abs = path.resolve(cwd, file);
  if (!explicit && !existsSync(abs)) return null;
  const socket = connectPath(path.join(path.dirname(abs), OWN_DIR), abs);
  if (!existsSync(socket)) return null;
  const health = await probeRuntime(socket);
  return health !== null && health.config === abs ? { socket, health } : null;
}

/** A {@link Connection} to the runtime already found on `socket` (serving `configFile`). */
export function connectTo(configFile: string, socket: string, health: Health): Connection {
  return {
    configFile,
    socket,
    health,
    async call(method, path, body) {
      const r = await requestJson(socket, method, path, body, 0);
      const b = (r.body ?? {}) as Record<string, unknown>;
      if (r.status >= 200 && r.status < 300 && b.api === API) return b;
      const err = b.error as { code?: string; message?: string } | undefined;
      const code = err?.code ?? `http_${r.status}`;
      const usage = code === 'unknown_lane' || code === 'bad_request';
      throw new CliError(
        `${err?.message ?? `HTTP ${r.status}`} (${code})`,
        usage ? EXIT.usage : EXIT.runtime,
      );
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
