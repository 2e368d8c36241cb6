/**
 * Where the board's lanes come from: the lanes.yaml named by `--config` (or `./lanes.yaml`
 * when it exists), else zero-config discovery of the git repository around the working
 * directory (src/cli/discover.ts).
 */
import { pathExists } from '../runtime/path-exists.js';
import path from 'node:path';
import type { BoardConfig } from '../state/config-types.js';
import { discover, discoveredBanner, discoveredConfig, nothingHereMessage } from './discover.js';
import { prepareConfig, withRealpaths } from './prepare.js';

/** Thrown when there is neither a lanes.yaml nor a repository; the CLI exits 2 with `message`. */
export class NothingToShowError extends Error {
  override readonly name = 'NothingToShowError';
}

/** The board's config and how it was obtained. */
export interface ConfigSource {
  readonly config: BoardConfig;
  /** `file`: a lanes.yaml was loaded; `discovered`: lanes are the repository's worktrees. */
  readonly origin: 'file' | 'discovered';
  /** For a discovered board: the header line saying so and how to keep it; else null. */
  readonly banner: string | null;
}

/**
 * Load the board's config.
 * @param file the `--config` value (relative to `cwd` or absolute).
 * @param explicit true when the operator gave `--config` (then the file must exist: no discovery).
 * @param cwd working directory (discovery starts here; a discovered board keeps its state
 *   in `<cwd>/.laneboard`, where `laneboard init` would put lanes.yaml).
 * @throws ConfigError for a bad or missing explicit lanes.yaml; {@link NothingToShowError}
 *   when `file` is absent, not explicit, and `cwd` is not inside a git repository.
 */
export async function loadConfigSource(
  file: string,
  explicit: boolean,
  cwd: string = process.cwd(),
): Promise<ConfigSource> {
  const abs = path.resolve(cwd, file);
  if (explicit || (await pathExists(abs))) {
    return { config: await prepareConfig(abs), origin: 'file', banner: null };
  }
  const d = await discover(cwd);
  if (d === null) throw new NothingToShowError(nothingHereMessage(cwd));
  const config = await withRealpaths(discoveredConfig(d, cwd));
  return { config, origin: 'discovered', banner: discoveredBanner(d) };
}
