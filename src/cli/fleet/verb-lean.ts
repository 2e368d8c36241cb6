/**
 * The lean fleet verb: `laneboard restart|stop|start|clear <host>/<lane> --nats URL`
 * (issue #13 target: remote restart → new pid within 0.5 × `pm2 restart`), bundled alone
 * as dist/fleet-verb.cjs (scripts/build.mjs) and run by the launcher's front door
 * (src/cli/fast-entry.ts) for the command lines of ./lean-args.ts. It loads the core
 * NATS client and nothing else of the CLI (no commander, zod, `@nats-io/jetstream` or
 * `@nats-io/kv`), connects without reconnecting (src/runtime/fleet/connect-core.ts),
 * and sends the command on the JetStream wire API (src/runtime/fleet/verb-wire.ts):
 * the same protocol, progress lines and exit codes as the full verb (./verb.ts).
 *
 * Declines (resolves null, and the full command line runs) when the commands bucket does
 * not exist yet: the full path creates it. Otherwise the connection is left open for the
 * caller's `process.exit` to drop (src/cli/fast-entry.ts exits with the code).
 */
import { connectCore } from '../../runtime/fleet/connect-core.js';
import { parseTarget } from '../../runtime/fleet/keys.js';
import { sendCommandWire } from '../../runtime/fleet/verb-wire.js';
import { errorMessage } from '../../state/error-text.js';
import { sanitizeText } from '../../state/sanitize.js';
import type { LeanFleetVerb } from './lean-args.js';
import { cliClientName } from './settings.js';
import { FLEET_EXIT, reportOutcome } from './verb-outcome.js';

/**
 * Run `args`; resolves with the exit code (progress and errors on stderr), or null to
 * let the full command line run it (no commands bucket yet). Never rejects.
 */
export async function runLeanFleetVerb(args: LeanFleetVerb): Promise<number | null> {
  const write = (l: string): void => void process.stderr.write(`${l}\n`);
  const { verb } = args;
  const target = parseTarget(args.target);
  if (!target) {
    write(
      `laneboard: ${verb}: the target must be <host>/<lane>, got "${sanitizeText(args.target, 200)}"`,
    );
    return FLEET_EXIT.usage;
  }
  const name = `${target.host}/${target.laneId}`;
  let core;
  try {
    core = await connectCore(args.fleet.url, args.fleet.creds, cliClientName(args.fleet));
  } catch (err) {
    write(`laneboard: ${errorMessage(err)}`);
    return FLEET_EXIT.failed;
  }
  let out: Awaited<ReturnType<typeof sendCommandWire>>;
  try {
    out = await sendCommandWire(core.nc, {
      host: target.host,
      laneId: target.laneId,
      verb,
      by: cliClientName(args.fleet),
      deliverTimeoutMs: args.timeoutMs ?? 10_000,
      onState: (s) => write(`${verb} ${name}: ${s}`),
    });
  } catch (err) {
    write(`laneboard: ${verb} ${name}: ${errorMessage(err)}`);
    return FLEET_EXIT.failed;
  }
  if (out === null) {
    // The full command line runs next in this process: it must not find this one open.
    await core.nc.close().catch(() => undefined);
    return null;
  }
  // No close: the caller exits with the code (src/cli/fast-entry.ts) and the kernel closes
  // the socket; everything this client wrote was acknowledged before the outcome was known.
  return reportOutcome(out, verb, name, write);
}
