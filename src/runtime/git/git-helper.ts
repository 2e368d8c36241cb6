/**
 * Git processes spawned by a small helper process instead of the board (issue #17: write →
 * row p95 under a storm). `child_process.spawn` blocks the calling thread until the child
 * has exec'd (libuv reads a close-on-exec pipe to learn whether exec failed), and forking a
 * ~150 MB board costs page-table copies and copy-on-write faults: 10-30 ms per git process
 * on the 2-core machine, more under load. An activity probe starts ~10 of them back to back,
 * so the board froze for 100-300 ms every few seconds during a storm. Spawned from a
 * ~40 MB helper, the fork is cheap and the board's main thread only passes messages
 * (docs/performance.md, "Sixth session"; a worker thread was tried: the main thread still
 * paid the copy-on-write faults and the process more CPU).
 *
 * The helper runs ./run-git.ts's {@link runGitHere} unchanged (same timeouts, process-group
 * kill, output caps); only requests and results cross the IPC channel. Until the helper says
 * it is ready, and after it fails or is disposed, git calls run in the board as before:
 * nothing waits for the helper, and a bundle without the helper file still works.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setGitRunner, type GitResult, type RunGitOptions } from './run-git.js';

/** One git call sent to the helper. */
export interface GitRequest {
  readonly id: number;
  readonly args: readonly string[];
  readonly opts: RunGitOptions;
}

/** The helper's answer to the {@link GitRequest} with the same `id`. */
export interface GitAnswer {
  readonly id: number;
  readonly result: GitResult;
}

/** Options of {@link startGitHelper}. */
export interface GitHelperOptions {
  /** The helper's entry file. @default `git-helper.js` beside this module (the bundle's) */
  readonly url?: URL;
}

/** A running helper: `ready` once it takes calls; `dispose` stops it (never rejects). */
export interface GitHelper {
  /** Resolves true once git calls go to the helper, false when it could not start. */
  readonly ready: Promise<boolean>;
  /** The helper's pid (undefined when it could not be spawned). */
  readonly pid: number | undefined;
  dispose(): Promise<void>;
}

/**
 * Start the helper and, once it reports ready, route ./run-git.ts's `runGit` calls to it.
 * Calls in flight when the helper dies or is disposed resolve as `{ok: false, code:
 * 'other'}` (never re-run: a git call may write, e.g. `worktree add`). Never throws; the
 * helper does not keep the board alive and exits when the board does.
 */
export function startGitHelper(opts: GitHelperOptions = {}): GitHelper {
  const pending = new Map<number, (r: GitResult) => void>();
  let next = 1;
  let live = false;
  let setReady: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((r) => (setReady = r));
  let child: ChildProcess;
  try {
    const entry = fileURLToPath(opts.url ?? new URL('./git-helper.js', import.meta.url));
    // Not bundled (tests run the sources): no helper to fork.
    if (!existsSync(entry)) throw new Error('no helper entry');
    // No inherited Node flags (a --cpu-prof or --inspect of the board is not the helper's).
    child = fork(entry, [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  } catch {
    setReady(false);
    return { ready, pid: undefined, dispose: () => Promise.resolve() };
  }
  const offload = (args: readonly string[], o: RunGitOptions): Promise<GitResult> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      const req: GitRequest = { id, args: [...args], opts: o };
      child.send(req, (err) => {
        if (err) settle(id, failed('gone'));
      });
    });
  const failed = (why: string): GitResult => ({
    ok: false,
    code: 'other',
    message: `git helper ${why}`,
    stdout: '',
    stderr: '',
    exitCode: null,
    truncated: false,
  });
  const settle = (id: number, r: GitResult): void => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(r);
  };
  const stop = (why: string): void => {
    if (live) setGitRunner(null, offload);
    live = false;
    setReady(false);
    for (const id of [...pending.keys()]) settle(id, failed(why));
  };
  const unref = (): void => {
    child.unref();
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
  };
  unref();
  child.on('message', (msg: GitAnswer | { ready: true }) => {
    if ('ready' in msg) {
      live = true;
      setGitRunner(offload);
      setReady(true);
      return;
    }
    settle(msg.id, msg.result);
  });
  child.on('error', () => stop('failed'));
  child.on('exit', () => stop('stopped'));
  return {
    ready,
    pid: child.pid,
    async dispose() {
      stop('stopped');
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
