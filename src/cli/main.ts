/**
 * The laneboard command line: builds the commander program from one module per command
 * (src/cli/commands/<verb>.ts, each registered with one line below) and turns the
 * outcome into the exit code. The only place that ends a command run.
 * Exit codes (src/cli/commands/exit.ts, shown at the end of every --help by
 * ./commands/help.ts): 0 ok, 1 runtime error, 2 bad usage or bad lanes.yaml or unknown
 * lane, 3 no runtime running for this lanes.yaml.
 */
import { Command } from 'commander';
import { distance } from 'fastest-levenshtein';
import { EXIT, failure, type CliContext } from './commands/context.js';
import { register as registerRoot } from './commands/root.js';
import { register as registerHook } from './commands/hook.js';
import { register as registerCrewSteer } from './commands/crew-steer.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerVerbs } from './commands/verbs.js';
import { register as registerApprove } from './commands/approve.js';
import { VERSION } from './version.js';
import { registerLaneCommands } from './commands/register.js';
import { registerFleetOptions } from './commands/fleet.js';
import { registerHooksCommand } from './hooks/command.js';
import { keyList } from '../ui/hints.js';
import { configureHelp } from './commands/help.js';

/**
 * The board's keys for `--help`, generated from the key table (src/ui/keymap.ts) and
 * wrapped at 88 columns under a `Keys (board): ` label.
 */
function keysHelp(): string {
  const label = 'Keys (board): ';
  const lines: string[] = [];
  let line = '';
  for (const item of keyList('board').split(' · ')) {
    const next = line === '' ? item : `${line} · ${item}`;
    if (line !== '' && label.length + next.length > 88) {
      lines.push(line);
      line = item;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? label : ' '.repeat(label.length)) + l).join('\n');
}

const HELP_AFTER = `
${keysHelp()}
              (? in the board explains each key; Esc closes what is open)

Examples:
  laneboard                          board for ./lanes.yaml
  laneboard --config ops/lanes.yaml  another config
  laneboard --json | jq '.lanes[] | {id, freshness: .git.freshness}'
  laneboard --json --watch           one snapshot per line (NDJSON) on every change
  laneboard serve                    run the lanes without the board

Docs: README.md (lanes.yaml reference, bridge contract, --json schema).`;

/** Run the CLI with `argv` (without node and script). Resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number | null = null;
  const ctx: CliContext = {
    run: async (body) => {
      try {
        code = await body();
      } catch (err) {
        code = failure(err);
      }
    },
  };
  const program = new Command('laneboard')
    .description(
      'A terminal lane board for parallel coding agents: worktrees, workers, tests and blockers on one screen.',
    )
    .version(VERSION, '-V, --version')
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError('(run laneboard --help for usage)')
    .exitOverride();
  configureHelp(program);

  // The order of `--help`'s command list: what a user runs first, the commands that agent
  // hooks and steer commands run (hook, crew-steer) last.
  registerRoot(program, ctx);
  registerServe(program, ctx);
  registerVerbs(program, ctx);
  registerApprove(program, ctx);
  registerLaneCommands(program);
  registerFleetOptions(program);
  registerHooksCommand(program);
  registerHook(program, ctx);
  registerCrewSteer(program, ctx);

  const unknown = unknownCommand(program, argv);
  if (unknown !== null) return unknown;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    const exit = (err as { exitCode?: unknown }).exitCode;
    // commander reports usage errors with 1; laneboard's table says 2.
    return typeof exit === 'number' ? (exit === 1 ? EXIT.usage : exit) : failure(err);
  }
  // Commands registered without the context (src/cli/commands/register.ts) set
  // process.exitCode themselves.
  if (code !== null) return code;
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}

/**
 * The board takes no arguments, so commander reports a mistyped command (`laneboard
 * statsu`) as "too many arguments". When the first word is not an option and names no
 * command, say so (with the nearest command name, if one is 1-2 edits away) and return 2;
 * `laneboard help [command [subcommand]]` prints that help and returns 0. Otherwise null: parse as usual.
 */
function unknownCommand(program: Command, argv: readonly string[]): number | null {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return null;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first)) return null;
  if (first === 'help') {
    // `help hooks install`: follow the words down the command tree as far as they name one.
    let cmd = program;
    for (const word of argv.slice(1)) {
      const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (sub === undefined) break;
      cmd = sub;
    }
    cmd.outputHelp();
    return EXIT.ok;
  }
  const near = names.find((n) => distance(n, first) <= 2);
  const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
  process.stderr.write(
    `laneboard: unknown command '${first}'${hint}\n(run laneboard --help for usage)\n`,
  );
  return EXIT.usage;
}
