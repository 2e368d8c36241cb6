/**
 * Which directories the bridge watcher watches and how a changed path maps back to a lane.
 * Bridge dirs usually share a parent, so one watch root (the parent, `depth: 1`) covers
 * many lanes and survives a bridge dir being deleted and recreated (pitfalls: chokidar).
 * claw-code's `.claw/worker-state.json` is watched through the lane's worktree root.
 */
import { dirname, join, resolve } from 'node:path';
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

/** Path maps of all watched lanes. All keys are absolute, normalized paths. */
export interface WatchLayout {
  /** Watch root → the lanes watched through it. */
  readonly roots: ReadonlyMap<string, ReadonlySet<LaneBridge>>;
  readonly files: ReadonlyMap<string, readonly FileRoute[]>;
  readonly dirs: ReadonlyMap<string, readonly DirRoute[]>;
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
  return { roots, files, dirs };
}

/**
 * True when chokidar should look at `path`: a root, a dir of interest or a file of interest.
 * Everything else (other lanes' junk, `*.tmp` files of atomic writes, worktree contents)
 * is ignored so it costs no watches.
 */
export function isInteresting(layout: WatchLayout, path: string): boolean {
  const p = resolve(path);
  return layout.roots.has(p) || layout.dirs.has(p) || layout.files.has(p);
}
