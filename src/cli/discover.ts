/**
 * Zero-config discovery: with no lanes.yaml, the git repository around the working
 * directory becomes the board — every worktree an observe-only lane. Also the facts
 * `laneboard init` and `laneboard add` need (the repository, its worktrees, its default
 * branch). Reads git only (`git worktree list --porcelain -z`, `git for-each-ref`,
 * `git rev-parse`); writes nothing.
 */
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../state/config-types.js';
import type { BoardConfig, LaneConfig } from '../state/config-types.js';
import {
  DEFAULT_CONFIG_NAME,
  DISCOVERED_STATE_DIR,
  LANES_DIR,
  OWN_DIR,
} from '../state/state-files.js';
import { runGit } from '../runtime/git/index.js';

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  /** Absolute path of the worktree (for the bare entry: of the bare repository). */
  readonly path: string;
  /** Full sha of HEAD, or null (bare entry, unborn branch). */
  readonly head: string | null;
  /** Short branch name (`refs/heads/` stripped), or null when detached / bare. */
  readonly branch: string | null;
  /** The bare repository's own entry (not a worktree; never a lane). */
  readonly bare: boolean;
  /** git marks the worktree prunable (its directory is gone). */
  readonly prunable: boolean;
}

/**
 * Parse `git worktree list --porcelain -z` output: records of NUL-terminated
 * `key[ value]` fields, each record ended by an empty field (git-worktree(1), "Porcelain
 * Format"). Unknown keys are ignored; a record without `worktree` is dropped.
 */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let cur: {
    path?: string;
    head: string | null;
    branch: string | null;
    bare: boolean;
    prunable: boolean;
  } = { head: null, branch: null, bare: false, prunable: false };
  const flush = (): void => {
    if (cur.path !== undefined) entries.push({ ...cur, path: cur.path });
    cur = { head: null, branch: null, bare: false, prunable: false };
  };
  for (const field of out.split('\0')) {
    if (field === '') {
      flush();
      continue;
    }
    const sp = field.indexOf(' ');
    const key = sp < 0 ? field : field.slice(0, sp);
    const value = sp < 0 ? '' : field.slice(sp + 1);
    if (key === 'worktree') cur.path = value;
    else if (key === 'HEAD') cur.head = /^0+$/.test(value) ? null : value;
    else if (key === 'branch') cur.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare') cur.bare = true;
    else if (key === 'prunable') cur.prunable = true;
  }
  flush();
  return entries;
}

/**
 * Lane ids for worktree paths: the directory name reduced to `[A-Za-z0-9._-]` (other
 * characters become `-`, at most 60 characters, `lane` when nothing is left), made unique
 * by suffixes `-2`, `-3`… in list order. Output has the input's length and order.
 */
export function laneIdsFor(paths: readonly string[]): string[] {
  const used = new Set<string>();
  return paths.map((p) => {
    let base = path
      .basename(p)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 60);
    if (base === '' || base === '.' || base === '..' || /^-+$/.test(base)) base = 'lane';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/** What discovery found around a directory. */
export interface Discovery {
  /** The repository: the main worktree's path, or the bare repository's. */
  readonly repo: string;
  /** The repository is bare (its worktrees are all linked worktrees). */
  readonly bare: boolean;
  /** The default branch as a ref: `origin/main` (remote HEAD), else `main` / `master`. */
  readonly base: string;
  /** Worktrees (the bare entry excluded), in git's order (main worktree first). */
  readonly worktrees: readonly WorktreeEntry[];
  /** Absolute git common directory (`.git` of the main worktree, or the bare repository). */
  readonly commonDir: string;
}

const GIT_TIMEOUT_MS = 10_000;

/**
 * The repository's default branch: the symbolic target of a remote's HEAD
 * (`refs/remotes/<remote>/HEAD`, `origin` preferred) as `<remote>/<branch>`; else the
 * local `main`, else `master`; else `main` (the board then shows the base as unknown).
 * @param cwd any directory inside the repository.
 */
export async function defaultBranch(cwd: string): Promise<string> {
  const r = await runGit(
    ['for-each-ref', '--format=%(refname)%00%(symref:short)', 'refs/remotes/'],
    { cwd, timeoutMs: GIT_TIMEOUT_MS },
  );
  if (r.ok) {
    const heads = r.stdout
      .split('\n')
      .map((l) => l.split('\0'))
      .filter(
        ([ref, target]) => ref?.endsWith('/HEAD') === true && target !== undefined && target !== '',
      );
    const origin = heads.find(([ref]) => ref === 'refs/remotes/origin/HEAD');
    const pick = origin ?? heads[0];
    if (pick?.[1] !== undefined) return pick[1];
  }
  for (const name of ['main', 'master']) {
    const v = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], {
      cwd,
      timeoutMs: GIT_TIMEOUT_MS,
    });
    if (v.ok) return name;
  }
  return 'main';
}

