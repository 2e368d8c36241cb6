/**
 * Status and diff stats of many worktrees with one process spawned from Node: `git -c
 * alias.laneboard-batch=!<script> laneboard-batch <dir> <path1> <base1> <path2> <base2> …`.
 * git runs the alias with `/bin/sh`; the script visits the worktrees in order and, in
 * each, runs `git status --porcelain=v2 --branch --untracked-files=normal` (probeLane's
 * status without `-z`) into the file `<dir>/<k>` (k: the worktree's index), and, only
 * when that status lists a tracked change (an entry line `1 `, `2 ` or `u `) and the lane
 * has a base, the lane's `git diff --shortstat … --merge-base <base>^{commit}`
 * (diffStatArgs) onto stdout. Each step is followed by a marker line on stdout:
 * `\x1e s<exit code>` after the status, a newline and `\x1e d<exit code>` after the diff.
 * `<dir>` is a fresh private temporary directory (./batch-tmp.ts, which also removes the ones
 * left by killed processes), read and removed by
 * {@link readLaneBatch}.
 *
 * Why one chain: the diff of a dirty lane needs a git process in its worktree, and when it
 * was a second pass (status batch → Node → diff batch) it waited for the board's main
 * thread between the two, which at startup is busy drawing: the first complete board
 * came ~20 % later with diff stats on (docs/performance.md, "Diff stats on vs off").
 *
 * Why a file and not `s=$(git status …)`: a command substitution makes `sh` fork a
 * subshell, while a plain command with a redirection is started with `vfork` (dash), which
 * does not copy the shell's page tables; on the 2-core VM of docs/performance.md a git
 * process cost ~11 ms of CPU forked and ~8 ms vforked, and a dirty lane costs two. The
 * script decides on the diff by reading the status file with the `read` builtin, up to its
 * first entry line: git prints the `#` headers first, then changed and unmerged entries,
 * then untracked and ignored ones (git-status(1), "Porcelain Format Version 2"), so the
 * first line that is not a header tells whether any tracked change exists.
 *
 * Attribution is certain: shortstat is one fixed-format line, so a line starting with
 * `\x1e` is always a marker; a part counts only once its marker is printed, so a chain cut
 * by a timeout or the output cap keeps every part finished before.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DiffStat } from '../../state/types.js';
import { readRange } from '../read-range.js';
import { diffStatArgs, parseShortstat } from './diff-stat.js';
import { runGit, type GitErrorCode } from './run-git.js';
import { makeBatchDir } from './batch-tmp.js';

/** The per-worktree status command (probeLane's, without `-z`; parseStatusV2 reads both). */
export const STATUS_LINE_ARGS: readonly string[] = [
  'status',
  '--porcelain=v2',
  '--branch',
  '--untracked-files=normal',
];

/** Stands for the lane's base in the diff arguments while a script is built (see {@link shWord}). */
const BASE = '\u0001';
const ALIAS = 'laneboard-batch';

