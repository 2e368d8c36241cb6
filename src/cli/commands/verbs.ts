/**
 * Registers the verbs that talk to a running runtime over its control endpoint
 * (docs/control.md): `status`, `start|stop|restart|clear <lane>...`, `steer`, `wait`,
 * `logs`, `why`. Lanes are named by id, by glob (`'fix-*'`) or `--all`.
 * Exit codes: 0 ok · 1 runtime error, wait timed out, steer not delivered with --wait ·
 * 2 bad usage, bad lanes.yaml or unknown lane · 3 no runtime running for this lanes.yaml.
 */
import type { Command } from 'commander';
import { parseDuration } from '../../config/index.js';
import { fleetSettings, type FleetFlags } from '../fleet/settings.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { CliError, configOf, EXIT, type CliContext } from './context.js';

/** The connection to the runtime of the command line's lanes.yaml (exit 3 when none runs). */
async function conn(cmd: Command) {
  const { connect } = await import('../verbs/connect.js');
  return connect(configOf(cmd), cmd.getOptionValueSourceWithGlobals('config') !== 'default');
}

/** The connection {@link conn} resolves: the running runtime's endpoint. */
export type Connection = Awaited<ReturnType<typeof conn>>;

/** A verb on one lane over the endpoint (`laneboard <name> <lane> [options]`). */
export interface LaneVerb<O> {
  readonly name: string;
  readonly description: string;
  /** `[flags, description]` of each option (commander syntax). */
  readonly options?: readonly (readonly [string, string])[];
  /** `--help` text after the options (examples, notes; the exit-code table follows: ./help.ts). */
  readonly help?: string;
  /** The verb's body; resolves with the exit code. */
  readonly run: (c: Connection, lane: string, o: O) => Promise<number>;
  /** The verb in fleet mode (`--nats` or LANEBOARD_NATS_URL; `lane` is `<host>/<lane>`), if it has one. */
  readonly fleet?: (fleet: FleetSettings, lane: string, o: O) => Promise<number>;
}

/**
 * Register a {@link LaneVerb}: `<lane>` argument, options, help, and a connected action
 * (or, in fleet mode, its `fleet` body).
 */
export function laneVerb<O>(program: Command, ctx: CliContext, verb: LaneVerb<O>): void {
  const command = program
    .command(verb.name)
    .description(verb.description)
    .argument('<lane>', 'lane id');
  for (const [flags, what] of verb.options ?? []) command.option(flags, what);
  if (verb.help !== undefined) command.addHelpText('after', verb.help);
  command.action((lane: string, o: O, cmd: Command) =>
    ctx.run(async () => {
      const fleet = verb.fleet ? fleetSettings(cmd.optsWithGlobals<FleetFlags>()) : null;
      if (fleet && verb.fleet) return verb.fleet(fleet, lane, o);
      return verb.run(await conn(cmd), lane, o);
    }),
  );
}

function duration(v: string | undefined): number | null {
  if (v === undefined) return null;
  // A bare number is milliseconds (the fleet verbs' --timeout <ms>).
  const ms = /^\d+$/.test(v.trim()) ? Number(v) : parseDuration(v);
  if (ms === null)
    throw new CliError(
      `--timeout: not a duration: ${JSON.stringify(v)} (e.g. 30s, 5m)`,
      EXIT.usage,
    );
  return ms;
}

const FLEET_HELP = `
Fleet: with --nats URL (or LANEBOARD_NATS_URL) the target is <host>/<lane> and the
command goes to that host through the fleet (docs/fleet.md; --timeout, default 10s, is
how long to wait for the host to take it; exit 3: no runtime answered for that host).`;

/**
 * The fleet path of start/stop/restart/clear/steer (src/cli/fleet/verb.ts) when the
 * command line is in fleet mode; null when it is not (the local endpoint answers).
 */
async function fleetVerb(
  cmd: Command,
  verb: 'start' | 'stop' | 'restart' | 'clear' | 'steer',
  targets: readonly string[],
  text: string | undefined,
  timeout: string | undefined,
): Promise<number | null> {
  const fleet = fleetSettings(cmd.optsWithGlobals<FleetFlags>());
  if (!fleet) return null;
  const [target, ...more] = targets;
  if (target === undefined || more.length > 0)
    throw new CliError(`${verb}: name exactly one <host>/<lane> in fleet mode`, EXIT.usage);
  const { runFleetVerb } = await import('../fleet/verb.js');
  return runFleetVerb({ verb, target, text, fleet, timeoutMs: duration(timeout) ?? 10_000 });
}

