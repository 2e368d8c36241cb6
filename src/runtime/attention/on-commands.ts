/**
 * `on:` commands (lanes.yaml `on` in `defaults` or a lane): for each transition whose
 * event the lane binds, run the command once — argv without a shell, or a string as
 * `/bin/sh -c` — in the lane's worktree (the config directory when the worktree does not
 * exist), with the lane's `--json` snapshot object as JSON on stdin and
 * `LANEBOARD_EVENT`, `LANEBOARD_LANE_ID` in its environment. Bounded by a timeout: each
 * command runs in its own process group, which is sent SIGTERM when the time is up (or the
 * board quits) and SIGKILL 1 s later, so nothing it started outlives it; a failure is dispatched as `lane/onCommand` and shown on the
 * lane, never thrown. Commands run concurrently (never blocking the board); at most one per
 * lane and event at a time (a transition while the previous run is still going is
 * skipped and said so).
 */
import { stat } from 'node:fs/promises';
import type { OnEvent, Transition } from '../../state/attention.js';
import type { LaneConfig } from '../../state/config-types.js';
import { sanitizeText } from '../../state/sanitize.js';
import type { Clock, Dispatch } from '../types.js';

/** Characters of a failing command's stderr shown on the lane. */
const STDERR_TAIL_CHARS = 160;

/** Options of {@link createOnRunner}. */
export interface OnRunnerOptions {
  /** Lane config by id (its `on` map and worktree), read at each transition. */
  readonly laneOf: (laneId: string) => LaneConfig | undefined;
  /** The lane's snapshot object (the `--json` lane) at the moment of the transition. */
  readonly snapshotOf: (laneId: string) => unknown;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Kill a command after this long (ms). */
  readonly timeoutMs: number;
  /** Directory used when the lane's worktree does not exist. */
  readonly fallbackCwd: string;
}

/** The runner: `run` the commands of some transitions; `dispose` waits for running ones. */
export interface OnRunner {
  run(transitions: readonly Transition[]): void;
  /** Resolves when every running command has ended (each is bounded by the timeout). */
  idle(): Promise<void>;
  /** Kill running commands and wait for them. */
  dispose(): Promise<void>;
}

/** Create an {@link OnRunner}. */
export function createOnRunner(opts: OnRunnerOptions): OnRunner {
  const running = new Map<string, Promise<void>>();
  const controllers = new Set<AbortController>();

  const report = (laneId: string, event: OnEvent, message: string | null): void =>
    opts.dispatch({
      type: 'lane/onCommand',
      laneId,
      event,
      ok: message === null,
      message,
      at: opts.clock.now(),
    });

  const start = (t: Transition, event: OnEvent, lane: LaneConfig, argv: readonly string[]) => {
    const key = `${lane.id}\0${event}`;
    if (running.has(key)) {
      report(lane.id, event, 'skipped: the previous run is still going');
      return;
    }
    const input = JSON.stringify(opts.snapshotOf(t.laneId) ?? null);
    const abort = new AbortController();
    controllers.add(abort);
    const job = (async () => {
      const cwd = (await isDir(lane.worktree)) ? lane.worktree : opts.fallbackCwd;
      const [file, ...args] = argv;
      if (file === undefined) return;
      // Its own process group (detached), so the timeout and board quit stop everything the
      // command started (a `sh -c` pipeline, a backgrounded helper), not just the command.
      // execa loads on the first `on:` command, not with the board.
      const { execa } = await import('execa');
      const sub = execa(file, args, {
        reject: false,
        cwd,
        input,
        stdout: 'ignore',
        stderr: 'pipe',
        detached: true,
        env: { LANEBOARD_EVENT: event, LANEBOARD_LANE_ID: lane.id },
        maxBuffer: 64 * 1024,
      });
      let timedOut = false;
      let isCanceled = false;
      const stop = (): void => stopGroup(sub.pid);
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, opts.timeoutMs);
      const onAbort = (): void => {
        isCanceled = true;
        stop();
      };
      abort.signal.addEventListener('abort', onAbort, { once: true });
      if (abort.signal.aborted) onAbort();
      const done = await sub;
      clearTimeout(timer);
      abort.signal.removeEventListener('abort', onAbort);
      const r = { ...done, timedOut, isCanceled, failed: done.failed || timedOut || isCanceled };
      report(lane.id, event, r.failed ? failure(file, r, opts.timeoutMs) : null);
    })()
      .catch((e: unknown) => report(lane.id, event, sanitizeText(String(e), 300)))
      .finally(() => {
        controllers.delete(abort);
        running.delete(key);
      });
    running.set(key, job);
  };

  return {
    run(transitions) {
      for (const t of transitions) {
        if (t.event === null) continue;
        const lane = opts.laneOf(t.laneId);
        const argv = lane?.on?.[t.event];
        if (lane === undefined || argv === undefined || argv.length === 0) continue;
        start(t, t.event, lane, argv);
      }
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async dispose() {
      for (const c of controllers) c.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}

/**
 * One line about a failed run (shown as `on <event>: <line>`): not found / timed out /
 * exit code or signal, and the tail of its stderr.
 */
function failure(
  file: string,
  r: {
    code?: string;
    timedOut: boolean;
    isCanceled: boolean;
    signal?: string;
    exitCode?: number;
    stderr?: unknown;
  },
  timeoutMs: number,
): string {
  const name = sanitizeText(file, 80);
  if (r.code === 'ENOENT') return `command not found: ${name}`;
  if (r.code === 'EACCES') return `command not executable: ${name}`;
  if (r.timedOut) {
    const limit = timeoutMs < 1_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1_000)}s`;
    return `${name} timed out after ${limit}`;
  }
  if (r.isCanceled) return `${name} stopped (board quit)`;
  const how = r.signal !== undefined ? `killed by ${r.signal}` : `exit ${r.exitCode ?? '?'}`;
  const stderr = typeof r.stderr === 'string' ? r.stderr.trim() : '';
  const tail = stderr.length > STDERR_TAIL_CHARS ? `…${stderr.slice(-STDERR_TAIL_CHARS)}` : stderr;
  return sanitizeText(`${name} ${how}${tail === '' ? '' : `: ${tail}`}`, 300);
}

/** Grace (ms) between SIGTERM and SIGKILL to a timed-out or cancelled command's group. */
const KILL_GRACE_MS = 1_000;

/**
 * SIGTERM the process group led by `pid` (a command spawned `detached`), then SIGKILL the
 * group after {@link KILL_GRACE_MS} whatever is left of it (members that ignore SIGTERM,
 * or outlived the leader). A group already gone is ignored. Never throws.
 */
function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // the group is gone
    }
  };
  kill('SIGTERM');
  setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS).unref();
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
