/**
 * One bounded, lock-free, read-only-by-default git invocation (the only place the board
 * spawns git). Every call runs with `--no-optional-locks` as the first argument and
 * `GIT_OPTIONAL_LOCKS=0`, so the board never takes `index.lock` away from an agent that is
 * committing (docs/pitfalls.md "git"), with `LC_ALL=C` so messages can be classified,
 * and `GIT_TERMINAL_PROMPT=0` so it never waits for credentials.
 *
 * Spawned with `node:child_process` directly, not execa: it costs the parent about a
 * third of execa's CPU per call, and the board's main thread is what draws the first
 * frame (figures: docs/performance.md, "Measured choices"). A long-running runtime moves
 * the spawns to a small helper process (./git-helper.ts): `spawn` blocks its thread until
 * the child has exec'd, longer the larger the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';

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
 * `truncated: true` when output hit `maxBytes`, which still counts as a failure; on
 * `timeout` it holds what was printed before the kill).
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
  /** Cap on stdout size (bytes); beyond it the call is stopped. @default 4 MiB */
  readonly maxBytes?: number;
  /** Text written to git's stdin (then closed); stdin is `/dev/null` when absent. */
  readonly input?: string;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** stderr kept at most (bytes): only its first line is ever used. */
const STDERR_MAX_BYTES = 64 * 1024;
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

/** How the child ended, as seen by {@link collect}. */
interface Ended {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Spawn error code (`ENOENT`, `EACCES`…), else null. */
  readonly spawnError: string | null;
  readonly truncated: boolean;
  readonly timedOut: boolean;
  /** stdio did not close within the grace period after the kill. */
  readonly abandoned: boolean;
}

/** Gather a spawned child's output under the byte cap and the timeout. Never rejects. */
function collect(child: ChildProcess, opts: RunGitOptions): Promise<Ended> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    let spawnError: string | null = null;
    let done = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, abandoned: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(killTimer);
      clearTimeout(graceTimer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode,
        signal,
        spawnError,
        truncated,
        timedOut,
        abandoned,
      });
    };
    const killTimer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      graceTimer = setTimeout(() => finish(null, null, true), KILL_GRACE_MS);
    }, opts.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (truncated) return;
      if (outBytes + chunk.length > maxBytes) {
        out.push(chunk.subarray(0, maxBytes - outBytes));
        outBytes = maxBytes;
        truncated = true;
        killGroup(child.pid);
        return;
      }
      out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (errBytes >= STDERR_MAX_BYTES) return;
      err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin?.on('error', () => {
      /* git exited before reading all input (EPIPE): its exit status says the rest */
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? 'ERROR';
      // A failed spawn still emits 'close'; a kill failure does not matter here.
      if (child.pid === undefined) finish(null, null, false);
    });
    child.on('close', (code, signal) => finish(code, signal, false));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Something that runs a git call elsewhere (./git-helper.ts), same contract as {@link runGit}. */
export type GitRunner = (args: readonly string[], opts: RunGitOptions) => Promise<GitResult>;

let runner: GitRunner | null = null;

/**
 * Route every later {@link runGit} call through `next` (null: spawn in this process again).
 * With `replacing`, only when that runner is the one installed (a stopping helper never
 * unroutes another). Used by ./git-helper.ts while its helper process is up.
 */
export function setGitRunner(next: GitRunner | null, replacing?: GitRunner): void {
  if (replacing === undefined || runner === replacing) runner = next;
}

/**
 * Run `git --no-optional-locks <args…>` in `opts.cwd`: in the git helper when one is
 * installed ({@link setGitRunner}), else in this process ({@link runGitHere}). Same
 * contract either way: never rejects and never throws.
 */
export function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  return runner === null ? runGitHere(args, opts) : runner(args, opts);
}

/**
 * Run `git --no-optional-locks <args…>` in `opts.cwd`, spawned from this process.
 *
 * Never rejects and never throws: every failure is a `{ ok: false, code, message }` value.
 * The child runs in its own process group (`detached`) with stdin `/dev/null` (or
 * `opts.input`), so a hung git and anything it spawned (hooks, helpers) are SIGKILLed
 * together when `timeoutMs` passes; if stdio still does not close within a further second
 * the call resolves as `timeout` anyway (the process is abandoned, not awaited). Output
 * over `maxBytes` stops the call the same way (`other`, `truncated: true`).
 *
 * @param args git arguments after the global `--no-optional-locks`; passed as argv, never
 *   through a shell, so untrusted ref names stay data.
 */
export async function runGitHere(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  const empty = { stdout: '', stderr: '', exitCode: null, truncated: false } as const;
  if (!(await isDirectory(opts.cwd))) {
    return {
      ok: false,
      code: 'no_worktree',
      message: `worktree ${opts.cwd} does not exist`,
      ...empty,
    };
  }
  let child: ChildProcess;
  try {
    child = spawn('git', ['--no-optional-locks', ...args], {
      cwd: opts.cwd,
      env: {
        ...process.env,
        ...opts.env,
        GIT_OPTIONAL_LOCKS: '0',
        LC_ALL: 'C',
        GIT_TERMINAL_PROMPT: '0',
      },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
  } catch (error) {
    // spawn validates arguments synchronously; keep the "never throws" promise.
    return { ok: false, code: 'other', message: `could not run git: ${String(error)}`, ...empty };
  }
  const r = await collect(child, opts);
  const cmd = `git ${args[0] ?? ''}`;
  const timeoutResult: GitResult = {
    ok: false,
    code: 'timeout',
    message: `${cmd} timed out after ${opts.timeoutMs} ms`,
    ...empty,
  };
  if (r.abandoned) return { ...timeoutResult, stdout: r.stdout, stderr: r.stderr };
  if (r.timedOut && r.exitCode !== 0)
    return { ...timeoutResult, stdout: r.stdout, stderr: r.stderr };
  const base = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, truncated: false };
  if (r.spawnError === 'ENOENT' || r.spawnError === 'EACCES') {
    return { ok: false, code: 'git_missing', message: 'git executable not found on PATH', ...base };
  }
  if (r.truncated) {
    return {
      ok: false,
      code: 'other',
      message: `${cmd} output too large`,
      ...base,
      truncated: true,
    };
  }
  if (r.exitCode === 0 && r.spawnError === null)
    return { ok: true, stdout: r.stdout, stderr: r.stderr };
  if (r.exitCode === null) {
    const how = r.signal ? `killed by ${r.signal}` : `failed (${r.spawnError ?? 'unknown'})`;
    return { ok: false, code: 'other', message: `${cmd} ${how}`, ...base };
  }
  const line = firstLine(r.stderr);
  return {
    ok: false,
    code: classify(r.stderr),
    message: line.length > 0 ? line : `${cmd} exited with code ${r.exitCode}`,
    ...base,
  };
}
