/**
 * Which ref changes concern a lane (./watcher.ts): a change of a ref under the common
 * dir's refs re-probes only the lanes whose base, branch or upstream it names.
 */
import type { LaneConfig } from '../../state/config-types.js';
import type { GitInfo } from '../../state/types.js';

/** `refs/<root>/<name>` relative to the refs dir (`heads/x`, `remotes/origin/x`) → its short name. */
export function shortRefName(rel: string): string {
  const slash = rel.indexOf('/');
  return slash < 0 ? rel : rel.slice(slash + 1);
}

/** Strip the prefixes a base ref may be written with, so it compares with short names. */
function normalizeRef(ref: string): string {
  return ref.replace(/^refs\/(heads|remotes)\//, '').replace(/^(heads|remotes)\//, '');
}

/** True when a ref `name` (short form) changing may change what a probe of the lane reports. */
export function refConcernsLane(name: string, lane: LaneConfig, last: GitInfo | null): boolean {
  if (last === null) return true;
  const base = normalizeRef(lane.base);
  if (/[~^@{}:]/.test(base)) return true; // revision syntax: cannot tell, probe
  return name === base || name === lane.branch || name === last.branch || name === last.upstream;
}
