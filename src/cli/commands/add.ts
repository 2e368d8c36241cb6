/**
 * `laneboard add <id>`: create a lane — the branch from its base and the worktree
 * (`git worktree add`), the optional worktree setup (`settings.worktree_setup`: copy the
 * listed git-ignored files from the main worktree, then run the command in the new
 * worktree), and the lane's entry appended to lanes.yaml with every comment and the
 * layout kept (src/config/edit-lanes.ts). A running board or `serve` sees the change to
 * lanes.yaml and starts the lane (live reload); `add` waits for that over the control
 * endpoint and says so (./lanes-runtime.ts).
 *
 * Defaults: branch = id; base = `defaults.base` of lanes.yaml, else the repository's
 * default branch; repo = the first lane's; path = a sibling folder of the repository,
 * `<parent>/<repo name>-<id>` (for a bare repository named `.bare`/`.git`, `<parent>/<id>`).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { pathExists } from '../../runtime/path-exists.js';
import path from 'node:path';
import { execa } from 'execa';
import { parseDocument } from 'yaml';
import { loadConfig, parseConfig } from '../../config/index.js';
import { appendLane } from '../../config/edit-lanes.js';
import { branchName, laneId, refName } from '../../config/schema.js';
import type { BoardConfig, LaneConfig } from '../../state/config-types.js';
import { ensureWorktree, runGit } from '../../runtime/git/index.js';
import { defaultBranch } from '../discover.js';
import { relativePath } from './init-text.js';
import { CommandError, readLanesText, writeLanesText } from './lanes-file.js';
import { awaitPickedUp, runtimeOf } from './lanes-runtime.js';

/** Options of {@link runAdd} (the command line's flags). */
export interface AddOptions {
  readonly id: string;
  readonly branch?: string;
  readonly base?: string;
  /** Worktree directory (relative to `cwd`). */
  readonly path?: string;
  /** Worker command, written as a string (run with `/bin/sh -c`). */
  readonly command?: string;
  /** lanes.yaml (relative to `cwd`). */
  readonly config: string;
  readonly cwd?: string;
  /** Where progress lines go. @default process.stderr */
  readonly log?: (line: string) => void;
  /**
   * Capture the setup command's output instead of passing it to stderr (the board: its
   * terminal belongs to Ink); its last lines then go into the failure message.
   */
  readonly quietSetup?: boolean;
}

/** What {@link runAdd} did. */
export interface AddResult {
  readonly lane: LaneConfig;
  /** Problems of the worktree setup (the lane is added anyway); empty when all went well. */
  readonly setupProblems: readonly string[];
}

/** The documented default worktree path for lane `id` of `repo`. */
function defaultWorktreePath(repo: string, id: string): string {
  const name = path.basename(repo).replace(/\.git$/, '');
  const parent = path.dirname(repo);
  return name === '' || name.startsWith('.')
    ? path.join(parent, id)
    : path.join(parent, `${name}-${id}`);
}

function check<T>(
  parser: { safeParse(v: unknown): { success: boolean; data?: T } },
  v: string,
  what: string,
): T {
  const r = parser.safeParse(v);
  if (!r.success) throw new CommandError(`${what} ${JSON.stringify(v)} is not usable`, 2);
  return r.data as T;
}

/** The string at `defaults.<key>` written in lanes.yaml, if any. */
function writtenDefault(text: string, key: string): string | undefined {
  const v: unknown = parseDocument(text).getIn(['defaults', key]);
  return typeof v === 'string' ? v : undefined;
}

/**
 * Copy the listed git-ignored files from `from` (the main worktree) to `to`, then run
 * the setup command in `to`. Never throws; returns one line per problem.
 */
