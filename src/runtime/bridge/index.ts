/**
 * Bridge watcher: reads each lane's bridge files (`state.json`, `result.json`,
 * `events.jsonl`, `hook-events.jsonl`, `<worktree>/.claw/worker-state.json`) safely and
 * dispatches `bridge/*` actions. Dialects are normalized by the reducer, not here.
 */
export { createBridgeWatcher, type BridgeWatcher, type BridgeWatcherOptions } from './watcher.js';
export { type WatchFn, type WatchListener, type DirWatcherHandle } from './dir-watch.js';
export { readBridgeOnce } from './once.js';
export {
  type FileBytesRead,
  type FileStamp,
  type JsonFileRead,
  type JsonReadErrorCode,
} from './read-json.js';
export { type EventsTailOptions, type TailRead } from './events-tail.js';
export { type DirCheck } from './bridge-dir.js';
export { LaneBridge, type BridgeTarget, type LaneBridgeOptions } from './lane-bridge.js';
