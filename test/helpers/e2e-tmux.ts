/**
 * Drive the real board in a real terminal: tmux on a private socket (`tmux -L`), one
 * detached session of a fixed size running `node bin/laneboard.js` with `CI` removed from
 * its environment (with CI set Ink draws no live frames; docs/pitfalls.md). Frames are read with
 * `capture-pane -p`; keys are sent one at a time and each waits for the frame to change
 * (Ink hands a multi-key chunk to the app as one input). When the board exits the pane
 * prints `[laneboard exited <code>]` and stays open so the exit code can be read. With
 * `raw`, everything the board writes to its terminal is also copied to a file
 * (`pipe-pane`), to assert bytes the screen does not show (OSC 9 notifications, BEL).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, laneboardBin, waitFor, type Truthy } from './e2e-cli.js';

/** True when a `tmux` binary is on PATH. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Quote one argument for /bin/sh. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The exit marker line the pane prints after the board exits. */
const EXIT_RE = /\[laneboard exited (\d+)\]/;

let counter = 0;

/** Options of {@link startBoard}. */
export interface BoardTermOptions {
  /** Working directory of the board. */
  readonly cwd: string;
  /** CLI arguments after `bin/laneboard.js`. */
  readonly args: readonly string[];
  /** Terminal size in columns × rows. @default 120 × 40 */
  readonly cols?: number;
  readonly rows?: number;
  /** Copy the pane's output bytes to a file, read by {@link BoardTerm.bytes}. @default false */
  readonly raw?: boolean;
  /** Environment variables set for the board only (e.g. a `PATH` without git). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A board running in a tmux pane. */
export interface BoardTerm {
  /** The pane's text now (`capture-pane -p`: trailing blanks trimmed), '' once tmux is gone. */
  capture(): string;
  /** Wait until `pred(frame)` is truthy; returns its value. Throws with the last frame on timeout. */
  waitForFrame<T>(pred: (frame: string) => T, what: string, timeoutMs?: number): Promise<Truthy<T>>;
  /**
   * Send one key (a tmux key name such as `Enter`, `Escape`, `Up`, or one literal character)
   * and wait until the frame differs from the frame before it (or `until` holds).
   */
  press(key: string, until?: (frame: string) => boolean, what?: string): Promise<string>;
  /** Send one key (tmux key name or one literal character) without waiting for a frame. */
  send(key: string): void;
  /**
   * Type `text` one character at a time; after each, wait until the frame shows
   * `prompt` followed by everything typed so far (e.g. prompt `steer alpha › `).
   */
  type(text: string, prompt: string): Promise<string>;
  /** Everything the board wrote to the terminal so far (with `raw`; else ''), decoded as UTF-8. */
  bytes(): string;
  /** The board's exit code once it exited, else null. */
  exitCode(): number | null;
  /** Kill the tmux server (SIGHUP to the board) and remove its socket; safe to call twice. */
  kill(): void;
}

/** Start the board in a new tmux server on a private socket. */
export function startBoard(opts: BoardTermOptions): BoardTerm {
  const socket = `lb-e2e-${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const vars = Object.entries(opts.env ?? {}).map(([k, v]) => shq(`${k}=${v}`));
  const cmd = [...vars, process.execPath, laneboardBin(), ...opts.args]
    .map((a, i) => (i < vars.length ? a : shq(a)))
    .join(' ');
  const script =
    `env -u CI -u CONTINUOUS_INTEGRATION -u LANEBOARD_RESPECT_CI -u NO_COLOR ${cmd}; ` +
    `echo "[laneboard exited $?]"; exec sleep 600`;
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
    'e2e',
    '-x',
    String(cols),
    '-y',
    String(rows),
    '-c',
    opts.cwd,
    'sh',
    '-c',
    script,
  );
  // kill-server leaves the socket file behind; remember where it is to remove it.
  const socketPath = tmux('display-message', '-p', '-t', 'e2e', '#{socket_path}').trim();
  const rawDir = opts.raw ? mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-raw-')) : null;
  const rawFile = rawDir === null ? null : path.join(rawDir, 'pane.out');
  if (rawFile !== null) tmux('pipe-pane', '-o', '-t', 'e2e', `cat >> ${shq(rawFile)}`);
  let alive = true;

  const capture = (): string => {
    if (!alive) return '';
    try {
      return tmux('capture-pane', '-p', '-t', 'e2e');
    } catch {
      return '';
    }
  };
  const waitForFrame = <T>(pred: (f: string) => T, what: string, timeoutMs = 15_000) => {
    let last = '';
    return waitFor(
      () => {
        last = capture();
        return pred(last);
      },
      what,
      { timeoutMs, intervalMs: 40, detail: () => `last frame:\n${last}` },
    );
  };
  const send = (key: string): void => {
    tmux('send-keys', '-t', 'e2e', ...(key.length === 1 ? ['-l', key] : [key]));
  };
  const press = async (
    key: string,
    until?: (f: string) => boolean,
    what?: string,
  ): Promise<string> => {
    const before = capture();
    send(key);
    return waitForFrame(
      (f) => (until ? until(f) : f !== before) && f,
      what ?? `the frame to change after key ${JSON.stringify(key)}`,
    );
  };
  return {
    capture,
    waitForFrame,
    press,
    send,
    async type(text, prompt) {
      let frame = capture();
      let typed = '';
      for (const ch of text) {
        typed += ch;
        const want = `${prompt}${typed}`;
        frame = await press(ch, (f) => f.includes(want), `${JSON.stringify(want)} to show`);
      }
      return frame;
    },
    bytes() {
      if (rawFile === null) return '';
      try {
        return readFileSync(rawFile, 'utf8');
      } catch {
        return '';
      }
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
      if (socketPath.startsWith('/')) rmSync(socketPath, { force: true });
      if (rawDir !== null) rmSync(rawDir, { recursive: true, force: true });
      alive = false;
    },
  };
}

/**
 * Kill the tmux server `tmux` talks to (a client running in its session `session` gets
 * SIGHUP), remove its socket file, and wait up to 30 s until that client's process is gone: agent clients still
 * write their session files while they exit, into directories the test removes next.
 */
export async function killTmuxClient(
  tmux: (...args: string[]) => string,
  session: string,
): Promise<void> {
  let pid = NaN;
  let socketPath = '';
  try {
    const [p, sock] = tmux('display-message', '-p', '-t', session, '#{pane_pid} #{socket_path}')
      .trim()
      .split(' ');
    pid = Number(p);
    socketPath = sock ?? '';
    tmux('kill-server');
  } catch {
    // already gone
  }
  // kill-server leaves the socket file behind.
  if (socketPath.startsWith('/')) rmSync(socketPath, { force: true });
  if (Number.isInteger(pid) && pid > 0)
    await waitFor(() => !isAlive(pid), `the client (pid ${pid}) to exit`, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
}
