/**
 * Which directories the bridge watcher watches and how a changed entry maps back to a lane.
 * Bridge dirs usually share a parent: one watch of that parent (a "root") sees a bridge dir
 * appear, disappear or be replaced, and each bridge dir has its own watch for its files.
 * claw-code's `.claw/worker-state.json` is watched through the lane's worktree (a root) and
 * its `.claw` dir. An `fs.watch` event names an entry of the watched directory, so routes
 * are also indexed by parent directory and entry name ({@link WatchLayout.children}).
 */
import { basename, dirname, join, resolve } from 'node:path';
import {
  BRIDGE_FILES,
  CLAW_DIR,
  CLAW_FILE_NAME,
  type BridgeTarget,
  type LaneBridge,
} from './lane-bridge.js';

/** A file path of interest: which lane reader and target it belongs to. */
export interface FileRoute {
  readonly lane: LaneBridge;
  readonly target: BridgeTarget;
}

/** A directory of interest: a lane's bridge dir, or the `.claw` dir of its worktree. */
export interface DirRoute {
  readonly lane: LaneBridge;
  readonly kind: 'bridge' | 'claw';
}

/** The routes of one entry name inside a watched directory. */
export interface ChildRoutes {
  readonly files: readonly FileRoute[];
  readonly dirs: readonly DirRoute[];
}

/** Path maps of all watched lanes. All keys are absolute, normalized paths. */
export interface WatchLayout {
  /** Watch root → the lanes watched through it. */
  readonly roots: ReadonlyMap<string, ReadonlySet<LaneBridge>>;
  readonly files: ReadonlyMap<string, readonly FileRoute[]>;
  readonly dirs: ReadonlyMap<string, readonly DirRoute[]>;
  /**
   * Directory → entry name → what that entry is for. The O(1) lookup of a watch event
   * (`*.tmp` files and every other name have no entry, so they cost one map miss).
   */
  readonly children: ReadonlyMap<string, ReadonlyMap<string, ChildRoutes>>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds the watch layout of `lanes`: roots are the parents of the bridge dirs and the
 * worktrees (for `.claw`). Lanes sharing a bridge dir or a root share the entries.
 */
export function buildLayout(lanes: readonly LaneBridge[]): WatchLayout {
  const roots = new Map<string, Set<LaneBridge>>();
  const files = new Map<string, FileRoute[]>();
  const dirs = new Map<string, DirRoute[]>();
  const addRoot = (root: string, lane: LaneBridge): void => {
    const set = roots.get(root);
    if (set) set.add(lane);
    else roots.set(root, new Set([lane]));
  };
  for (const lane of lanes) {
    const bridge = resolve(lane.lane.bridge);
    addRoot(dirname(bridge), lane);
    push(dirs, bridge, { lane, kind: 'bridge' });
    for (const [name, target] of Object.entries(BRIDGE_FILES)) {
      push(files, join(bridge, name), { lane, target });
    }
    const worktree = resolve(lane.lane.worktree);
    const claw = join(worktree, CLAW_DIR);
    addRoot(worktree, lane);
    push(dirs, claw, { lane, kind: 'claw' });
    push(files, join(claw, CLAW_FILE_NAME), { lane, target: 'claw' });
  }
  return { roots, files, dirs, children: indexChildren(files, dirs) };
}

function indexChildren(
  files: ReadonlyMap<string, readonly FileRoute[]>,
  dirs: ReadonlyMap<string, readonly DirRoute[]>,
): Map<string, Map<string, ChildRoutes>> {
  const out = new Map<string, Map<string, { files: FileRoute[]; dirs: DirRoute[] }>>();
  const entry = (path: string): { files: FileRoute[]; dirs: DirRoute[] } => {
    const parent = dirname(path);
    const name = basename(path);
    let names = out.get(parent);
    if (names === undefined) {
      names = new Map();
      out.set(parent, names);
    }
    let routes = names.get(name);
    if (routes === undefined) {
      routes = { files: [], dirs: [] };
      names.set(name, routes);
    }
    return routes;
  };
  for (const [path, routes] of files) entry(path).files.push(...routes);
  for (const [path, routes] of dirs) entry(path).dirs.push(...routes);
  return out;
}
