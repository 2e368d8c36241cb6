/**
 * One-line git commands (`git diff --shortstat`) in many worktrees with one process
 * started from Node: a {@link DiffRunner} whose calls, made in the same turn of the event
 * loop with the same arguments, become one `git -c laneboard.wt=<path1> … for-each-repo
 * --config=laneboard.wt <args…>` (git ≥ 2.30 runs `git -C <path> <args…>` for each path in
 * order, all printing to our stdout). git starts the per-worktree processes; Node one.
 *
 * Output is attributed only when it is certain: the batch exited 0 and printed exactly
 * one line per worktree (`--shortstat` prints one line, or nothing for an empty diff).
 * Otherwise — an empty diff somewhere in the batch, a worktree git could not enter, a
 * timeout, a cut — every call of the batch runs the plain way, one process each. That
 * keeps both sides of this seam equal (test/git/diff-batch.test.ts); the plain side is
 * the runner given to {@link createEachRunner}.
 *
 * Why: at 500 dirty worktrees, 500 `git diff --shortstat` spawns from Node cost ~2 s of
 * the main thread (`ChildProcess.spawn` in a CPU profile of `--json`); a for-each-repo per
 * chunk of 25 costs a few ms of it (docs/performance.md).
 */
import type { DiffRunner } from './diff-stat.js';
import type { GitResult, RunGitOptions } from './run-git.js';

/** The config key carrying the worktree paths (only on our command line). */
const KEY = 'laneboard.wt';

interface Call {
  readonly args: readonly string[];
  readonly opts: RunGitOptions;
  readonly resolve: (r: GitResult) => void;
}

/**
 * Cut a batch's stdout into one line per worktree.
 * @param out stdout of the batch (lines end with `\n`).
 * @param count worktrees in the batch.
 * @returns `count` lines (each with its `\n`), or null when the output has another number
 *   of lines (a worktree printed nothing or more than one line: the batch is not usable).
 */
export function splitLines(out: string, count: number): string[] | null {
  if (!out.endsWith('\n')) return null;
  const lines = out.slice(0, -1).split('\n');
  return lines.length === count ? lines.map((l) => `${l}\n`) : null;
}

/**
 * A runner that batches same-argument calls made in one event-loop turn (for commands
 * that print exactly one line when they print anything, e.g. `diff --shortstat`).
 * @param plain runs one git command (the limiter and process the caller already uses);
 *   runs the batch process (with `cwd: '/'`) and every call the batch could not answer.
 * @param opts `maxBytes` of one batch's stdout (default 4 MiB).
 * @returns a {@link DiffRunner}; never rejects when `plain` does not.
 */
export function createEachRunner(
  plain: DiffRunner,
  opts: { readonly maxBytes?: number } = {},
): DiffRunner {
  let pending: Call[] = [];
  let scheduled = false;

  const runGroup = async (calls: Call[]): Promise<void> => {
    const first = calls[0] as Call;
    if (calls.length === 1) return first.resolve(await plain(first.args, first.opts));
    const config = calls.flatMap((c) => ['-c', `${KEY}=${c.opts.cwd}`]);
    let got: string[] | null = null;
    try {
      const r = await plain([...config, 'for-each-repo', `--config=${KEY}`, ...first.args], {
        cwd: '/',
        timeoutMs: first.opts.timeoutMs,
        env: first.opts.env,
        maxBytes: opts.maxBytes ?? 4 * 1024 * 1024,
      });
      got = r.ok ? splitLines(r.stdout, calls.length) : null;
    } catch {
      got = null;
    }
    await Promise.all(
      calls.map(async (c, i) => {
        const line = got?.[i];
        if (line !== undefined) c.resolve({ ok: true, stdout: line, stderr: '' });
        else c.resolve(await plain(c.args, c.opts)); // not certain: the plain way
      }),
    );
  };

  const flush = (): void => {
    scheduled = false;
    const calls = pending;
    pending = [];
    const groups = new Map<string, Call[]>();
    for (const c of calls) {
      // A path with control characters (or a call with stdin) runs alone, the plain way.
      // eslint-disable-next-line no-control-regex
      if (c.opts.input !== undefined || /[\x00-\x1f\x7f]/.test(c.opts.cwd)) {
        void plain(c.args, c.opts).then(c.resolve, () => undefined);
        continue;
      }
      // One batch per identical arguments, timeout and environment.
      const key = JSON.stringify([c.args, c.opts.timeoutMs, c.opts.env ?? null]);
      const list = groups.get(key) ?? [];
      list.push(c);
      groups.set(key, list);
    }
    for (const group of groups.values()) {
      void runGroup(group).catch(() => {
        for (const c of group) void plain(c.args, c.opts).then(c.resolve, () => undefined);
      });
    }
  };

  return (args, callOpts) =>
    new Promise<GitResult>((resolve) => {
      pending.push({ args, opts: callOpts, resolve });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
