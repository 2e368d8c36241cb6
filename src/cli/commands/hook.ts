/** Registers `laneboard hook` (the Claude Code hook command; behaviour in ../hook.ts). */
import type { Command } from 'commander';
import { configOf, type CliContext } from './context.js';

/** Add the `hook` subcommand to `program`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('hook')
    .description(
      'Claude Code / Codex CLI hook command: append the hook payload (stdin, or the argument for Codex notify) to the lane\u2019s events file; answers Stop hooks with pending steering messages and PermissionRequest hooks with the board\u2019s decision (approvals: board)',
    )
    .argument('[payload]', "the payload as an argument instead of stdin (Codex's notify program)")
    .option(
      '--lane <id>',
      'lane id (else LANEBOARD_BRIDGE_DIR, LANEBOARD_LANE_ID, the payload session or cwd decide)',
    )
    .option(
      '--timeout <seconds>',
      'the timeout this hook is installed with: a PermissionRequest waiting for the board (approvals: board) answers or gives up before it (default 10)',
    )
    .addHelpText(
      'after',
      '\nA hook never fails the agent: it exits 0, problems go to stderr and the lane\u2019s events.',
    )
    .action(
      async (payload: string | undefined, o: { lane?: string; timeout?: string }, cmd: Command) => {
        // `--config` before or after `hook` is parsed by the program's own --config option.
        const configPath = configOf(cmd);
        await ctx.run(async () => {
          const { runHook } = await import('../hook.js');
          const t = o.timeout === undefined ? undefined : Number(o.timeout);
          // A bad --timeout must not fail the agent: the default applies (the hook always exits 0).
          const timeoutS = t !== undefined && Number.isFinite(t) && t > 0 ? t : undefined;
          return runHook({ configPath, laneId: o.lane, payloadArg: payload, timeoutS });
        });
      },
    );
}
