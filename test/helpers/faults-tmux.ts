/**
 * Fault-suite helpers for driving the REAL board (`node bin/laneboard.js`, the built
 * bundle) in a real terminal: one tmux server per board on a private socket (`tmux -L`),
 * the board run with `CI` removed from its environment (with CI set Ink draws no live
 * frames; docs/pitfalls.md), built on the e2e terminal (./e2e-tmux.ts). After the board exits
 * the pane prints `[laneboard exited <code>]` and stays open. Also: finding the board's pid and checking process liveness via /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isProcessAlive } from '../../src/runtime/proc/procfs.js';
import { hasTmux, startBoard } from './e2e-tmux.js';

export { hasTmux };

/** A board running in a tmux pane (the e2e terminal, plus the board's pid). */
export interface TmuxBoard {
  /** Pane text now ('' once the server is gone). */
  capture(): string;
  /** Wait for `pred(frame)`; throws with the last frame. */
  waitFor(pred: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Send one literal key or a tmux key name (`Enter`, `Escape`), without waiting. */
  key(k: string): void;
  /** The board's node pid (found by its unique config path in /proc cmdlines), or null. */
  boardPid(): number | null;
  /** The exit code printed after the board exited, or null while it runs. */
  exitCode(): number | null;
  /** Kill the tmux server; safe twice. */
  kill(): void;
}

/**
 * Start `node <bin> --config <config> …args` in a tmux terminal of `cols`×`rows`
 * (test/helpers/e2e-tmux.ts; the pane prints `[laneboard exited <code>]` afterwards).
 * @param bin Absolute path of `bin/laneboard.js` (the one {@link startBoard} runs).
 */
export function startTmuxBoard(opts: {
  bin: string;
  cwd: string;
  config: string;
  args?: readonly string[];
  cols?: number;
  rows?: number;
}): TmuxBoard {
  const term = startBoard({
    cwd: opts.cwd,
    args: ['--config', opts.config, ...(opts.args ?? [])],
    cols: opts.cols ?? 160,
    rows: opts.rows ?? 40,
  });
  return {
    capture: () => term.capture(),
    waitFor: (pred, what, timeoutMs = 20_000) =>
      term.waitForFrame((f) => (pred(f) ? f : ''), what, timeoutMs),
    key: (k) => term.send(k),
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
    exitCode: () => term.exitCode(),
    kill: () => term.kill(),
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
