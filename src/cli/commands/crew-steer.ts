/**
 * Registers `laneboard crew-steer` (behaviour in ../crew-steer.ts). Exit codes: 0 handed
 * over (prints `delivered`, `acknowledged`, `replied`, or `queued` when pi-crew did not
 * confirm within --wait), 1 the mailbox could not be written, 2 bad usage.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT, type CliContext } from './context.js';
import { parseDuration } from '../../config/units.js';
import { errorMessage } from '../../state/error-text.js';

/** Add the `crew-steer` subcommand to `program`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('crew-steer')
    .description(
      "hand a steering message to a pi-crew task's mailbox and wait for pi-crew's delivery receipt (for a lane's steer: {command: [...]})",
    )
    .argument('<message...>', 'the message (words are joined with spaces)')
    .requiredOption('--state-root <dir>', "the pi-crew run's state root (the lane's {bridge})")
    .requiredOption('--task <id>', 'the pi-crew task id')
    .requiredOption('--id <id>', "laneboard's message id ({id})")
    .option('--wait <dur>', 'how long to wait for the receipt (e.g. 8s)', '8s')
    .action(
      async (words: string[], o: { stateRoot: string; task: string; id: string; wait: string }) => {
        await ctx.run(async () => {
          const waitMs = parseDuration(o.wait);
          if (waitMs === null) throw new CliError(`--wait: not a duration: ${o.wait}`, EXIT.usage);
          const { crewSteer } = await import('../crew-steer.js');
          const outcome = await crewSteer({
            stateRoot: resolve(o.stateRoot),
            taskId: o.task,
            id: o.id,
            text: words.join(' '),
            waitMs,
          }).catch((e: unknown) => {
            throw new CliError(errorMessage(e), EXIT.runtime);
          });
          process.stdout.write(`${outcome}\n`);
          return EXIT.ok;
        });
      },
    );
}
