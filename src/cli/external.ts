/**
 * The board's `d`, `e` and `t`: the lane's diff in the pager, its worktree in the editor, a
 * shell in its worktree — each run in the foreground of the board's terminal
 * (foreground.ts) and back to a redrawn board when it exits.
 * - `d`: `git diff --color=always -M --merge-base <base>` (committed plus uncommitted
 *   tracked changes against the merge base, the change the DIFF column counts) piped into
 *   `$PAGER` (default `less -R`);
 * - `e`: `$VISUAL`, else `$EDITOR`, else `vi`, given the worktree path;
 * - `t`: `$SHELL` (default `/bin/sh`), with `LANEBOARD_LANE_ID` set.
 * `$PAGER` / `$EDITOR` are read as shell words, as git and most tools do.
 */
import { stat } from 'node:fs/promises';
import type { LaneConfig } from '../state/config-types.js';
import type { ExternalKind, ExternalRunner } from '../ui/commands.js';
import { runForeground, type ForegroundTerminal } from './foreground.js';

/** The argv (no shell of our own) of `kind` for `lane`, given the environment `env`. */
function externalArgv(
  kind: ExternalKind,
  lane: LaneConfig,
  env: NodeJS.ProcessEnv,
): readonly string[] {
  switch (kind) {
    case 'diff':
      return [
        '/bin/sh',
        '-c',
        'git --no-pager diff --color=always -M --merge-base "$1" -- | ${PAGER:-less -R}',
        'laneboard-diff',
        `${lane.base}^{commit}`,
      ];
    case 'editor':
      return [
        '/bin/sh',
        '-c',
        'exec ${VISUAL:-${EDITOR:-vi}} "$1"',
        'laneboard-edit',
        lane.worktree,
      ];
    case 'shell':
      return [env.SHELL !== undefined && env.SHELL !== '' ? env.SHELL : '/bin/sh'];
  }
}

/**
 * The {@link ExternalRunner} of a board: looks the lane up, refuses a missing worktree,
 * runs the program in the foreground. Never rejects.
 */
export function createExternalRunner(opts: {
  readonly laneOf: (laneId: string) => LaneConfig | undefined;
  readonly term: ForegroundTerminal;
  readonly env?: NodeJS.ProcessEnv;
}): ExternalRunner {
  return async (kind, laneId) => {
    const lane = opts.laneOf(laneId);
    if (lane === undefined) return `unknown lane ${laneId}`;
    if (lane.host !== undefined)
      return `${laneId} runs on host ${lane.host}: d, e and t open worktrees of this machine only`;
    const isDir = await stat(lane.worktree).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return `worktree ${lane.worktree} does not exist`;
    const env = { ...(opts.env ?? process.env), LANEBOARD_LANE_ID: lane.id };
    return runForeground(externalArgv(kind, lane, env), {
      cwd: lane.worktree,
      env,
      term: opts.term,
    });
  };
}
