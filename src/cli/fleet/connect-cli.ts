/**
 * How the fleet CLI verbs (`laneboard <verb> <host>/<lane> --nats URL`, `laneboard wait`)
 * connect: one NATS client named `laneboard-cli/<host>`, a failure written as one
 * `laneboard: …` line instead of thrown.
 */
import { connectFleet, type FleetConnection } from '../../runtime/fleet/connect.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { cliClientName } from './settings.js';
import { errorMessage } from '../../state/error-text.js';

export { cliClientName } from './settings.js';

/**
 * Connect to the fleet of `fleet.url` (with `fleet.creds`). Resolves with the connection,
 * or with null after writing the reason to `write`. Never rejects.
 */
export async function connectCli(
  fleet: FleetSettings,
  write: (line: string) => void,
): Promise<FleetConnection | null> {
  try {
    return await connectFleet({ url: fleet.url, creds: fleet.creds, name: cliClientName(fleet) });
  } catch (err) {
    write(`laneboard: ${errorMessage(err)}`);
    return null;
  }
}
