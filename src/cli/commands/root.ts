/**
 * The program's own options and default action: the board (default), `--json` (one
 * snapshot) and `--json --watch` (NDJSON stream). `-c/--config` is defined here and is
 * seen by every subcommand (before or after the verb; {@link configOf}).
 */
import { Option, type Command } from 'commander';
import { loadConfigSource } from '../config-source.js';
import { EXIT, type CliContext } from './context.js';
import { runFleetRoot } from './fleet.js';

/** Options of the default action. */
interface RootOptions {
  readonly json?: boolean;
  readonly watch?: boolean;
  readonly pretty?: boolean;
  readonly autostart: boolean;
  readonly config: string;
  /** Fleet mode (src/cli/commands/fleet.ts). */
  readonly nats?: string;
  readonly host?: string;
  readonly creds?: string;
}

/** Add the global options and the default action (board / --json / --json --watch). */
export function register(program: Command, ctx: CliContext): void {
  program
    .addOption(new Option('-c, --config <path>', 'lanes.yaml to use').default('lanes.yaml'))
    .option('--json', 'print one snapshot as JSON (schema laneboard.snapshot/1) and exit')
    .option(
      '--watch',
      'with --json: print a snapshot line (NDJSON) on every change until interrupted',
    )
    .option('--pretty', 'with --json: indent the JSON')
    .option('--no-autostart', 'do not start workers when the board or serve starts')
    .action((o: RootOptions, cmd: Command) =>
      ctx.run(() => runRoot(o, cmd.getOptionValueSource('config') !== 'default')),
    );
}

/** `explicit`: `--config` was given (no zero-config discovery then). */
async function runRoot(o: RootOptions, explicit: boolean): Promise<number> {
  if (o.watch === true && o.json !== true) {
    process.stderr.write('laneboard: --watch needs --json\n');
    return EXIT.usage;
  }
  const fleetCode = await runFleetRoot(o);
  if (fleetCode !== null) return fleetCode;
  const source = await loadConfigSource(o.config, explicit);
  const { config, banner } = source;
  // A runtime running for these lanes answers from its store (origin "runtime").
  const { findRuntime } = await import('../verbs/connect.js');
  const live = await findRuntime(config);
  if (live !== null && o.json === true) {
    const { runRemoteJson } = await import('../json-remote.js');
    return runRemoteJson(live.socket, o.watch === true, o.pretty === true);
  }
  if (live !== null && process.stdout.isTTY && process.stdin.isTTY) {
    const { runAttachedBoard } = await import('../board-attach.js');
    return runAttachedBoard(live.socket, live.health);
  }
  if (o.json === true && o.watch === true) {
    const { runJsonWatch } = await import('../json-watch.js');
    return runJsonWatch(config, banner);
  }
  if (o.json === true) {
    const { runJson } = await import('../json.js');
    await runJson(config, o.pretty === true, banner);
    return EXIT.ok;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'laneboard: the board needs a terminal (stdin and stdout a TTY); use --json for machines\n',
    );
    return EXIT.usage;
  }
  const { runOwnBoard } = await import('../board-own.js');
  return runOwnBoard(config, { autostart: o.autostart, banner });
}
