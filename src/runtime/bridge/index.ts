/**
 * Bridge watcher: reads each lane's bridge files (`state.json`, `result.json`,
 * `events.jsonl`, `hook-events.jsonl`, `<worktree>/.claw/worker-state.json`) safely and
 * dispatches `bridge/*` actions. Dialects are normalized by the reducer, not here.
 */
export { createBridgeWatcher, type BridgeWatcher, type BridgeWatcherOptions } from './watcher.js';
export { nodeWatch, type WatchFn, type WatchListener, type DirWatcherHandle } from './dir-watch.js';
export { readBridgeOnce } from './once.js';
export {
  readJsonFileBounded,
  readFileBounded,
  parseDocument,
  type FileBytesRead,
  stampOf,
  type FileStamp,
  type JsonFileRead,
  type JsonReadErrorCode,
} from './read-json.js';
export { EventsTail, type EventsTailOptions, type TailRead } from './events-tail.js';
export { checkBridgeDir, type DirCheck } from './bridge-dir.js';
export {
  LaneBridge,
  BRIDGE_FILES,
  BRIDGE_TARGETS,
  TARGET_FILE,
  targetPath,
  type BridgeTarget,
  type LaneBridgeOptions,
} from './lane-bridge.js';
export { formatBytes } from './text.js';
