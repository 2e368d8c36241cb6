/**
 * What every verb does first: find the runtime serving the lanes.yaml on
 * `<stateDir>/control.sock` (none ⇒ exit 3 with how to start one).
 *
 * The lean path first (./link.ts): when the lanes.yaml file exists and the runtime on the
 * socket beside it (`<dir of lanes.yaml>/.laneboard/control.sock`) reports that very file
 * in `GET /v1/health`, nothing else is loaded (no YAML parser, no schema, no git).
 * Otherwise lanes.yaml is loaded and checked (bad ⇒ exit 2) and its state dir's socket is
 * probed.
 */
import { connectPath, type Health } from '../../runtime/control/protocol.js';
import { probeRuntime } from '../../runtime/control/client.js';
import type { BoardConfig } from '../../state/config-types.js';
import { CliError, EXIT } from '../commands/exit.js';
import { connectTo, findRuntimeFast, type Connection } from './link.js';

export { type Connection } from './link.js';

/** The runtime serving `config`, or null when none runs. Never throws. */
export async function findRuntime(
  config: BoardConfig,
): Promise<{ socket: string; health: Health } | null> {
  const socket = connectPath(config.stateDir, config.file);
  const health = await probeRuntime(socket);
  return health === null ? null : { socket, health };
}

/** Load the config at `file` (`explicit`: given with --config) and connect; exit 3 when no runtime runs. */
export async function connect(file: string, explicit: boolean): Promise<Connection> {
  let found = await findRuntimeFast(file, explicit);
  let configFile = found?.health.config ?? '';
  if (found === null) {
    const { loadConfigSource } = await import('../config-source.js');
    const { config } = await loadConfigSource(file, explicit);
    configFile = config.file;
    found = await findRuntime(config);
  }
  if (found === null) {
    throw new CliError(
      `no runtime is running for ${configFile}; start one with: laneboard serve --config ${configFile}`,
      EXIT.noRuntime,
    );
  }
  return connectTo(configFile, found.socket, found.health);
}
