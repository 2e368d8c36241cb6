/**
 * Registers the lane-management subcommands on the CLI program: `init`, `add`, `remove`.
 * Each sets `process.exitCode` (0 done; 1 refused for the lane's state or git failed;
 * 2 bad usage or config) and prints one line per step to stderr.
 */
import type { Command } from 'commander';
import { ConfigError, formatConfigError } from '../../config/index.js';
import { LanesEditError } from '../../config/edit-lanes.js';
import { CommandError } from './lanes-file.js';
import { errorMessage } from '../../state/error-text.js';

/** Print `err` as the command's failure and return its exit code. */
function reportCommandError(err: unknown): number {
  if (err instanceof CommandError) {
    process.stderr.write(`laneboard: ${err.message}\n`);
    return err.code;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${formatConfigError(err)}\n`);
    return 2;
  }
  if (err instanceof LanesEditError) {
    process.stderr.write(`laneboard: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`laneboard: ${errorMessage(err)}\n`);
  return 1;
}

const configOf = (cmd: Command): string => cmd.optsWithGlobals<{ config: string }>().config;

/** Add `init`, `add` and `remove` to `program` (they read the program's `--config`). */
export function registerLaneCommands(program: Command): void {
  program
    .command('init')
    .description(
      'write a commented lanes.yaml (at --config, default ./lanes.yaml) for the worktrees of the repository here; never overwrites',
    )
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const { runInit } = await import('./init.js');
        const r = await runInit(configOf(cmd));
        process.stdout.write(`wrote ${r.file} (${r.lanes} lane${r.lanes === 1 ? '' : 's'})\n`);
        process.exitCode = 0;
      } catch (err) {
        process.exitCode = reportCommandError(err);
      }
    });

  program
    .command('add')
    .description(
      'create a lane: branch and worktree (git worktree add), settings.worktree_setup, and its entry in lanes.yaml (comments kept); a running board starts it',
    )
    .argument('<id>', 'lane id (A-Z a-z 0-9 . _ -)')
    .option(
      '--branch <name>',
      'branch of the lane (default: the id); created from --base when missing',
    )
    .option(
      '--base <ref>',
      'ref the branch starts from and is measured against (default: defaults.base, else the default branch)',
    )
    .option('--path <dir>', 'worktree directory (default: <repo parent>/<repo name>-<id>)')
    .option('--command <cmd>', 'worker command, run with /bin/sh -c (default: none, observe-only)')
    .action(
      async (
        id: string,
        o: { branch?: string; base?: string; path?: string; command?: string },
        cmd: Command,
      ) => {
        try {
          const { runAdd } = await import('./add.js');
          const r = await runAdd({ id, ...o, config: configOf(cmd) });
          for (const p of r.setupProblems) process.stderr.write(`laneboard: ${p}\n`);
          process.exitCode = r.setupProblems.length > 0 ? 1 : 0;
        } catch (err) {
          process.exitCode = reportCommandError(err);
        }
      },
    );

  program
    .command('remove')
    .description(
      'retire a lane: stop its worker, remove its worktree and its lanes.yaml entry; deletes the branch only when merged',
    )
    .argument('<id>', 'lane id')
    .option(
      '--force',
      'remove even when uncommitted changes or commits on no other branch would be lost',
    )
    .action(async (id: string, o: { force?: boolean }, cmd: Command) => {
      try {
        const { runRemove } = await import('./remove.js');
        await runRemove({ id, force: o.force === true, config: configOf(cmd) });
        process.exitCode = 0;
      } catch (err) {
        process.exitCode = reportCommandError(err);
      }
    });
}
