/**
 * The git side of the runtime: bounded lock-free git calls ({@link runGit}), the one-shot
 * lane probe ({@link probeLane}), the many-lane probe with few processes
 * ({@link probeLanes}), worktree creation on explicit config ({@link ensureWorktree}) and
 * the change-driven watcher service ({@link createGitWatcher}).
 */
export { runGit, type GitErrorCode, type GitResult, type RunGitOptions } from './run-git.js';
export { probeLane, type ProbeOptions } from './probe.js';
export {
  probeLanes,
  type BatchProbeOptions,
  type BatchProbeResult,
  type BatchProbeStats,
} from './batch-probe.js';
export {
  ensureWorktree,
  type EnsureWorktreeOptions,
  type EnsureWorktreeResult,
} from './worktree.js';
export { type GitDirs } from './git-dirs.js';
export { createGitWatcher, type GitWatcher, type GitWatcherOptions } from './watcher.js';
export { type StatusSummary } from './parse.js';
