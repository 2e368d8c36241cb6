/**
 * The lane verbs across the fleet: `laneboard restart|stop|start|clear|steer
 * <host>/<lane> --nats URL`. Sends one command through the commands bucket and follows
 * its receipt (src/runtime/fleet/sender.ts), printing each state on stderr
 * (`pending`, `delivered`, then the outcome).
 *
 * Exit codes (the control table, src/cli/commands/context.ts): 0 done · 1 failed on the
 * host, or the connection failed · 2 bad usage (target not `<host>/<lane>`, steer
 * without text) or unknown lane on that host · 3 no runtime answered for that host
 * (the command was expired, so it will never run late).
 */
import { sanitizeText } from '../../state/sanitize.js';
import type { FleetVerb } from '../../runtime/fleet/commands.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { cliClientName, connectCli } from './connect-cli.js';
import { parseTarget } from '../../runtime/fleet/keys.js';
import { sendCommand } from '../../runtime/fleet/sender.js';
import { errorMessage } from '../../state/error-text.js';
import { FLEET_EXIT, reportOutcome } from './verb-outcome.js';

/** One fleet verb invocation. */
export interface FleetVerbRun {
  readonly verb: FleetVerb;
  /** `<host>/<lane>`. */
  readonly target: string;
  /** Steering text (`steer`). */
  readonly text?: string;
  readonly fleet: FleetSettings;
  /** How long to wait for the host to claim the command (ms). Default 10000. */
  readonly timeoutMs?: number;
  /** Where progress lines go (default stderr). */
  readonly write?: (line: string) => void;
}

/** Run one verb against a remote lane; resolves with the exit code (never rejects). */
export async function runFleetVerb(run: FleetVerbRun): Promise<number> {
  const write = run.write ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const target = parseTarget(run.target);
  if (!target) {
    write(
      `laneboard: ${run.verb}: the target must be <host>/<lane>, got "${sanitizeText(run.target, 200)}"`,
    );
    return FLEET_EXIT.usage;
  }
  if (run.verb === 'steer' && (run.text === undefined || run.text.trim() === '')) {
    write('laneboard: steer: give the message text');
    return FLEET_EXIT.usage;
  }
  const name = `${target.host}/${target.laneId}`;
  const conn = await connectCli(run.fleet, write);
  if (conn === null) return FLEET_EXIT.failed;
  try {
    const out = await sendCommand(conn, {
      host: target.host,
      laneId: target.laneId,
      verb: run.verb,
      text: run.text,
      by: cliClientName(run.fleet),
      deliverTimeoutMs: run.timeoutMs,
      onState: (s) => write(`${run.verb} ${name}: ${s}`),
    });
    return reportOutcome(out, run.verb, name, write);
  } catch (err) {
    write(`laneboard: ${run.verb} ${name}: ${errorMessage(err)}`);
    return FLEET_EXIT.failed;
  } finally {
    await conn.close();
  }
}
