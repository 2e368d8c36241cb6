/**
 * Fault-suite helpers for driving the REAL board (`node bin/laneboard.js`, the built
 * bundle) in a real terminal: one tmux server per board on a private socket (`tmux -L`),
 * the board run with `CI` removed from its environment (with CI set Ink draws no live
 * frames; pitfalls.md). After the board exits the pane prints `[board exited <code>]` and
 * stays open. Also: finding the board's pid and checking process liveness via /proc.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isProcessAlive } from '../../src/runtime/proc/procfs.js';
import { until } from './faults-pipeline.js';

/** True when a `tmux` binary is on PATH. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const EXIT_RE = /\[board exited (\d+)\]/;
let counter = 0;

/** A board running in a tmux pane. */
export interface TmuxBoard {
  /** Pane text now ('' once the server is gone). */
  capture(): string;
  /** Wait for `pred(frame)`; throws with the last frame. */
  waitFor(pred: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Send one literal key or a tmux key name (`Enter`, `Escape`). */
  key(k: string): void;
  /** The board's node pid (found by its unique config path in /proc cmdlines), or null. */
  boardPid(): number | null;
  /** The exit code printed after the board exited, or null while it runs. */
  exitCode(): number | null;
  /** Kill the tmux server; safe twice. */
  kill(): void;
}

/**
 * Start `node <bin> --config <config> …args` in a new tmux server of `cols`×`rows`.
 * @param bin Absolute path of `bin/laneboard.js`.
 */
export function startTmuxBoard(opts: {
  bin: string;
  cwd: string;
  config: string;
  args?: readonly string[];
  cols?: number;
  rows?: number;
}): TmuxBoard {
  const socket = `lb-faults-${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const cmd = [process.execPath, opts.bin, '--config', opts.config, ...(opts.args ?? [])]
    .map(shq)
    .join(' ');
  const script = `env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR ${cmd}; echo "[board exited $?]"; exec sleep 600`;
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
      cwd: opts.cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  tmux(
    'new-session',
    '-d',
    '-s',
    'f',
    '-x',
    String(opts.cols ?? 160),
    '-y',
    String(opts.rows ?? 40),
    '-c',
    opts.cwd,
    'sh',
    '-c',
    script,
  );
  let alive = true;
  const capture = (): string => {
    if (!alive) return '';
    try {
      return tmux('capture-pane', '-p', '-t', 'f');
    } catch {
      return '';
    }
  };
  return {
    capture,
    waitFor(pred, what, timeoutMs = 20_000) {
      return until(
        () => {
          const f = capture();
          return pred(f) ? f : '';
        },
        what,
        timeoutMs,
        () => `last frame:\n${capture()}`,
      );
    },
    key(k) {
      tmux('send-keys', '-t', 'f', ...(k.length === 1 ? ['-l', k] : [k]));
    },
    boardPid() {
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        try {
          const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
          if (argv.includes(opts.bin) && argv.includes(opts.config)) return Number(name);
        } catch {
          // gone meanwhile
        }
      }
      return null;
    },
    exitCode() {
      const m = EXIT_RE.exec(capture());
      return m ? Number(m[1]) : null;
    },
    kill() {
      if (!alive) return;
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      alive = false;
    },
  };
}

/** Pids recorded by the tree.cjs fixture: `[role, pid]` per line of `file`. */
export function treePids(file: string): [string, number][] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [role, pid] = l.split(' ');
      return [role ?? '', Number(pid)];
    });
}

/** Pids among `pids` that are alive (not gone, not zombies). */
export function alivePids(pids: readonly number[]): number[] {
  return pids.filter((pid) => isProcessAlive(pid));
}

/** SIGKILL every pid (cleanup after a failed test); ignores errors. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
