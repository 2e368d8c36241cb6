/**
 * Bridge directories that would dirty a repository or write into the system are refused
 * in lanes.yaml: the board writes `worker.log`, `inbox.jsonl` and rotated logs into every
 * bridge, so a bridge at `/`, in a system directory, or inside a worktree (the lane's own,
 * another lane's, the repository's main worktree or any linked worktree of the repository)
 * would leave files behind there — an untracked file in the user's repository. Only a
 * bridge written in lanes.yaml (`lanes[i].bridge` or `defaults.bridge`) is checked; the
 * default `<config dir>/.laneboard/lanes/<id>` is the operator's choice of config place.
 *
 * Paths under a worktree's `.git` directory are allowed (they never show in `git status`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PathIssue } from './issues.js';
import type { ResolvedLane } from './resolve.js';
import { quote } from './text.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** Directories (and everything under them) that are never a bridge: system trees. */
export const SYSTEM_DIRS: readonly string[] = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/proc',
  '/sbin',
  '/sys',
  '/usr',
];

/** Is `child` equal to `parent` or below it (both absolute, normalized)? */
export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** `child` within `parent`, but not under `parent/.git` (git's own files never dirty it). */
function dirtiesWorktree(child: string, parent: string): boolean {
  if (!isWithin(child, parent)) return false;
  const first = path.relative(parent, child).split(path.sep)[0];
  return first !== '.git';
}

/**
 * The real path of `p` (absolute): symlinks of its nearest existing ancestor resolved, the
 * missing rest appended. Never throws (returns `p` when nothing can be resolved).
 */
export function realish(p: string): string {
  let head = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...rest.reverse());
    } catch {
      const up = path.dirname(head);
      if (up === head) return p;
      rest.push(path.basename(head));
      head = up;
    }
  }
}

function readText(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Every working tree of the repository at `repo` (absolute): the main worktree and each
 * linked worktree recorded in `<common git dir>/worktrees/<name>/gitdir` (git's worktree
 * layout, git-worktree(1)). Reads a few small files; never throws, never runs git.
 * @returns absolute paths, `repo` itself always first.
 */
function repoWorktrees(repo: string): string[] {
  const out = [repo];
  let gitDir = path.join(repo, '.git');
  const dotGit = readText(gitDir);
  if (dotGit !== null) {
    const m = /^gitdir:\s*(.+)$/m.exec(dotGit);
    if (!m?.[1]) return out;
    gitDir = path.resolve(repo, m[1].trim());
  } else if (!fs.existsSync(gitDir)) {
    gitDir = repo; // bare repository
  }
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common !== null ? path.resolve(gitDir, common.trim()) : gitDir;
  if (path.basename(commonDir) === '.git') out.push(path.dirname(commonDir));
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(commonDir, 'worktrees'));
  } catch {
    return out;
  }
  for (const name of names) {
    const g = readText(path.join(commonDir, 'worktrees', name, 'gitdir'));
    if (g !== null && g.trim() !== '') out.push(path.dirname(path.resolve(commonDir, g.trim())));
  }
  return out;
}

/**
 * Check each lane's written bridge directory.
 * @param lanes resolved lanes (all paths absolute).
 * @param useFs also resolve symlinks and read each repository's linked worktrees (false:
 *   pure path arithmetic against `/`, system dirs, lane worktrees and repos).
 * @returns one issue per refused bridge, at the written `bridge` value (a shared
 *   `defaults.bridge` is reported once).
 */
export function bridgeIssues(lanes: readonly ResolvedLane[], useFs: boolean): PathIssue[] {
  const issues: PathIssue[] = [];
  // Only written bridges are checked: without one there is nothing to read (at 500 lanes
  // the worktree listing below costs seconds when done for nothing).
  if (lanes.every((r) => r.bridgePath === null)) return issues;
  const reported = new Set<string>();
  const real = useFs ? realish : (p: string): string => p;
  const trees: { dir: string; what: string }[] = [];
  const seenTree = new Set<string>();
  const addTree = (dir: string, what: string): void => {
    const r = real(dir);
    if (seenTree.has(r)) return;
    seenTree.add(r);
    trees.push({ dir: r, what });
  };
  const listed = new Set<string>();
  for (const { lane } of lanes) {
    addTree(lane.worktree, `the worktree of lane ${quote(lane.id)}`);
    addTree(lane.repo, `the repository ${quote(lane.repo, 200)}`);
    // Each repository's worktrees once (not once per lane: N lanes × N worktrees).
    if (useFs && !listed.has(lane.repo)) {
      listed.add(lane.repo);
      for (const wt of repoWorktrees(lane.repo).slice(1)) {
        addTree(wt, `a worktree of the repository (${quote(wt, 200)})`);
      }
    }
  }
  for (const r of lanes) {
    if (r.bridgePath === null) continue;
    const key = JSON.stringify(r.bridgePath);
    if (reported.has(key)) continue;
    const problem = bridgeProblem(real(r.lane.bridge), trees);
    if (problem === null) continue;
    reported.add(key);
    issues.push({
      path: r.bridgePath,
      message: `bridge ${quote(r.lane.bridge, 500)} ${problem}; the board writes ${BRIDGE_FILE.workerLog} and ${BRIDGE_FILE.inbox} there — use a directory outside every worktree (default: <config dir>/.laneboard/lanes/<id>)`,
    });
  }
  return issues;
}

function bridgeProblem(
  bridge: string,
  trees: readonly { dir: string; what: string }[],
): string | null {
  if (bridge === path.parse(bridge).root) return 'is the filesystem root';
  const sys = SYSTEM_DIRS.find((d) => isWithin(bridge, d));
  if (sys !== undefined) return `is in the system directory ${sys}`;
  const tree = trees.find((t) => dirtiesWorktree(bridge, t.dir));
  if (tree !== undefined) return `is inside ${tree.what}, and would make it dirty`;
  return null;
}