async function setupWorktree(
  config: BoardConfig,
  from: string | null,
  to: string,
  log: (l: string) => void,
  quiet: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const { command, copy } = config.settings.worktreeSetup;
  for (const rel of copy) {
    const norm = path.normalize(rel);
    if (path.isAbsolute(norm) || norm.startsWith('..')) {
      problems.push(`worktree_setup.copy: ${rel} is outside the worktree; not copied`);
      continue;
    }
    if (from === null) {
      problems.push(
        `worktree_setup.copy: the repository is bare (no main worktree); ${rel} not copied`,
      );
      continue;
    }
    const src = path.join(from, norm);
    if (!(await pathExists(src))) continue;
    const ignored = await runGit(['check-ignore', '-q', '--', norm], {
      cwd: from,
      timeoutMs: 10_000,
    });
    if (!ignored.ok) {
      problems.push(
        `worktree_setup.copy: ${rel} is not git-ignored (the checkout has it); not copied`,
      );
      continue;
    }
    try {
      await mkdir(path.dirname(path.join(to, norm)), { recursive: true });
      await copyFile(src, path.join(to, norm));
      log(`copied ${rel}`);
    } catch (err) {
      problems.push(`worktree_setup.copy: cannot copy ${rel}: ${(err as Error).message}`);
    }
  }
  if (command !== null && command.length > 0) {
    log(`running ${command.join(' ')} in ${to}`);
    const [file, ...args] = command;
    const out = quiet ? 'pipe' : process.stderr;
    const r = await execa(file ?? '', args, {
      cwd: to,
      reject: false,
      stdin: 'ignore',
      stdout: out,
      stderr: out,
      all: quiet,
    });
    if (r.failed) {
      const tail =
        quiet && typeof r.all === 'string' ? r.all.trim().split('\n').slice(-3).join(' / ') : '';
      problems.push(`worktree_setup.command failed: ${r.shortMessage}${tail ? `: ${tail}` : ''}`);
    }
  }
  return problems;
}

/**
 * Add lane `opts.id`. Order: validate everything, create the worktree, set it up, then
 * append the lanes.yaml entry (so a running board never sees a lane without its worktree).
 * @throws {CommandError} exit 2 for a bad id/branch/ref, a missing or broken lanes.yaml,
 *   a taken id or an existing path; exit 1 when `git worktree add` fails.
 */
export async function runAdd(opts: AddOptions): Promise<AddResult> {
  const cwd = opts.cwd ?? process.cwd();
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const file = path.resolve(cwd, opts.config);
  const id = check<string>(laneId, opts.id, 'lane id');
  const text = await readLanesText(file);
  const config = await loadConfig(file);
  if (config.lanes.some((l) => l.id === id))
    throw new CommandError(`lane '${id}' is already in ${file}`, 2);
  const repo = config.lanes[0]?.repo;
  if (repo === undefined)
    throw new CommandError(`${file} has no lanes to take the repository from`, 2);
  const branch = check<string>(branchName, opts.branch ?? id, 'branch');
  const inherited = writtenDefault(text, 'base');
  const base = check<string>(
    refName,
    opts.base ?? inherited ?? (await defaultBranch(repo)),
    'base ref',
  );
  const worktree =
    opts.path !== undefined ? path.resolve(cwd, opts.path) : defaultWorktreePath(repo, id);
  if (await pathExists(worktree))
    throw new CommandError(`${worktree} already exists; choose another --path`, 2);

  const entry: Record<string, unknown> = { id };
  if (writtenDefault(text, 'repo') === undefined) entry.repo = relativePath(config.dir, repo);
  entry.worktree = relativePath(config.dir, worktree);
  entry.branch = branch;
  if (opts.base !== undefined || inherited === undefined) entry.base = base;
  if (opts.command !== undefined) entry.command = opts.command;
  const next = appendLane(text, entry);
  // Validate before touching git: the new file must load (repos are already checked).
  const nextConfig = parseConfig(next, file, { checkRepos: false });
  const lane = nextConfig.lanes.find((l) => l.id === id);
  if (lane === undefined)
    throw new CommandError(`internal: lane '${id}' missing after the edit`, 2);

  const made = await ensureWorktree(
    { ...lane, createWorktree: true },
    { timeoutMs: Math.max(config.settings.gitTimeoutMs, 30_000) },
  );
  if (!made.ok) throw new CommandError(made.error, 1);
  log(`created worktree ${worktree} (branch ${branch} from ${base})`);
  const main = await mainWorktree(repo);
  const setupProblems = await setupWorktree(config, main, worktree, log, opts.quietSetup === true);
  const runtime = await runtimeOf(config);
  await writeLanesText(file, next);
  log(`added lane ${id} to ${file}`);
  if (runtime !== null) {
    await awaitPickedUp(runtime, id, lane.command !== null && lane.autostart, log);
  }
  return { lane, setupProblems };
}

/** The main worktree of `repo` (its top level), or null for a bare repository. */
async function mainWorktree(repo: string): Promise<string | null> {
  const r = await runGit(['rev-parse', '--is-bare-repository'], { cwd: repo, timeoutMs: 10_000 });
  return r.ok && r.stdout.trim() === 'true' ? null : repo;
}
