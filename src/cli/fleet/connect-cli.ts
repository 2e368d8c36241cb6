/**
 * How the fleet CLI verbs (`laneboard <verb> <host>/<lane> --nats URL`, `laneboard wait`)
 * connect: one NATS client named `laneboard-cli/<host>`, a failure written as one
 * `laneboard: …` line instead of thrown.
 */
import { connectFleet, type FleetConnection } from '../../runtime/fleet/connect.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { defaultHostName } from '../../runtime/fleet/host-name.js';
import { errorMessage } from '../../state/error-text.js';

/** The client name the fleet CLI uses (`laneboard-cli/<host>`; also the commands' `by`). */
export function cliClientName(fleet: FleetSettings): string {
  return `laneboard-cli/${fleet.host ?? defaultHostName()}`;
}

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
