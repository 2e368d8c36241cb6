/**
 * Fleet mode on the command line (docs/fleet.md), registered from src/cli/main.ts:
 * - {@link registerFleetOptions}: the program's `--nats URL`, `--host NAME`, `--creds FILE`
 *   (global: seen before or after a subcommand);
 * - {@link runFleetRoot}: `laneboard --nats URL` (the fleet board) and
 *   `laneboard --json [--watch] --nats URL` (returns null when the command line is not in
 *   fleet mode, so the single-host path runs unchanged).
 * The verbs across the fleet (`restart|stop|start|clear|steer|wait <host>/<lane>`) are
 * the control verbs (./verbs.ts), routed to src/cli/fleet/ in fleet mode.
 * Everything NATS is imported lazily, only in fleet mode.
 *
 * Exit codes: 0 ok · 1 runtime error (connection refused, server unusable) · 2 bad usage
 * (the board without a terminal).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareConfig } from '../prepare.js';
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
  /** `--no-autostart`: the fleet board does not start local lanes. @default true */
  readonly autostart?: boolean;
}

/**
 * Run the root action in fleet mode, or return null when not in fleet mode (no `--nats`,
 * no LANEBOARD_NATS_URL). This host's lanes are merged in when the lanes.yaml exists.
 */
export async function runFleetRoot(o: FleetRootOptions): Promise<number | null> {
  const fleet = fleetSettings(o);
  if (!fleet) return null;
  const config = existsSync(o.config) ? await prepareConfig(o.config) : null;
  if (o.json !== true) {
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      process.stderr.write(
        'laneboard: the fleet board needs a terminal (stdin and stdout a TTY); use --json --nats for machines\n',
      );
      return 2;
    }
    const { runFleetBoard } = await import('../fleet/board.js');
    return runFleetBoard(fleet, config, { autostart: o.autostart !== false });
  }
  const { runFleetJson, runFleetJsonWatch } = await import('../fleet/json.js');
  if (o.watch === true) return runFleetJsonWatch(fleet, config);
  await runFleetJson(fleet, config, o.pretty === true);
  return 0;
}
