/**
 * End-to-end helpers for running the built CLI as a real child process: one-shot runs
 * with captured output, long-running children (`--json --watch`) with their stdout split
 * into lines, a condition poller, and /proc liveness checks. The CLI is the copy that
 * test/global-setup.ts built and provided (`laneboardInstall`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { eventually } from './wait.js';

/** Absolute path of `bin/laneboard.js` in the built copy; throws with the build output when the build failed. */
export function laneboardBin(): string {
  const error = inject('laneboardBuildError');
  const install = inject('laneboardInstall');
  if (error !== '' || install === '') {
    throw new Error(`npm run build failed in the global setup:\n${error}`);
  }
  return path.join(install, 'bin', 'laneboard.js');
}

/** Directory of the built copy (has package.json and schema/ beside bin/ and dist/). */
export function laneboardInstall(): string {
  return path.dirname(path.dirname(laneboardBin()));
}

/** Environment for CLI children: the parent's, minus CI switches that change Ink's output. */
export function cliEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.LANEBOARD_RESPECT_CI;
  delete env.NO_COLOR;
  env.FORCE_COLOR = '0';
  return env;
}

/** Outcome of a finished CLI run. */
export interface CliResult {
  /** Exit code, or null when ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli} / {@link startCli}. */
export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Kill (SIGKILL) and reject after this many ms. @default 15000 */
  readonly timeoutMs?: number;
}

/**
 * Run `node bin/laneboard.js ...args` to completion with stdin closed (not a TTY) and
 * stdout/stderr piped (not TTYs). Rejects only on timeout.
 */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [laneboardBin(), ...args], {
    cwd: opts.cwd,
    env: cliEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`laneboard ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A running CLI child whose stdout is collected line by line. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** Complete stdout lines so far (without the newline). */
  readonly lines: string[];
  /** Stderr so far. */
  stderr(): string;
  /** Resolves with code/signal when the child exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL the child if it is still running (for afterEach). */
  kill(): void;
}

/** Start `node bin/laneboard.js ...args` in the background (stdin closed, stdout piped). */
export function startCli(args: readonly string[], opts: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [laneboardBin(), ...args], {
    cwd: opts.cwd,
    env: cliEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Stop and empty `list` (for afterEach): SIGTERM each child still running, wait for it up
 * to 8 s (a runtime stops its workers first), then SIGKILL what is left.
 */
export async function stopClis(list: RunningCli[]): Promise<void> {
  for (const c of list.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
}

/** `T` without its falsy members (what {@link waitFor} returns). */
export type Truthy<T> = Exclude<T, false | null | undefined | '' | 0>;

/**
 * Poll `cond` every `intervalMs` (default 50; vi.waitFor, ./wait.ts) until it returns a truthy value, which is
 * returned. Throws `timed out after <ms> ms waiting for <what>` (plus `detail()` when
 * given) after `timeoutMs` (default 10000).
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  what: string,
  opts: { timeoutMs?: number; intervalMs?: number; detail?: () => string } = {},
): Promise<Truthy<T>> {
  const v = await eventually(cond, {
    timeoutMs: opts.timeoutMs ?? 10_000,
    intervalMs: opts.intervalMs ?? 50,
    message: (ms) =>
      `timed out after ${ms} ms waiting for ${what}${opts.detail ? `\n${opts.detail()}` : ''}`,
  });
  return v as Truthy<T>;
}

/**
 * True when `pid` exists and is not a zombie/dead (`/proc/<pid>/stat` state other than
 * Z, X, x). A pid that does not exist or cannot be read is not alive.
 */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // Field 2 (comm) is in parentheses and may contain spaces; the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X' && state !== 'x' && state !== '';
}

/** SIGKILL each pid's process group and the pid itself when alive; for test cleanup only. */
export function killLeftovers(pids: Iterable<number>): void {
  for (const pid of pids) {
    if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) continue;
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
}
