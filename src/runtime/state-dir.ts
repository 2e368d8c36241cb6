/**
 * The config's state dir (`<config dir>/.laneboard`: control socket, supervisor record,
 * default bridge dirs): created with mode 0700 and given a `.gitignore` holding `*`, so
 * nothing laneboard or a worker writes there ever shows up in `git status` of the
 * worktree that holds lanes.yaml (README: bridge writes never dirty a worktree).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Content of the state dir's `.gitignore`: ignore everything in it, itself included. */
export const STATE_DIR_GITIGNORE =
  '# laneboard state (sockets, records, bridge files); never committed\n*\n';

/**
 * Create `stateDir` (mode 0700, parents as needed) and its `.gitignore` when it has none
 * (an existing one is left as it is). Rejects with the file system error when the
 * directory cannot be created; a `.gitignore` that cannot be written is skipped.
 */
export async function ensureStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700).catch(() => undefined);
  await writeFile(join(stateDir, '.gitignore'), STATE_DIR_GITIGNORE, { flag: 'wx' }).catch(
    () => undefined,
  );
}
