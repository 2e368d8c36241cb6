/**
 * One bounded, lock-free, read-only-by-default git invocation (the only place the board
 * spawns git). Every call runs with `--no-optional-locks` as the first argument and
 * `GIT_OPTIONAL_LOCKS=0`, so the board never takes `index.lock` away from an agent that is
 * committing (design/pitfalls.md "git"), with `LC_ALL=C` so messages can be classified,
 * and `GIT_TERMINAL_PROMPT=0` so it never waits for credentials.
 */
import { stat } from 'node:fs/promises';
import { execa } from 'execa';

/**
 * Why a git call failed:
 * - `git_missing`: the `git` executable could not be spawned (ENOENT / EACCES on PATH).
 * - `no_worktree`: `cwd` does not exist or is not a directory.
 * - `not_git`: `cwd` is not inside a git work tree / repository.
 * - `timeout`: the call ran longer than `timeoutMs` and was killed (SIGKILL, process group).
 * - `bad_ref`: a revision argument does not name an object (unknown / bad revision).
 * - `other`: anything else (non-zero exit, killed by a signal, output too large…).
 */
export type GitErrorCode =
  'git_missing' | 'no_worktree' | 'not_git' | 'timeout' | 'bad_ref' | 'other';

/**
 * Outcome of {@link runGit}. `ok: true` means exit code 0; stdout is kept verbatim (no
 * trimming; callers split it themselves). On failure `message` is one short human line
 * (≤ 200 chars), and `stdout` holds whatever was printed before the failure (with
 * `truncated: true` when output hit `maxBytes`, which still counts as a failure).
 */
export type GitResult =
  | { readonly ok: true; readonly stdout: string; readonly stderr: string }
  | {
      readonly ok: false;
      readonly code: GitErrorCode;
      readonly message: string;
      readonly stdout: string;
      readonly stderr: string;
      /** Exit code when git exited by itself, else null. */
      readonly exitCode: number | null;
      /** stdout was cut at `maxBytes` (the process was stopped). */
      readonly truncated: boolean;
    };

/** Options of {@link runGit}. */
export interface RunGitOptions {
  /** Directory git runs in (a worktree or repository path). */
  readonly cwd: string;
  /** Hard bound on the call (ms); the whole process group is SIGKILLed after it. */
  readonly timeoutMs: number;
  /** Extra environment, merged over `process.env` (e.g. `{ PATH: '/nonexistent' }` in tests). */
  readonly env?: NodeJS.ProcessEnv;
  /** Cap on stdout size (characters); beyond it the call is stopped. @default 4 MiB */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** Extra time after the group kill before we stop waiting for stdio to close (ms). */
const KILL_GRACE_MS = 1_000;

/** First non-empty line of git's stderr without the `fatal: ` / `error: ` prefix, bounded. */
function firstLine(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  const bare = line.replace(/^(fatal|error):\s*/, '');
  return bare.length > 200 ? `${bare.slice(0, 197)}...` : bare;
}

/** Classify a failed git exit by its (LC_ALL=C) stderr. */
function classify(stderr: string): GitErrorCode {
  if (/not a git repository/i.test(stderr)) return 'not_git';
  if (
    /unknown revision|bad revision|bad object|invalid object name|needed a single revision|not a valid object name|ambiguous argument/i.test(
      stderr,
    )
  ) {
    return 'bad_ref';
  }
  return 'other';
}

/** True when `dir` exists and is a directory. */
async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** Kill a detached child's whole process group; ignores "already gone". */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already exited */
    }
  }
}

/**
 * Run `git --no-optional-locks <args…>` in `opts.cwd`.
 *
 * Never rejects and never throws: every failure is a `{ ok: false, code, message }` value.
 * The child runs in its own process group (`detached`) with stdin ignored, so a hung
 * git and anything it spawned (hooks, helpers) are SIGKILLed together when `timeoutMs`
 * passes; if stdio still does not close within a further second the call resolves as
 * `timeout` anyway (the process is abandoned, not awaited).
 *
 * @param args git arguments after the global `--no-optional-locks`; passed as argv, never
 *   through a shell, so untrusted ref names stay data.
 */
export async function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  const empty = { stdout: '', stderr: '', exitCode: null, truncated: false } as const;
  if (!(await isDirectory(opts.cwd))) {
    return {
      ok: false,
      code: 'no_worktree',
      message: `worktree ${opts.cwd} does not exist`,
      ...empty,
    };
  }
  let timedOut = false;
  let subprocess;
  try {
    subprocess = execa('git', ['--no-optional-locks', ...args], {
      cwd: opts.cwd,
      env: { ...opts.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
      extendEnv: true,
      reject: false,
      stdin: 'ignore',
      detached: true,
      maxBuffer: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      stripFinalNewline: false,
    });
  } catch (error) {
    // execa validates options synchronously; keep the "never throws" promise.
    return { ok: false, code: 'other', message: `could not run git: ${String(error)}`, ...empty };
  }
  const child = subprocess;
  let killTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const abandoned = new Promise<'abandoned'>((resolve) => {
    killTimer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      graceTimer = setTimeout(() => resolve('abandoned'), KILL_GRACE_MS);
    }, opts.timeoutMs);
  });
  const result = await Promise.race([child, abandoned]);
  clearTimeout(killTimer);
  clearTimeout(graceTimer);

  const timeoutResult: GitResult = {
    ok: false,
    code: 'timeout',
    message: `git ${args[0] ?? ''} timed out after ${opts.timeoutMs} ms`,
    ...empty,
  };
  if (result === 'abandoned') return timeoutResult;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (timedOut && result.exitCode !== 0) return { ...timeoutResult, stdout, stderr };
  if (!result.failed) return { ok: true, stdout, stderr };

  const base = { stdout, stderr, exitCode: result.exitCode ?? null, truncated: false };
  if (result.code === 'ENOENT' || result.code === 'EACCES') {
    return { ok: false, code: 'git_missing', message: 'git executable not found on PATH', ...base };
  }
  if (result.isMaxBuffer) {
    return {
      ok: false,
      code: 'other',
      message: `git ${args[0] ?? ''} output too large`,
      ...base,
      truncated: true,
    };
  }
  if (result.exitCode === undefined) {
    const how = result.signal
      ? `killed by ${result.signal}`
      : firstLine(result.shortMessage ?? 'failed');
    return { ok: false, code: 'other', message: `git ${args[0] ?? ''} ${how}`, ...base };
  }
  const line = firstLine(stderr);
  return {
    ok: false,
    code: classify(stderr),
    message: line.length > 0 ? line : `git ${args[0] ?? ''} exited with code ${result.exitCode}`,
    ...base,
  };
}
