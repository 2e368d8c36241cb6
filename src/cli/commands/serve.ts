/** Registers `laneboard serve` (the runtime without the TUI; behaviour in ../serve.ts). */
import type { Command } from 'commander';
import { loadConfigSource } from '../config-source.js';
import { configOf, type CliContext } from './context.js';

const HELP = `
Runs the lanes of lanes.yaml without the board: workers, restart policy, steering,
bridge and git watchers. One line per lane event on stderr.
SIGTERM, SIGINT or SIGHUP stop every worker and its descendants, then exit 0.

Exit codes: 0 stopped by a signal · 1 runtime error · 2 bad usage or bad lanes.yaml`;

/** Add the `serve` subcommand to `program`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the lanes without the board (for systemd, servers, CI)')
    .addHelpText('after', HELP)
    .action(async (_o: unknown, cmd: Command) => {
      const configPath = configOf(cmd);
      // --no-autostart is the program's option (parsed before or after the verb).
      const { autostart } = cmd.optsWithGlobals<{ autostart: boolean }>();
      await ctx.run(async () => {
        const explicit = cmd.getOptionValueSourceWithGlobals('config') !== 'default';
        const { config } = await loadConfigSource(configPath, explicit);
        const { runServe } = await import('../serve.js');
        return runServe(config, { autostart });
      });
    });
}
