/**
 * laneboard's own directory `<config dir>/.laneboard` (board state, control socket, the
 * default bridges `lanes/<id>/`) never shows in `git status`, even when lanes.yaml lives
 * inside a worktree (the usual place: `laneboard init` at a repository's root). README
 * promise: bridge writes never make a worktree dirty. Whenever laneboard creates a
 * directory at or under a `.laneboard` directory it first puts a `.gitignore` holding `*`
 * there (git ignores the directory's whole content, that file included; the same trick as
 * pytest's and ruff's cache dirs). Nothing in the repository itself is touched, and an
 * existing `.gitignore` there (the operator's) is left alone.
 */
import { constants as fsc } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { OWN_DIR, STATE_FILE } from '../../state/state-files.js';
import { assertInBridge } from './anchor.js';

/** Content of `<own dir>/.gitignore`. */
const OWN_GITIGNORE =
  '# written by laneboard: board state and bridges, never part of a repository\n*\n';

/** The nearest `.laneboard` directory at or above `dir`, or null. */
function ownDirOf(dir: string): string | null {
  let at = path.resolve(dir);
  for (;;) {
    if (path.basename(at) === OWN_DIR) return at;
    const up = path.dirname(at);
    if (up === at) return null;
    at = up;
  }
}

/**
 * Create `dir` (and parents) like `mkdir -p`, keeping the `.laneboard` directory at or above
 * it out of git (module doc).
 * @param mode permission bits of created directories (e.g. 0o700 for the state dir).
 * @throws the `mkdir` error; a failure to write the `.gitignore` is ignored (read-only
 *   place, something else at the name: laneboard still works, the directory may show in
 *   `git status`).
 */
export async function makeOwnDir(dir: string, mode?: number): Promise<void> {
  const own = ownDirOf(dir);
  if (own !== null) {
    await mkdir(own, { recursive: true, ...(mode === undefined ? {} : { mode }) });
    const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW | fsc.O_NONBLOCK;
    try {
      const fh = await open(path.join(own, STATE_FILE.gitignore), flags, 0o644);
      await fh.writeFile(OWN_GITIGNORE).finally(() => fh.close());
    } catch {
      // EEXIST (already there, or the operator's own file), EROFS, EACCES: left as it is.
    }
  }
  await mkdir(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
}

/**
 * Prepare a lane's bridge dir for a write: create it ({@link makeOwnDir}), then check that
 * it leads nowhere outside the bridge (./anchor.ts).
 * @throws the `mkdir` error, or {@link import('./anchor.js').BridgeEscapeError}.
 */
export async function prepareBridgeDir(dir: string): Promise<void> {
  assertInBridge(dir);
  await makeOwnDir(dir);
  assertInBridge(dir);
}
