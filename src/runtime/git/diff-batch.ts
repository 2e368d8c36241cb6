/**
 * The diff stats of many worktrees with one process spawned from Node: the `git diff` half
 * of the status + diff chain (./lane-batch.ts) run on its own, `git -c
 * alias.laneboard-diffs=!<script> laneboard-diffs <path1> <base1> <path2> <base2> …`. For
 * each worktree the script prints a status marker (`\x1e s0`, so that
 * {@link parseLaneBatch} cuts the output as it cuts the chain's), then what the lane's `git
 * diff --shortstat … --merge-base <base>^{commit}` (diffStatArgs) prints, then a newline and
 * `\x1e d<exit code>`.
 *
 * Why on its own: a board's first read (./batch-probe.ts, `diffsAfter`) runs the
 * diffs of the dirty lanes after every status chain, so its rows are complete (worktree,
 * freshness, dirty counts) without waiting for one more git process per dirty lane; the
 * `+ins −del` cells follow (docs/performance.md, "Diff stats after the first board").
 */
import type { Action } from '../../state/actions.js';
import type { DiffStat } from '../../state/types.js';
import { withDiffStat, type DiffRunner } from './diff-stat.js';
import type { Limit } from './limiter.js';
import { DIFF_LINE, parseLaneBatch } from './lane-batch.js';
import { runGit } from './run-git.js';

const ALIAS = 'laneboard-diffs';

/** The alias body (git appends `"$@"`: the path/base pairs). POSIX sh, builtins besides git. */
export const DIFF_SCRIPT = [
  'f() {',
  '  while [ "$#" -ge 2 ]; do',
  '    w=$1 b=$2',
  '    shift 2',
  "    printf '\\036s0\\n'",
  `    ${DIFF_LINE}`,
  '    printf \'\\n\\036d%d\\n\' "$?"',
  '  done',
  '}; f',
].join('\n');

/** One worktree of a diff batch. */
export interface DiffBatchItem {
  /** Absolute worktree path without control characters. */
  readonly path: string;
  /** Base ref (accepted by invalidRefReason). */
  readonly base: string;
}

/**
 * Read the diff stats of `items` with one chain. Per item, in order: the stats git printed,
 * null when git diff failed or printed something else, undefined when the chain did not
 * get to it (a timeout, git missing): ask git for that one alone. Never rejects.
 * @param opts `timeoutMs` bounds the whole chain (ms); `env` is extra environment.
 * @returns the stats and the processes spawned from Node (0 for no items, else 1).
 */
export async function readDiffBatch(
  items: readonly DiffBatchItem[],
  opts: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<{ readonly diffs: (DiffStat | null | undefined)[]; readonly spawns: number }> {
  if (items.length === 0) return { diffs: [], spawns: 0 };
  const r = await runGit(
    ['-c', `alias.${ALIAS}=!${DIFF_SCRIPT}`, ALIAS, ...items.flatMap((it) => [it.path, it.base])],
    { cwd: '/', timeoutMs: opts.timeoutMs, env: opts.env, maxBytes: 1024 * 1024 },
  );
  const marks = parseLaneBatch(r.stdout, items.length);
  return { diffs: items.map((_, k) => marks?.[k]?.diff), spawns: 1 };
}

/** A git/ok action whose diff stats a first read left for after its statuses. */
export interface DeferredDiff {
  /** The lane's index in the probe (passed back). */
  readonly i: number;
  /** The action as reported first (`info` without `diff`). */
  readonly action: Extract<Action, { type: 'git/ok' }>;
  /** Absolute worktree path without control characters. */
  readonly worktree: string;
}

/** Worktrees per diff chain (count), as the status chains. */
const CHUNK = 25;

/**
 * The actions of `lanes` again, with their diff stats: one {@link readDiffBatch} chain per
 * 25 lanes through `limit` at `priority`; a lane the chain did not get to is asked of git
 * alone through `run` (withDiffStat). `emit` gets each chain's actions as they are ready.
 * Never rejects.
 * @param opts `timeoutMs` per 25 worktrees (ms), `env` extra environment.
 * @returns processes spawned from Node by the chains (count).
 */
export async function diffsAfter(
  lanes: readonly DeferredDiff[],
  o: {
    readonly limit: Limit;
    readonly priority: number;
    readonly run: DiffRunner;
    readonly timeoutMs: number;
    readonly env?: NodeJS.ProcessEnv;
  },
  emit: (items: { i: number; action: Action }[]) => void,
): Promise<number> {
  let spawns = 0;
  const chains: Promise<void>[] = [];
  for (let c = 0; c < lanes.length; c += CHUNK) {
    const part = lanes.slice(c, c + CHUNK);
    chains.push(
      (async () => {
        const r = await o.limit(o.priority, () =>
          readDiffBatch(
            part.map((d) => ({ path: d.worktree, base: d.action.info.base })),
            { timeoutMs: o.timeoutMs * Math.ceil(part.length / CHUNK), env: o.env },
          ),
        );
        spawns += r.spawns;
        const done = await Promise.all(
          part.map(async (d, k) => {
            const info = await withDiffStat(
              d.action.info,
              d.worktree,
              o.run,
              o,
              undefined,
              r.diffs[k],
            );
            return { i: d.i, action: { ...d.action, info } };
          }),
        );
        emit(done);
      })().catch(() => undefined),
    );
  }
  await Promise.all(chains);
  return spawns;
}
