/**
 * Fleet mode on the command line (docs/fleet.md), registered from src/cli/main.ts:
 * - {@link registerFleetOptions}: the program's `--nats URL`, `--host NAME`, `--creds FILE`
 *   (global: seen before or after a subcommand);
 * - {@link runFleetRoot}: `laneboard --json [--watch] --nats URL` (returns null when the
 *   command line is not in fleet mode, so the single-host path runs unchanged);
 * - {@link registerFleetVerbs}: `laneboard restart|stop|start|clear|steer <host>/<lane>`.
 * Everything NATS is imported lazily from here, only in fleet mode.
 *
 * Exit codes: 0 ok · 1 runtime error (connection, command failed on the host) · 2 bad
 * usage (no fleet URL, target not `<host>/<lane>`, unknown lane) · 3 no runtime answered.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareConfig } from '../prepare.js';
import type { FleetVerb } from '../../runtime/fleet/commands.js';
import { fleetSettings, type FleetFlags } from '../fleet/settings.js';

/** Add `--nats`, `--host`, `--creds` to the program. */
export function registerFleetOptions(program: Command): void {
  program
    .option(
      '--nats <url>',
      'fleet mode: NATS server URL (also LANEBOARD_NATS_URL); see docs/fleet.md',
    )
    .option('--host <name>', 'fleet mode: this host\u2019s name (default: the short hostname)')
    .option(
      '--creds <file>',
      'fleet mode: NATS credentials file (.creds, nkey seed, user:password or token)',
    );
}

/** The root options the fleet path reads. */
export interface FleetRootOptions extends FleetFlags {
  readonly json?: boolean;
  readonly watch?: boolean;
  readonly pretty?: boolean;
  readonly config: string;
}

/**
 * Run the root action in fleet mode, or return null when not in fleet mode (no `--nats`,
 * no LANEBOARD_NATS_URL). This host's lanes are merged in when the lanes.yaml exists.
 */
export async function runFleetRoot(o: FleetRootOptions): Promise<number | null> {
  const fleet = fleetSettings(o);
  if (!fleet) return null;
  if (o.json !== true) {
    process.stderr.write(
      'laneboard: the interactive fleet board is not built yet; use --json or --json --watch with --nats (docs/fleet.md)\n',
    );
    return 2;
  }
  const config = existsSync(o.config) ? await prepareConfig(o.config) : null;
  const { runFleetJson, runFleetJsonWatch } = await import('../fleet/json.js');
  if (o.watch === true) return runFleetJsonWatch(fleet, config);
  await runFleetJson(fleet, config, o.pretty === true);
  return 0;
}

const VERBS: readonly [FleetVerb, string][] = [
  ['restart', 'restart a lane\u2019s worker (stop, then start)'],
  ['stop', 'stop a lane\u2019s worker (no auto-restart after)'],
  ['start', 'start a lane\u2019s worker'],
  ['clear', 'clear a lane\u2019s sticky blockers'],
  ['steer', 'send a steering message to a lane\u2019s agent'],
];

const VERB_HELP = `
Target: <host>/<lane> (a lane on a fleet host; needs --nats URL or LANEBOARD_NATS_URL).
Progress on stderr: pending → delivered → done | failed | not delivered.

Exit codes: 0 done · 1 failed on the host or no connection · 2 bad usage or unknown lane
            3 no runtime answered for that host (the command is expired, never runs late)`;

/** Add the fleet verbs to `program` (each sets `process.exitCode`). */
export function registerFleetVerbs(program: Command): void {
  for (const [verb, description] of VERBS) {
    const cmd = program
      .command(verb === 'steer' ? 'steer <target> <text...>' : `${verb} <target>`)
      .description(`${description} (fleet: <host>/<lane> --nats URL)`)
      .option('--timeout <ms>', 'how long to wait for the host to take the command', '10000')
      .addHelpText('after', VERB_HELP);
    cmd.action(async (target: string, ...rest: unknown[]) => {
      const self = rest[rest.length - 1] as Command;
      const text = verb === 'steer' ? (rest[0] as string[]).join(' ') : undefined;
      const o = self.optsWithGlobals<FleetFlags & { timeout: string }>();
      const fleet = fleetSettings(o);
      if (!fleet) {
        process.stderr.write(
          `laneboard: ${verb} ${target}: give the fleet's server (--nats URL or LANEBOARD_NATS_URL)\n`,
        );
        process.exitCode = 2;
        return;
      }
      const timeoutMs = Number(o.timeout);
      const { runFleetVerb } = await import('../fleet/verb.js');
      process.exitCode = await runFleetVerb({
        verb,
        target,
        text,
        fleet,
        timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 10_000,
      });
    });
  }
}
