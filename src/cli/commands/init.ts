/**
 * `laneboard init`: write a commented lanes.yaml for the worktrees of the repository
 * around the working directory (text: ./init-text.ts). Refuses (exit 2) to overwrite an
 * existing file and outside a repository. Also creates the state dir `.laneboard/` beside
 * it with a `.gitignore` of `*`, so the lanes' bridge files never dirty the worktree. Exit codes: 0 written, 2 refused.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discover, nothingHereMessage } from '../discover.js';
import { CommandError } from './lanes-file.js';
import { makeOwnDir } from '../../runtime/bridge/own-dir.js';
import { OWN_DIR } from '../../state/state-files.js';
import { initText } from './init-text.js';

/**
 * Write lanes.yaml at `file` (relative to `cwd`) for the repository around `cwd`.
 * @returns the absolute path written and the number of lanes.
 * @throws {CommandError} (exit 2) when the file exists, `cwd` is not in a repository, or
 *   the repository has no worktree (a bare repository without linked worktrees).
 */
export async function runInit(
  file: string,
  cwd: string = process.cwd(),
): Promise<{ file: string; lanes: number }> {
  const abs = path.resolve(cwd, file);
  const d = await discover(cwd);
  if (d === null)
    throw new CommandError(
      nothingHereMessage(cwd)
        .replace(/^laneboard: /, '')
        .trimEnd(),
      2,
    );
  if (d.worktrees.length === 0) {
    throw new CommandError(
      `${d.repo} has no worktrees yet; create one with \`git worktree add\`, then run \`laneboard init\``,
      2,
    );
  }
  const text = initText(d, path.dirname(abs));
  try {
    await writeFile(abs, text, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new CommandError(
        `${abs} already exists; not overwritten (edit it, or remove it and run \`laneboard init\` again)`,
        2,
      );
    }
    throw new CommandError(`cannot write ${abs}: ${(err as Error).message}`, 2);
  }
  // The state dir beside it (bridges, socket, record) never dirties the worktree.
  await makeOwnDir(path.join(path.dirname(abs), OWN_DIR), 0o700).catch(() => undefined);
  return { file: abs, lanes: d.worktrees.length };
}