/**
 * Discover the repository around `cwd`.
 * @returns null when `cwd` is not inside a git repository (or git is missing); otherwise
 *   the repository, its default branch and its worktrees. Never rejects.
 */
export async function discover(cwd: string): Promise<Discovery | null> {
  const list = await runGit(['worktree', 'list', '--porcelain', '-z'], {
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
  });
  if (!list.ok) return null;
  const entries = parseWorktreeList(list.stdout);
  const first = entries[0];
  if (first === undefined) return null;
  const common = await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
  });
  if (!common.ok) return null;
  return {
    commonDir: common.stdout.trim(),
    repo: first.path,
    bare: first.bare,
    base: await defaultBranch(cwd),
    worktrees: entries.filter((e) => !e.bare),
  };
}

/**
 * The board config for a discovery: one observe-only lane per worktree (id from the
 * directory name, branch as checked out — `HEAD` when detached —, base the default
 * branch, bridge at the default place `<dir>/.laneboard/lanes/<id>`), default settings.
 * Board state (the supervisor record) goes to `<git common dir>/laneboard`, so a
 * discovered board writes nothing into any worktree (none turns dirty by looking at it).
 * @param dir the directory a lanes.yaml would live in (the working directory): `file` is
 *   `<dir>/lanes.yaml` (not written).
 */
export function discoveredConfig(d: Discovery, dir: string): BoardConfig {
  const ids = laneIdsFor(d.worktrees.map((w) => w.path));
  const lanes: LaneConfig[] = d.worktrees.map((w, i) => {
    const id = ids[i] ?? `lane-${i + 1}`;
    return {
      id,
      repo: d.repo,
      worktree: w.path,
      branch: w.branch ?? 'HEAD',
      base: d.base,
      command: null,
      env: {},
      bridge: path.join(dir, OWN_DIR, LANES_DIR, id),
      autostart: false,
      restart: 'on-failure',
      steer: { mode: 'inbox' },
      createWorktree: false,
      dialect: 'auto',
      requiredLevel: 'package',
    };
  });
  return {
    file: path.join(dir, DEFAULT_CONFIG_NAME),
    dir,
    stateDir: path.join(d.commonDir, DISCOVERED_STATE_DIR),
    settings: DEFAULT_SETTINGS,
    lanes,
  };
}

/** The line shown in the board header and as a `--json` notice for a discovered board. */
export function discoveredBanner(d: Discovery): string {
  const n = d.worktrees.length;
  return `discovered ${n} worktree${n === 1 ? '' : 's'} of ${d.repo} (no lanes.yaml; run \`laneboard init\` to keep them)`;
}

/** Message (and exit 2) when there is neither a lanes.yaml nor a repository around `cwd`. */
export function nothingHereMessage(cwd: string): string {
  return (
    `laneboard: no lanes.yaml in ${cwd}, and ${cwd} is not inside a git repository.\n` +
    '  Either run laneboard inside a git repository (each of its worktrees becomes a lane;\n' +
    '  `laneboard init` there writes a lanes.yaml to keep them),\n' +
    '  or give it a lanes.yaml: laneboard --config path/to/lanes.yaml (reference: docs/lanes-yaml.md).\n'
  );
}
