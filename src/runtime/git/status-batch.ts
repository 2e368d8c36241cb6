/**
 * `git status` of many worktrees in one process: `git -c laneboard.wt=<path1> -c
 * laneboard.wt=<path2> … for-each-repo --config=laneboard.wt status --porcelain=v2
 * --branch -z --untracked-files=normal`. for-each-repo (git ≥ 2.30) runs `git -C <path>
 * status …` for each value in order, all printing to our stdout; the global
 * `--no-optional-locks` that runGit puts first sets `GIT_OPTIONAL_LOCKS=0` in the
 * environment the child gits inherit, so none of them refreshes an index (tested).
 */
import { runGit, type GitErrorCode } from './run-git.js';

/** The config key that carries the worktree paths (only on our command line). */
const KEY = 'laneboard.wt';
/** The per-worktree command, identical to the one probeLane runs. */
export const STATUS_ARGS: readonly string[] = [
  'status',
  '--porcelain=v2',
  '--branch',
  '-z',
  '--untracked-files=normal',
];
/** Re-runs of the remainder of a batch after a failing worktree (count). */
const MAX_RERUNS = 3;

/**
 * Cut the concatenated `status --porcelain=v2 --branch -z` output of several worktrees
 * into one text per worktree. Every worktree's output starts with a `# branch.oid` header.
 * The scan is sequential over NUL-terminated records: a record starting with `# branch.oid `
 * begins a new section, and a rename/copy record (`2 …`) is followed by its original-path
 * field, which is skipped whatever it says (a file may be literally named `# branch.oid
 * x`; as an ordinary entry it would be prefixed by its record type, e.g. `? # branch.oid x`).
 *
 * @returns the sections in output order (each keeps its NUL terminators; the last may be
 *   cut short when the producer died), or null when text precedes the first header.
 */
export function splitStatusSections(out: string): string[] | null {
  const starts: number[] = [];
  let pos = 0;
  while (pos < out.length) {
    const end = out.indexOf('\0', pos);
    const next = end < 0 ? out.length : end + 1;
    if (out.startsWith('# branch.oid ', pos)) starts.push(pos);
    else if (starts.length === 0) return null;
    else if (out.startsWith('2 ', pos)) {
      const orig = next < out.length ? out.indexOf('\0', next) : -1;
      pos = orig < 0 ? out.length : orig + 1;
      continue;
    }
    pos = next;
  }
  return starts.map((s, i) => out.slice(s, starts[i + 1] ?? out.length));
}

/** Options of {@link readStatusBatch}. */
export interface StatusBatchOptions {
  /** Timeout of one for-each-repo process (ms); on expiry the sections printed so far are kept. */
  readonly timeoutMs: number;
  /** Extra environment for git. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Outcome of {@link readStatusBatch}: one entry per input path, in input order. */
export interface StatusBatchResult {
  /** Each worktree's complete status output, or null when it must be read on its own. */
  readonly sections: readonly (string | null)[];
  /** git processes spawned (count). */
  readonly spawns: number;
  /** Set when git itself could not run (`git_missing`); every section is then null. */
  readonly fatal: GitErrorCode | null;
}

/**
 * Read the status of every worktree in `paths` (absolute paths without control
 * characters) with one for-each-repo process, or a few.
 *
 * In git 2.39 for-each-repo stops at the first worktree whose git fails. Sections followed
 * by another section are complete; the last printed one is trusted only when the process
 * exited 0, or when git's error names the NEXT path (`cannot change to '<path>'`). The
 * worktree that failed and the uncertain one get null (the caller probes them alone); the
 * ones after them are read by a new for-each-repo run (at most {@link MAX_RERUNS} times).
 * A timed-out run is handled the same way with what it printed before the kill.
 * Never rejects.
 */
export async function readStatusBatch(
  paths: readonly string[],
  opts: StatusBatchOptions,
): Promise<StatusBatchResult> {
  const sections: (string | null)[] = paths.map(() => null);
  let from = 0;
  let spawns = 0;
  let runs = 0;
  while (from < paths.length && runs <= MAX_RERUNS) {
    runs++;
    const rest = paths.slice(from);
    const config = rest.flatMap((p) => ['-c', `${KEY}=${p}`]);
    spawns++;
    const r = await runGit([...config, 'for-each-repo', `--config=${KEY}`, ...STATUS_ARGS], {
      cwd: '/',
      timeoutMs: opts.timeoutMs,
      env: opts.env,
      maxBytes: 16 * 1024 * 1024,
    });
    if (!r.ok && r.code === 'git_missing') return { sections, spawns, fatal: 'git_missing' };
    const got = splitStatusSections(r.stdout);
    if (got === null || got.length > rest.length) break; // not our output: read each alone
    if (r.ok) {
      if (got.length === rest.length) got.forEach((s, i) => (sections[from + i] = s));
      break;
    }
    if (r.truncated) break;
    const k = got.length;
    const failedPath = rest[k];
    const nextFailed =
      failedPath !== undefined && r.stderr.includes(`cannot change to '${failedPath}'`);
    const trusted = nextFailed ? k : Math.max(0, k - 1);
    for (let i = 0; i < trusted; i++) sections[from + i] = got[i] ?? null;
    // `trusted` sections are done; the next one or two (uncertain, failed) are left null
    // and the worktrees after them get a new run.
    from += k + 1;
  }
  return { sections, spawns, fatal: null };
}