/** One shell word for `arg` (single-quoted), with {@link BASE} replaced by `"$b"`. */
function shWord(arg: string): string {
  return arg
    .split(BASE)
    .map((p) => `'${p.replaceAll("'", `'\\''`)}'`)
    .join('"$b"');
}

/** The script line running one lane's diff stats in worktree `$w` against base `$b`. */
export const DIFF_LINE = `git --no-optional-locks -C "$w" ${diffStatArgs(BASE).map(shWord).join(' ')} 2>/dev/null`;

/**
 * The alias body (git appends `"$@"`: the directory, then the path/base pairs). POSIX sh,
 * builtins only besides git; `t` says whether a status file lists a tracked change.
 */
export const BATCH_SCRIPT = [
  't() {',
  '  while IFS= read -r l; do',
  "    case $l in '#'*) ;; [12u]' '*) return 0 ;; *) return 1 ;; esac",
  '  done <"$1"',
  '  return 1',
  '}',
  'f() {',
  '  d=$1 k=0',
  '  shift',
  '  while [ "$#" -ge 2 ]; do',
  '    w=$1 b=$2',
  '    shift 2',
  `    git --no-optional-locks -C "$w" ${STATUS_LINE_ARGS.map(shWord).join(' ')} >"$d/$k" 2>/dev/null`,
  '    r=$?',
  '    printf \'\\036s%d\\n\' "$r"',
  '    if [ "$r" = 0 ] && [ -n "$b" ] && t "$d/$k"; then',
  `      ${DIFF_LINE}`,
  '      printf \'\\n\\036d%d\\n\' "$?"',
  '    fi',
  '    k=$((k + 1))',
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

/** What the chain's stdout says about one worktree. */
export interface LaneBatchMarks {
  /** The status step printed its marker with exit code 0 (its file is complete). */
  readonly statusOk: boolean;
  /** As {@link LaneBatchEntry.diff}. */
  readonly diff: DiffStat | null | undefined;
}

/** Largest status file taken (bytes), as probeLane's own status read (runGit's default). */
const STATUS_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Cut the chain's stdout into one entry per worktree (`count` of them). Only complete
 * lines count; a part is taken when its marker line follows it. A status marker starts
 * the next worktree; a diff marker belongs to the worktree whose status came last, and
 * its text is what git diff printed before it.
 * @returns the marks (missing parts false / undefined), or null when the text is not the
 *   chain's output (more status parts than worktrees, a diff part without a status).
 */
export function parseLaneBatch(out: string, count: number): LaneBatchMarks[] | null {
  const ok: boolean[] = Array.from({ length: count }, () => false);
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
    const exitOk = m[2] === '0';
    if (m[1] === 's') {
      k++;
      if (k >= count) return null;
      ok[k] = exitOk;
    } else {
      if (k < 0 || diff[k] !== undefined) return null;
      diff[k] = exitOk ? parseShortstat(text) : null;
    }
  }
  return ok.map((statusOk, i) => ({ statusOk, diff: diff[i] }));
}

/** The status file of worktree `k` of a chain, or null (missing, too large). */
async function readStatusFile(dir: string, k: number): Promise<string | null> {
  const r = await readRange(path.join(dir, String(k)), { from: 0, max: STATUS_MAX_BYTES + 1 });
  if (r === null || r.size > STATUS_MAX_BYTES) return null;
  return r.bytes.toString('utf8');
}

/**
 * Read the status (and, for worktrees with tracked changes, the diff stats) of `items`
 * with one chain, in a private temporary directory removed before it resolves. A
 * worktree git cannot read (removed, not a repository, broken index) gets `status: null`
 * and the chain goes on with the next. On a timeout or the output cap, what finished
 * before is kept. Never rejects.
 * @param opts `timeoutMs` bounds the whole chain (ms); `env` is extra environment.
 */
export async function readLaneBatch(
  items: readonly LaneBatchItem[],
  opts: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<LaneBatchResult> {
  const none = items.map(() => ({ status: null, diff: undefined }));
  if (items.length === 0) return { entries: [], spawns: 0, fatal: null };
  let dir: string;
  try {
    dir = await makeBatchDir();
  } catch {
    return { entries: none, spawns: 0, fatal: null }; // every lane is probed alone
  }
  try {
    const r = await runGit(
      [
        '-c',
        `alias.${ALIAS}=!${BATCH_SCRIPT}`,
        ALIAS,
        dir,
        ...items.flatMap((it) => [it.path, it.base ?? '']),
      ],
      { cwd: '/', timeoutMs: opts.timeoutMs, env: opts.env, maxBytes: 1024 * 1024 },
    );
    if (!r.ok && r.code === 'git_missing') {
      return { entries: none, spawns: 1, fatal: 'git_missing' };
    }
    const marks = parseLaneBatch(r.stdout, items.length);
    if (marks === null) return { entries: none, spawns: 1, fatal: null };
    const entries = await Promise.all(
      marks.map(async (m, k) => ({
        status: m.statusOk ? await readStatusFile(dir, k) : null,
        diff: m.diff,
      })),
    );
    return { entries, spawns: 1, fatal: null };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
