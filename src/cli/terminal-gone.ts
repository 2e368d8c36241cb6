/**
 * A board whose terminal went away (tmux kill-session, an ssh drop, a closed window) must
 * exit cleanly with its exit code (129, as after SIGHUP). Two things go wrong otherwise:
 *
 * - Node restores the terminal mode of fds 0–2 at exit (`ResetStdio` in node.cc:
 *   `tcsetattr` on each fd that was a TTY at startup) and aborts the process when that
 *   fails with anything but EPERM — which it does with EIO once the terminal is gone, so
 *   the board died with 134/139 instead of its own code. `ResetStdio` skips a descriptor
 *   that was closed or now refers to another file, so the board releases the dead
 *   terminal's descriptors before it exits ({@link releaseTerminal}).
 * - The hangup does not always reach the board: the kernel sends SIGHUP to the session
 *   leader (and the foreground process group when that leader exits); a board started
 *   from a script or a shell that ignores SIGHUP (`trap '' HUP`, `nohup`) only sees its
 *   stdin end or fail with EIO. {@link onTerminalLost} turns that into the same exit.
 */
import { closeSync, openSync } from 'node:fs';

/**
 * Is the controlling terminal gone? True when stdin is a TTY whose mode can no longer be
 * set (`setRawMode(false)` fails, EIO after a hangup). False when stdin is not a TTY (then
 * Node restores nothing) or the terminal answers.
 */
export function terminalGone(): boolean {
  const stdin = process.stdin as NodeJS.ReadStream & { setRawMode?: (raw: boolean) => void };
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return false;
  try {
    stdin.setRawMode(false);
    return false;
  } catch {
    return true;
  }
}

/** Error codes of a read from a terminal that is gone (hung up, master side closed). */
const LOST_CODES = new Set(['EIO', 'ENXIO', 'EBADF', 'ENOTTY']);

/**
 * Call `lost` once when the board's terminal stdin ends (EOF: the pty hung up) or fails
 * with EIO/ENXIO/EBADF/ENOTTY — the terminal went away although no SIGHUP arrived.
 * Nothing happens when `stdin` is not a TTY (a board never reads a pipe). Other read
 * errors are ignored (as before: a stream 'error' must not crash the board).
 * @returns A function that removes the listeners.
 */
export function onTerminalLost(stdin: NodeJS.ReadStream, lost: () => void): () => void {
  if (!stdin.isTTY) return () => undefined;
  let fired = false;
  const fire = (): void => {
    if (fired) return;
    fired = true;
    lost();
  };
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== undefined && LOST_CODES.has(err.code)) fire();
  };
  stdin.on('end', fire);
  stdin.on('error', onError);
  return () => {
    stdin.off('end', fire);
    stdin.off('error', onError);
  };
}

/**
 * Point fds 0–2 at `/dev/null` (close each, reopen: the lowest free fd is reused) so that
 * Node's exit-time terminal reset skips them. Call only when the terminal is gone (or after
 * a hangup), right before exiting: later writes to stdout/stderr go nowhere. Never throws.
 */
export function releaseTerminal(): void {
  for (const fd of [0, 1, 2]) {
    try {
      closeSync(fd);
      openSync('/dev/null', fd === 0 ? 'r' : 'w');
    } catch {
      // already closed, or /dev/null missing: a closed fd is skipped by the reset too
    }
  }
}