/** Add the runtime verbs to `program`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('one line per lane from the running runtime (--json: its snapshot)')
    .option('--json', 'print the runtime\u2019s snapshot (schema laneboard.snapshot/1)')
    .action((o: { json?: boolean }, cmd: Command) =>
      ctx.run(async () => {
        const { runStatus } = await import('../verbs/lane-ops.js');
        // --json is also the program's option, which takes it wherever it is written.
        const json = o.json === true || cmd.optsWithGlobals<{ json?: boolean }>().json === true;
        return runStatus(await conn(cmd), json);
      }),
    );

  const ops = {
    start: 'start the workers of the lanes (clears operator stop and crash loop)',
    stop: 'stop the workers of the lanes and all their descendants (no restart after)',
    restart: 'restart the workers of the lanes; returns once each new pid is recorded',
    clear: 'clear the sticky blockers of the lanes',
  } as const;
  for (const [op, description] of Object.entries(ops) as [keyof typeof ops, string][]) {
    program
      .command(op)
      .description(description)
      .argument('[lanes...]', 'lane ids or globs (quote globs: \u2018fix-*\u2019)')
      .option('--all', 'every lane')
      .option('--timeout <dur>', 'fleet mode: how long to wait for the host to take it')
      .addHelpText('after', FLEET_HELP)
      .action((lanes: string[], o: { all?: boolean; timeout?: string }, cmd: Command) =>
        ctx.run(async () => {
          const viaFleet = await fleetVerb(cmd, op, lanes, undefined, o.timeout);
          if (viaFleet !== null) return viaFleet;
          const { runLaneOp } = await import('../verbs/lane-ops.js');
          return runLaneOp(await conn(cmd), op, lanes, o.all === true);
        }),
      );
  }

  program
    .command('steer')
    .description(
      'send a steering message to a lane; prints its id once accepted into the lane\u2019s channel',
    )
    .argument('<lane>', 'lane id')
    .argument('<message...>', 'the message (words are joined with spaces)')
    .option('--wait', 'wait for the delivery receipt (exit 1 when not delivered)')
    .option('--timeout <dur>', 'with --wait: give up after this long (e.g. 30s)')
    .addHelpText('after', FLEET_HELP)
    .action(
      (lane: string, words: string[], o: { wait?: boolean; timeout?: string }, cmd: Command) =>
        ctx.run(async () => {
          const message = words.join(' ');
          const viaFleet = await fleetVerb(cmd, 'steer', [lane], message, o.timeout);
          if (viaFleet !== null) return viaFleet;
          const timeout = duration(o.timeout);
          const { runSteer } = await import('../verbs/lane-ops.js');
          return runSteer(await conn(cmd), lane, message, o.wait === true, timeout);
        }),
    );

  program
    .command('wait')
    .description('wait until every named lane meets a condition')
    .argument('[lanes...]', 'lane ids or globs')
    .option('--all', 'every lane')
    .requiredOption('--for <condition>', 'running|idle|blocked|finished|green|red|exited')
    .option('--timeout <dur>', 'give up after this long (exit 1), e.g. 10m')
    .addHelpText(
      'after',
      '\nFleet: with --nats URL (or LANEBOARD_NATS_URL) name lanes as <host>/<lane>; exit 3 when\nthe host is unknown or offline as the wait starts, 1 when it goes offline while waiting.',
    )
    .action((lanes: string[], o: { all?: boolean; for: string; timeout?: string }, cmd: Command) =>
      ctx.run(async () => {
        const timeout = duration(o.timeout);
        const fleet = fleetSettings(cmd.optsWithGlobals<FleetFlags>());
        if (fleet) {
          const { runFleetWait } = await import('../fleet/wait.js');
          return runFleetWait({ targets: lanes, condition: o.for, timeoutMs: timeout, fleet });
        }
        const { runWait } = await import('../verbs/wait.js');
        return runWait(await conn(cmd), lanes, o.all === true, o.for, timeout);
      }),
    );

  laneVerb<{ follow?: boolean }>(program, ctx, {
    name: 'logs',
    description: 'the lane\u2019s worker log (last 64 KiB); -f follows it',
    options: [['-f, --follow', 'keep printing new output until interrupted']],
    help: '\nFleet: with --nats URL (or LANEBOARD_NATS_URL) name the lane <host>/<lane>; its host sends\nthe log over NATS (exit 3: no runtime of that host answers).',
    run: async (c, lane, o) =>
      (await import('../verbs/logs.js')).runLogs(c, lane, o.follow === true),
    fleet: async (fleet, lane, o) =>
      (await import('../fleet/logs.js')).runFleetLogs(fleet, lane, o.follow === true),
  });
  laneVerb(program, ctx, {
    name: 'why',
    description: 'every blocker of a lane and its agent state: class, source, age and next action',
    run: async (c, lane) => (await import('../verbs/lane-ops.js')).runWhy(c, lane),
  });
}
