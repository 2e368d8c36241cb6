/**
 * What every subcommand module gets from src/cli/main.ts: the exit-code table and
 * `run(body)`, which turns a command body's result or error into the process exit code.
 *
 * Exit codes (kept by every command; documented in README.md and docs/control.md):
 * 0 ok · 1 runtime error (also: `wait` timed out, `steer --wait` not delivered) ·
 * 2 bad usage, bad lanes.yaml or unknown lane · 3 no runtime running for this lanes.yaml.
 */
import type { Command } from 'commander';
import { ConfigError, formatConfigError } from '../../config/index.js';
import { NothingToShowError } from '../config-source.js';
import { CliError, EXIT } from './exit.js';
import { errorMessage } from '../../state/error-text.js';

export { CliError, EXIT };

/** Handed to each `register(program, ctx)`. */
export interface CliContext {
  /**
   * Run a command body: its resolved number becomes the exit code; a NothingToShowError
   * (no lanes.yaml, no repository) prints its message and exits 2; a ConfigError prints
   * its file:line:column issues and exits 2, a {@link CliError} its message and code, any
   * other error `laneboard: <message>` and 1.
   */
  run(body: () => Promise<number>): Promise<void>;
}

/** Print `err` to stderr and return its exit code (see {@link CliContext.run}). */
export function failure(err: unknown): number {
  if (err instanceof NothingToShowError) {
    process.stderr.write(err.message);
    return EXIT.usage;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${formatConfigError(err)}\n`);
    return EXIT.usage;
  }
  const msg = errorMessage(err);
  process.stderr.write(`laneboard: ${msg}\n`);
  return err instanceof CliError ? err.exitCode : EXIT.runtime;
}

/** The lanes.yaml path given to the program (`-c/--config` before or after the verb). */
export function configOf(cmd: Command): string {
  return cmd.optsWithGlobals<{ config: string }>().config;
}
