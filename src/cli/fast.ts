/**
 * The lean client path, tried before the full command line is loaded: `laneboard --json
 * [--watch] [--pretty]`, `laneboard status [--json]`, `laneboard
 * start|stop|restart|clear <lane>... [--all]` and the attached board (`laneboard` in a
 * terminal), when a runtime runs the lanes.yaml named by `-c/--config` (default
 * ./lanes.yaml). Then the answer comes over the control socket and nothing else is
 * loaded: no commander, no YAML parser, no schema, no git, and Ink only for the board
 * (issue #10 targets: `--json` within 1.5-2 × `node -e 0`, the attached board within
 * 1.2 × a bare Ink app).
 *
 * Returns null — and src/cli/main.ts handles the command as always — for anything else:
 * another command or option (`--help`, `--nats`, `--`), fleet mode (LANEBOARD_NATS_URL),
 * no lanes.yaml file (zero-config discovery), or no runtime running that file (the probe
 * path, exit 3 and the config errors stay main's). Exit codes as in
 * src/cli/commands/exit.ts.
 */
import type { Health } from '../runtime/control/protocol.js';
import { CliError, EXIT } from './commands/exit.js';
import { errorMessage } from '../state/error-text.js';
import type * as LinkModule from './verbs/link.js';

const OPS = ['start', 'stop', 'restart', 'clear'] as const;
type Op = (typeof OPS)[number];

/** A command line the lean path can serve. */
interface FastArgs {
  readonly verb: 'json' | 'board' | 'status' | Op;
  readonly config: string;
  readonly explicit: boolean;
  readonly json: boolean;
  readonly watch: boolean;
  readonly pretty: boolean;
  readonly all: boolean;
  readonly lanes: readonly string[];
}

/** Parse `argv` if it is one of the shapes the lean path serves; null otherwise. */
function parseFast(argv: readonly string[]): FastArgs | null {
  let config: string | null = null;
  const flags = new Set<string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-c' || a === '--config') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-') || config !== null) return null;
      config = v;
    } else if (a.startsWith('--config=')) {
      if (config !== null) return null;
      config = a.slice('--config='.length);
    } else if (['--json', '--watch', '--pretty', '--all'].includes(a)) {
      flags.add(a);
    } else if (a.startsWith('-') || a === '') {
      return null;
    } else {
      words.push(a);
    }
  }
  if (config === '') return null;
  const [verb, ...lanes] = words;
  const has = (f: string): boolean => flags.has(f);
  const base = {
    config: config ?? 'lanes.yaml',
    explicit: config !== null,
    json: has('--json'),
    watch: has('--watch'),
    pretty: has('--pretty'),
    all: has('--all'),
    lanes,
  };
  if (verb === undefined) {
    if (base.json) return base.all ? null : { ...base, verb: 'json' };
    return flags.size === 0 ? { ...base, verb: 'board' } : null;
  }
  if (verb === 'status') {
    return lanes.length === 0 && !base.all && !base.watch && !base.pretty
      ? { ...base, verb }
      : null;
  }
  if ((OPS as readonly string[]).includes(verb) && !base.json && !base.watch && !base.pretty) {
    return { ...base, verb: verb as Op };
  }
  return null;
}

/**
 * How the caller runs the attached board, when it can (dist/cli.js; the CommonJS front
 * door cannot load Ink). `preload` starts loading Ink while the runtime is probed.
 */
export interface BoardStarter {
  preload(): Promise<unknown>;
  run(socket: string, health: Health): Promise<number>;
}

/** Options of {@link runFast}. */
export interface FastOptions {
  /** Without it the board is left to the full command line. */
  readonly board?: BoardStarter;
  /** Serve only the board (the front door already declined the rest). */
  readonly boardOnly?: boolean;
}

/**
 * Serve `argv` on the lean path. Resolves with the exit code, or null when the full
 * command line must handle it (see the module doc). Never rejects: errors become their
 * exit code with one line on stderr.
 */
export async function runFast(
  argv: readonly string[],
  opts: FastOptions = {},
): Promise<number | null> {
  const env = process.env.LANEBOARD_NATS_URL;
  if (env !== undefined && env !== '') return null;
  const args = parseFast(argv);
  if (args === null) return null;
  const board = args.verb === 'board' ? (opts.board ?? null) : null;
  if (args.verb === 'board' && board === null) return null;
  if (opts.boardOnly === true && args.verb !== 'board') return null;
  try {
    if (board !== null && !(process.stdout.isTTY && process.stdin.isTTY)) return null;
    // The board's modules (Ink, React, the UI) load while the runtime is probed; an own
    // board (no runtime) needs them too.
    board?.preload().catch(() => undefined);
    const link = await import('./verbs/link.js');
    const { findRuntimeFast, connectTo } = link;
    if (args.verb !== 'board' && args.verb !== 'json' && args.verb !== 'status')
      return await laneOp(link, args.verb, args);
    const live = await findRuntimeFast(args.config, args.explicit);
    if (live === null) return null;
    if (args.verb === 'board')
      return board === null ? null : await board.run(live.socket, live.health);
    if (args.verb === 'json') {
      const { runRemoteJson } = await import('./json-remote.js');
      return await runRemoteJson(live.socket, args.watch, args.pretty);
    }
    const conn = connectTo(live.health.config, live.socket, live.health);
    const ops = await import('./verbs/lane-ops.js');
    return await ops.runStatus(conn, args.json);
  } catch (err) {
    const msg = errorMessage(err);
    process.stderr.write(`laneboard: ${msg}\n`);
    return err instanceof CliError ? err.exitCode : EXIT.runtime;
  }
}

/**
 * `start|stop|restart|clear` on the runtime beside `args.config`, its first request sent
 * without asking `GET /v1/health` (./verbs/link.ts `connectDirect`: one round trip less);
 * null (the full command line takes over) when no runtime of that file serves the socket.
 * Rejects like {@link runFast}'s other steps.
 */
async function laneOp(link: typeof LinkModule, op: Op, args: FastArgs): Promise<number | null> {
  const at = link.runtimeSocket(args.config, args.explicit);
  if (at === null) return null;
  const ops = await import('./verbs/lane-ops.js');
  try {
    const conn = link.connectDirect(at.configFile, at.socket);
    return await ops.runLaneOp(conn, op, args.lanes, args.all);
  } catch (e) {
    if (e instanceof link.NotThisRuntime) return null;
    throw e;
  }
}
