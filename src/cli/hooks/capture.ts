/**
 * The capture hook command: a POSIX shell one-liner that appends one hook payload (stdin)
 * to a lane's `hook-events.jsonl` as one line `{"received_at":"<ISO-8601 ms, UTC>",
 * "payload":<stdin>}` and exits 0, printing nothing. It runs in a few milliseconds (no Node
 * start-up); the runtime does all interpretation (src/state/dialects/events.ts unwraps the
 * line).
 *
 * Surviving the teardown (Claude Code 2.1.330, `-p`, measured with strace): after a
 * `StopFailure` the client sends SIGTERM to the hook's process group 18–260 ms after it
 * spawned it, and SIGKILL about 1.3 s later, when it exits. A hook still running at the
 * SIGTERM was lost (about 1 run in 15 under load). So the first statement of both the
 * outer command and the script is `trap '' HUP INT TERM`: the hook ignores SIGTERM (its
 * children `date` and `tr` inherit the ignored disposition), which leaves it the ~1.3 s
 * until the SIGKILL for a job of a few milliseconds. Only a SIGTERM within the first
 * millisecond (before the shell has run its first statement) could still stop it.
 *
 * Line integrity: raw newlines are removed from the payload (JSON escapes newlines inside
 * strings, so only insignificant whitespace goes), the whole line (newline included) is
 * built in one shell parameter and written by one `printf %s` to a file opened with
 * O_APPEND. dash writes it with a single write(2) whatever its size (checked with strace);
 * bash splits only past 96 KiB. A single O_APPEND write(2) to a local regular file is never
 * interleaved with another, so concurrent hooks never tear a line. An empty stdin records
 * `"payload":null` (shown as a read problem of that line); stdin that is not JSON makes
 * the line unparsable, which the board also shows on the lane — the bytes stay on disk.
 * When the bridge directory is missing it is created and the append retried.
 * `date +%3N` is GNU; elsewhere the time is unparsable and the board falls back to the
 * moment it read the line.
 */

/** Marker in every capture command (the `$0` of its `sh -c`), used to find our entries. */
export const CAPTURE_MARK = 'laneboard-capture';

/** Quote one argument for a POSIX shell (single quotes). */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell program (run as `sh -c <program> laneboard-capture <events file>`). It keeps
 * its values in the positional parameters and never writes `$name` or `${…}`: Gemini CLI
 * expands `$NAME`, `${NAME}` and `${NAME:-default}` in every string of its settings file
 * from its own environment before it runs a hook (0.61.0, `resolveEnvVarsInString`), which
 * turned an earlier `${p:-null}` into `null` (every payload lost) and would have replaced
 * `$p` by a user's variable `p`. `$1`…`$3` survive it (no variable is named `1`), and
 * `$(` is not expanded.
 */
const CAPTURE_SCRIPT = [
  "trap '' HUP INT TERM",
  'set -- "$1" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ 2>/dev/null)" "$(tr -d "\\n\\r")"',
  '[ -n "$3" ] || set -- "$1" "$2" null',
  'set -- "$1" "{\\"received_at\\":\\"$2\\",\\"payload\\":$3}\n"',
  '{ printf %s "$2" >>"$1"; } 2>/dev/null || { mkdir -p "$(dirname "$1")" && printf %s "$2" >>"$1"; }',
  'exit 0',
].join('; ');

/**
 * The hook command line appending to `eventsFile` (an absolute path): `trap '' HUP INT
 * TERM; sh -c '<script>' laneboard-capture '<eventsFile>'`, every part single-quoted for
 * the agent's shell (the agent runs it with `/bin/sh -c`).
 */
export function captureCommand(eventsFile: string): string {
  return `trap '' HUP INT TERM; sh -c ${shQuote(CAPTURE_SCRIPT)} ${CAPTURE_MARK} ${shQuote(eventsFile)}`;
}
