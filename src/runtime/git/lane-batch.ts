/**
 * Status and diff stats of many worktrees with one process spawned from Node: `git -c
 * alias.laneboard-batch=!<script> laneboard-batch <path1> <base1> <path2> <base2> …`. git
 * runs the alias with `/bin/sh`; the script visits the worktrees in order and, in each,
 * runs `git status --porcelain=v2 --branch --untracked-files=normal` (probeLane's status
 * without `-z`: its output is kept in a shell variable) and, only when that status lists
 * a tracked change (an entry line `1 `, `2 ` or `u `) and the lane has a base, the lane's
 * `git diff --shortstat … --merge-base <base>^{commit}` (diffStatArgs). Each output is
 * followed by a marker line `\x1e s<exit code>` / `\x1e d<exit code>`.
 *
 * Why one chain: the diff of a dirty lane needs a git process in its worktree, and when it
 * was a second pass (status batch → Node → diff batch) it waited for the board's main
 * thread between the two, which at startup is busy drawing: the first complete board
 * came ~20 % later with diff stats on (docs/performance.md, "Diff stats on vs off").
 *
 * Attribution is certain: porcelain v2 lines start with `#`, `1`, `2`, `u`, `?` or `!`
 * (paths with control characters are C-quoted), shortstat is one fixed-format line, so a
 * line starting with `\x1e` is always a marker; a part counts only once its marker is
 * printed, so a chain cut by a timeout or the output cap keeps every part finished before.
 */
import type { DiffStat } from '../../state/types.js';
import { diffStatArgs, parseShortstat } from './diff-stat.js';
import { runGit, type GitErrorCode } from './run-git.js';

/** The per-worktree status command (probeLane's, without `-z`; parseStatusV2 reads both). */
export const STATUS_LINE_ARGS: readonly string[] = [
  'status',
  '--porcelain=v2',
  '--branch',
  '--untracked-files=normal',
];

/** Stands for the lane's base in the diff arguments while the script is built. */
const BASE = '\u0001';
const ALIAS = 'laneboard-batch';

/** One shell word for `arg` (single-quoted), with {@link BASE} replaced by `"$b"`. */
function shWord(arg: string): string {
  return arg
    .split(BASE)
    .map((p) => `'${p.replaceAll("'", `'\\''`)}'`)
    .join('"$b"');
}

/** The alias body (git appends `"$@"`: the path/base pairs). POSIX sh, builtins only besides git. */
export const BATCH_SCRIPT = [
  'f() {',
  "  nl='\n'",
  '  while [ "$#" -ge 2 ]; do',
  '    w=$1 b=$2',
  '    shift 2',
  `    s=$(git --no-optional-locks -C "$w" ${STATUS_LINE_ARGS.map(shWord).join(' ')} 2>/dev/null)`,
  '    r=$?',
  '    printf \'%s\\n\\036s%d\\n\' "$s" "$r"',
  '    [ "$r" = 0 ] && [ -n "$b" ] || continue',
  '    case "$s" in *"$nl"[12u]" "*) ;; *) continue ;; esac',
  `    d=$(git --no-optional-locks -C "$w" ${diffStatArgs(BASE).map(shWord).join(' ')} 2>/dev/null)`,
  '    r=$?',
  '    printf \'%s\\n\\036d%d\\n\' "$d" "$r"',
  '  done',
  '}; f',
].join('\n');

/** One worktree of a batch. */
export interface LaneBatchItem {
  /** Absolute worktree path without control characters. */
  readonly path: string;
  /** Base ref for the diff stats (accepted by invalidRefReason), or null: no diff. */
  readonly base: string | null;
}

/** What the batch read of one worktree. */
export interface LaneBatchEntry {
  /** `git status --porcelain=v2 --branch` output (lines), or null: read the lane alone. */
  readonly status: string | null;
  /**
   * The diff stats git printed (null: git diff failed or printed something else), or
   * undefined when the chain did not run it (clean status, no base, or cut short).
   */
  readonly diff: DiffStat | null | undefined;
}

/** Outcome of {@link readLaneBatch}: one entry per item, in order. */
export interface LaneBatchResult {
  readonly entries: readonly LaneBatchEntry[];
  /** Processes spawned from Node (count). */
  readonly spawns: number;
  /** Set when git itself could not run (`git_missing`); every status is then null. */
  readonly fatal: GitErrorCode | null;
}

// eslint-disable-next-line no-control-regex -- the marker starts with RS on purpose
const MARKER = /^\x1e([sd])(\d+)$/;

/**
 * Cut the chain's stdout into one entry per worktree (`count` of them). Only complete
 * lines count; a part is taken when its marker line follows it. A status marker starts
 * the next worktree; a diff marker belongs to the worktree whose status came last.
 * @returns the entries (missing parts null / undefined), or null when the text is not
 *   the chain's output (more status parts than worktrees, a diff part without a status).
 */
export function parseLaneBatch(out: string, count: number): LaneBatchEntry[] | null {
  const status: (string | null)[] = Array.from({ length: count }, () => null);
  const diff: (DiffStat | null | undefined)[] = Array.from({ length: count }, () => undefined);
  const lines = out.split('\n');
  lines.pop(); // after the last '\n': empty, or a line cut short
  let k = -1;
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i] ?? '');
    if (!m) continue;
    const text = lines.slice(from, i).join('\n');
    from = i + 1;
    const ok = m[2] === '0';
    if (m[1] === 's') {
      k++;
      if (k >= count) return null;
      status[k] = ok ? `${text}\n` : null;
    } else {
      if (k < 0 || diff[k] !== undefined) return null;
      diff[k] = ok ? parseShortstat(text) : null;
    }
  }
  return status.map((s, i) => ({ status: s, diff: diff[i] }));
}

/**
 * Read the status (and, for worktrees with tracked changes, the diff stats) of `items`
 * with one chain. A worktree git cannot read (removed, not a repository, broken index)
 * gets `status: null` and the chain goes on with the next. On a timeout or the output
 * cap, what finished before is kept. Never rejects.
 * @param opts `timeoutMs` bounds the whole chain (ms); `env` is extra environment.
 */
export async function readLaneBatch(
  items: readonly LaneBatchItem[],
  opts: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<LaneBatchResult> {
  const none = items.map(() => ({ status: null, diff: undefined }));
  if (items.length === 0) return { entries: [], spawns: 0, fatal: null };
  const r = await runGit(
    [
      '-c',
      `alias.${ALIAS}=!${BATCH_SCRIPT}`,
      ALIAS,
      ...items.flatMap((it) => [it.path, it.base ?? '']),
    ],
    { cwd: '/', timeoutMs: opts.timeoutMs, env: opts.env, maxBytes: 16 * 1024 * 1024 },
  );
  if (!r.ok && r.code === 'git_missing') return { entries: none, spawns: 1, fatal: 'git_missing' };
  return { entries: parseLaneBatch(r.stdout, items.length) ?? none, spawns: 1, fatal: null };
}
