/**
 * Run a program in the foreground of the board's terminal and come back (`d` diff in the
 * pager, `e` editor, `t` shell): the board stops reading the terminal and stops drawing,
 * the program gets the terminal (stdio inherited, cooked mode, cursor shown), and when it
 * exits the screen is cleared and the board redrawn. Workers keep running meanwhile: the
 * event loop is never blocked (no spawnSync), so supervision, watches and the store go on.
 *
 * Reading stops at the tty handle (`readStop`): merely removing Ink's `readable` listener
 * would leave Node reading keystrokes into a buffer nobody reads, stealing the program's
 * input (tried in tmux). These are Node's own stream internals (`_handle.readStop()` /
 * `readStart()`, `reading`), used only when present.
 */
import { spawn } from 'node:child_process';

/** What the board lends to a foreground program. */
export interface ForegroundTerminal {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Erase the board's last frame and forget it, so the next render draws a full frame (Ink `clear()`). */
  readonly clearFrame: () => void;
}

/** Outcome of {@link runForeground}: null when the program exited 0, else the problem in words. */
export type ForegroundResult = string | null;

interface TtyHandle {
  reading?: boolean;
  readStop?: () => number;
  readStart?: () => number;
}

let active = 0;

/** True while a foreground program runs (the board then ignores SIGINT: it is the program's). */
export function foregroundActive(): boolean {
  return active > 0;
}

const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Run `argv` (no shell) in `cwd` with `env` in the foreground. Resolves when it exited;
 * never rejects (a program that cannot start is a result string).
 */
export async function runForeground(
  argv: readonly string[],
  opts: {
    readonly cwd: string;
    readonly env: NodeJS.ProcessEnv;
    readonly term: ForegroundTerminal;
  },
): Promise<ForegroundResult> {
  const { stdin, stdout } = opts.term;
  const [file, ...args] = argv;
  if (file === undefined) return 'nothing to run';
  const handle = (stdin as unknown as { _handle?: TtyHandle })._handle;
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  const hadOwnWrite = Object.hasOwn(stdout, 'write');
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was
  const ownWrite = stdout.write;
  const write = stdout.write.bind(stdout);
  active++;
  // Nothing else may draw while the program owns the screen (Ink frames). Notifications
  // (OSC 9 + BEL, which draw nothing) keep the stream's own write (./board-attention.ts).
  const muted = ((..._args: unknown[]) => true) as typeof stdout.write;
  try {
    opts.term.clearFrame();
    stdout.write = muted;
    write(`${CLEAR_SCREEN}${SHOW_CURSOR}`);
    if (stdin.isTTY) stdin.setRawMode(false);
    if (handle?.reading && handle.readStop) {
      handle.reading = false;
      handle.readStop();
    }
    return await new Promise<ForegroundResult>((resolve) => {
      const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: 'inherit' });
      child.once('error', (e) => resolve(`${file}: ${e.message}`));
      child.once('exit', (code, signal) =>
        resolve(
          code === 0 ? null : `${file} ${signal ? `killed by ${signal}` : `exited with ${code}`}`,
        ),
      );
    });
  } finally {
    if (handle && !handle.reading && handle.readStart) {
      handle.reading = true;
      handle.readStart();
    }
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    if (hadOwnWrite) stdout.write = ownWrite;
    else delete (stdout as { write?: unknown }).write;
    write(CLEAR_SCREEN);
    opts.term.clearFrame();
    active--;
  }
}
