/**
 * A bridge directory never leads the board's writes out of the bridge (issue #12 item 5,
 * the directory half; ./safe-write.ts refuses links at the file names). A worker owns its
 * bridge directory and may delete it and put a symlink in its place (or swap a parent
 * directory for one), after which `<bridge>/worker.log` or `inbox.jsonl` would be created
 * or appended wherever the link points: another repository's worktree, `/etc`.
 *
 * Before each write the directory's real path is checked:
 *
 * - **Anchored.** The first real path this process sees for a bridge path is kept; a later
 *   different one (the directory or a parent was replaced by a symlink) is refused. An
 *   operator who moves a bridge on purpose restarts the board.
 * - **The default place is never a symlink.** `<config dir>/.laneboard/lanes/<id>` is
 *   laneboard's own directory; a symlink there was planted, even before this process
 *   started. (A bridge written in lanes.yaml may be a symlink: lanes.yaml is checked with
 *   symlinks resolved at load, ../../config/bridge-check.ts.)
 * - **Never the root or a system directory** (the list of ../../config/bridge-check.ts).
 *
 * A refused write throws {@link BridgeEscapeError}; callers report its message on the
 * lane (`bridge_error`, "bridge writes: …"). The check and the `open` are two system calls:
 * a swap in between is not caught (Node has no `openat`); the next write catches it.
 */
import path from 'node:path';
import { isWithin, realish, SYSTEM_DIRS } from '../../config/bridge-check.js';
import { LANES_DIR, OWN_DIR } from '../../state/state-files.js';

/** Real path of each bridge dir, as first seen by this process (bridge path → real path). */
const anchors = new Map<string, string>();

/** A write refused because the bridge dir leads outside the bridge (code `EBRIDGEESCAPE`). */
class BridgeEscapeError extends Error {
  readonly code = 'EBRIDGEESCAPE';
}

/** True for a {@link BridgeEscapeError} (also across module copies: by `code`). */
export function isBridgeEscape(e: unknown): e is BridgeEscapeError {
  return (e as { code?: unknown } | null)?.code === 'EBRIDGEESCAPE';
}

/** Is `dir` the default bridge place `…/.laneboard/lanes/<id>`? */
export function isDefaultBridge(dir: string): boolean {
  const parts = path.resolve(dir).split(path.sep);
  const n = parts.length;
  return n >= 4 && parts[n - 2] === LANES_DIR && parts[n - 3] === OWN_DIR;
}

function refuse(dir: string, why: string): never {
  throw new BridgeEscapeError(`bridge dir ${dir} ${why}; nothing written there`);
}

/**
 * Check that writing a file in the bridge dir `dir` stays in the bridge (module doc).
 * @param dir absolute bridge directory path (as configured).
 * @returns (nothing) when the write may go ahead. A `dir` that does not exist (yet) is judged by
 *   its nearest existing ancestor's real path plus the missing rest, so `mkdir -p` is
 *   never led through a parent swapped for a symlink either.
 * @throws {BridgeEscapeError} when `dir` now resolves somewhere else than it first did, is
 *   a symlink at the default place, or resolves to `/` or a system directory. Never
 *   throws anything else.
 */
export function assertInBridge(dir: string): void {
  const abs = path.resolve(dir);
  const real = realish(abs);
  const shown = JSON.stringify(real);
  const first = anchors.get(abs);
  if (first !== undefined && first !== real) {
    refuse(
      abs,
      `now leads to ${shown}, not ${JSON.stringify(first)}: it or a parent directory was replaced by a symlink`,
    );
  }
  if (real === path.parse(real).root) refuse(abs, 'leads to the filesystem root');
  const sys = SYSTEM_DIRS.find((d) => isWithin(real, d));
  if (sys !== undefined) refuse(abs, `leads to ${shown}, in the system directory ${sys}`);
  if (isDefaultBridge(abs)) {
    const own = path.join(realish(path.dirname(abs)), path.basename(abs));
    if (own !== real) refuse(abs, `is a symlink to ${shown}, at laneboard's own place`);
  }
  if (first === undefined) anchors.set(abs, real);
}
