/**
 * What every command's `--help` shows besides its own arguments and options (registered
 * once, from src/cli/main.ts):
 * - under "Global Options", only the program's options that the command takes
 *   ({@link GLOBALS_OF}: e.g. `restart` takes `-c/--config` and the fleet options, not
 *   `--json` or `--no-autostart`);
 * - at the end, the exit-code table, generated from {@link EXIT_MEANINGS} (the README
 *   shows the same table).
 */
import type { Command, Help, Option } from 'commander';
import { EXIT_MEANINGS } from './exit.js';

/** The fleet-mode options of the program (src/cli/commands/fleet.ts). */
const FLEET = ['nats', 'host', 'creds'] as const;

/**
 * The program options each command takes, by the command's name (a subcommand of a
 * command takes what its top-level command takes), as commander attribute names
 * (`config` is `-c/--config`, `autostart` is `--no-autostart`). A command not named takes
 * none (`hooks install` has its own `-c/--config`; `crew-steer` reads no lanes.yaml).
 */
export const GLOBALS_OF: Readonly<Record<string, readonly string[]>> = {
  serve: ['config', 'autostart', ...FLEET],
  status: ['config'],
  start: ['config', ...FLEET],
  stop: ['config', ...FLEET],
  restart: ['config', ...FLEET],
  clear: ['config', ...FLEET],
  steer: ['config', ...FLEET],
  wait: ['config', ...FLEET],
  logs: ['config', ...FLEET],
  why: ['config'],
  approve: ['config'],
  deny: ['config'],
  hook: ['config'],
  init: ['config'],
  add: ['config'],
  remove: ['config'],
};

/** The exit-code table as the last lines of a `--help` (a blank line first). */
export function exitCodesHelp(): string {
  const rows = EXIT_MEANINGS.map(([code, meaning]) => `  ${code}  ${meaning}`);
  return ['', 'Exit codes:', ...rows].join('\n');
}

/** The top-level command `cmd` belongs to (itself when it is one), or null for the program. */
function topLevel(cmd: Command): Command | null {
  let at = cmd;
  while (at.parent?.parent) at = at.parent;
  return at.parent ? at : null;
}

/** The ancestors' options shown under "Global Options" in `cmd`'s help ({@link GLOBALS_OF}). */
function visibleGlobalOptions(cmd: Command): Option[] {
  const top = topLevel(cmd);
  const takes = new Set(top === null ? [] : (GLOBALS_OF[top.name()] ?? []));
  const out: Option[] = [];
  for (let at = cmd.parent; at; at = at.parent)
    for (const o of at.options) if (!o.hidden && takes.has(o.attributeName())) out.push(o);
  return out;
}

/**
 * Set up `program`'s help (before its commands are added, which inherit it): global options
 * per {@link GLOBALS_OF}, and the exit-code table after every command's help.
 */
export function configureHelp(program: Command): void {
  const help: Partial<Help> = { showGlobalOptions: true, visibleGlobalOptions };
  program.configureHelp(help).addHelpText('afterAll', exitCodesHelp());
}
