/** Registers `laneboard serve` (the runtime without the TUI; behaviour in ../serve.ts). */
import type { Command } from 'commander';
import { loadConfigSource } from '../config-source.js';
import { configOf, type CliContext } from './context.js';
import { fleetSettings, type FleetFlags } from '../fleet/settings.js';

const HELP = `
Runs the lanes of lanes.yaml without the board: workers, restart policy, steering,
bridge and git watchers. One line per lane event on stderr.
SIGTERM, SIGINT or SIGHUP stop every worker and its descendants, then exit 0.

Fleet: --nats URL [--host NAME] [--creds FILE] (or settings.fleet in lanes.yaml, or
LANEBOARD_NATS_URL) also publishes the lanes to the fleet and takes commands for them
(docs/fleet.md); an unusable server stops serve with exit 1 before any worker starts.

One runtime per lanes.yaml: a second serve exits 1, naming the pid of the one running.`;

/** Add the `serve` subcommand to `program`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the lanes without the board (for systemd, servers, CI)')
    .addHelpText('after', HELP)
    .action(async (_o: unknown, cmd: Command) => {
      const configPath = configOf(cmd);
      // --no-autostart is the program's option (parsed before or after the verb).
      const { autostart, ...flags } = cmd.optsWithGlobals<{ autostart: boolean } & FleetFlags>();
      await ctx.run(async () => {
        const explicit = cmd.getOptionValueSourceWithGlobals('config') !== 'default';
        const { config, origin } = await loadConfigSource(configPath, explicit);
        const { runServe } = await import('../serve.js');
        const fleet =
          fleetSettings(flags, { fleet: config.settings.fleet, dir: config.dir }) ?? undefined;
        return runServe(config, { autostart, fleet, live: origin === 'file' });
      });
    });
}
