/**
 * The laneboard command line: parses arguments (commander), loads lanes.yaml, and runs
 * one mode — the board (default), `--json` (one snapshot), `--json --watch` (NDJSON
 * stream) or the `hook` subcommand. The only place that sets exit codes.
 * Exit codes: 0 ok, 1 runtime error, 2 bad usage or bad lanes.yaml.
 */
import { Command, Option } from 'commander';
import { ConfigError, formatConfigError } from '../config/index.js';
import { loadConfigSource, NothingToShowError } from './config-source.js';
import { VERSION } from './version.js';
import { registerLaneCommands } from './commands/register.js';

const HELP_AFTER = `
Keys (board): ↑/↓ or j/k select · Enter details · r restart · s steer · x stop · S start
              c clear sticky blockers · ? help · Esc close · q quit

Examples:
  laneboard                          board for ./lanes.yaml
  laneboard --config ops/lanes.yaml  another config
  laneboard --json | jq '.lanes[] | {id, freshness: .git.freshness}'
  laneboard --json --watch           one snapshot per line (NDJSON) on every change

Docs: README.md (lanes.yaml reference, bridge contract, --json schema).`;

/** The board-level mode chosen by the options. */
interface Mode {
  readonly json: boolean;
  readonly watch: boolean;
  readonly pretty: boolean;
  readonly autostart: boolean;
  readonly config: string;
  /** `--config` was given (no zero-config discovery then). */
  readonly explicitConfig: boolean;
}

function fail(err: unknown): number {
  if (err instanceof NothingToShowError) {
    process.stderr.write(err.message);
    return 2;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${formatConfigError(err)}\n`);
    return 2;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`laneboard: ${msg}\n`);
  return 1;
}

/** Run the CLI with `argv` (without node and script). Resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('laneboard')
    .description(
      'A terminal lane board for parallel coding agents: worktrees, workers, tests and blockers on one screen.',
    )
    .version(VERSION, '-V, --version')
    .addOption(new Option('-c, --config <path>', 'lanes.yaml to use').default('lanes.yaml'))
    .option('--json', 'print one snapshot as JSON (schema laneboard.snapshot/1) and exit')
    .option(
      '--watch',
      'with --json: print a snapshot line (NDJSON) on every change until interrupted',
    )
    .option('--pretty', 'with --json: indent the JSON')
    .option('--no-autostart', 'do not start workers when the board starts')
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError('(run laneboard --help for usage)')
    .exitOverride();

  program
    .command('hook')
    .description(
      'Claude Code hook command: append the hook payload (stdin) to the lane\u2019s events file; answers Stop hooks with pending steering messages',
    )
    .option(
      '-c, --config <path>',
      'lanes.yaml used to find the lane by the payload\u2019s cwd',
      'lanes.yaml',
    )
    .option(
      '--lane <id>',
      'lane id (else LANEBOARD_BRIDGE_DIR, LANEBOARD_LANE_ID, the payload session or cwd decide)',
    )
    .action(async (o: { lane?: string }, cmd: Command) => {
      // `--config` after `hook` is parsed by the program's own --config option:
      // optsWithGlobals() sees it wherever it was given.
      const { config } = cmd.optsWithGlobals<{ config: string }>();
      const { runHook } = await import('./hook.js');
      process.exitCode = await runHook({ configPath: config, laneId: o.lane });
    });

  registerLaneCommands(program);

  const modes: Mode[] = [];
  program.action(
    (o: {
      json?: boolean;
      watch?: boolean;
      pretty?: boolean;
      autostart: boolean;
      config: string;
    }) => {
      modes.push({
        json: o.json === true,
        watch: o.watch === true,
        pretty: o.pretty === true,
        autostart: o.autostart,
        config: o.config,
        explicitConfig: program.getOptionValueSource('config') !== 'default',
      });
    },
  );

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    const code = (err as { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? (code === 1 ? 2 : code) : fail(err);
  }
  const m = modes[0];
  if (!m) return typeof process.exitCode === 'number' ? process.exitCode : 0;
  if (m.watch && !m.json) {
    process.stderr.write('laneboard: --watch needs --json\n');
    return 2;
  }
  try {
    const source = await loadConfigSource(m.config, m.explicitConfig);
    const config = source.config;
    if (m.json && m.watch) {
      const { runJsonWatch } = await import('./json-watch.js');
      return await runJsonWatch(config, source.banner);
    }
    if (m.json) {
      const { runJson } = await import('./json.js');
      await runJson(config, m.pretty, source.banner);
      return 0;
    }
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      process.stderr.write(
        'laneboard: the board needs a terminal (stdin and stdout a TTY); use --json for machines\n',
      );
      return 2;
    }
    const { runBoard } = await import('./board.js');
    return await runBoard(config, { autostart: m.autostart, banner: source.banner });
  } catch (err) {
    return fail(err);
  }
}
