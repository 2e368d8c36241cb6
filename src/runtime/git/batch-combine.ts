/**
 * How a batched probe (./batch-probe.ts) turns one worktree's status output and its
 * repository's freshness into the action probeLane would build, or decides that the two
 * disagree and the lane must be probed alone.
 */
import type { Action } from '../../state/actions.js';
import type { LaneConfig } from '../../state/config-types.js';
import type { GitInfo } from '../../state/types.js';
import { parseStatusV2, type StatusSummary } from './parse.js';
import { gitInfoOf, invalidRefReason, type ProbeOptions } from './probe.js';
import type { RepoLaneResult } from './repo-freshness.js';

/**
 * The action probeLane would build from this status output and freshness, or null when
 * they disagree or do not suffice (the lane is then probed alone).
 */
export function combine(
  lane: LaneConfig,
  statusText: string,
  f: RepoLaneResult | undefined,
  opts: ProbeOptions,
): Action | null {
  const s: StatusSummary = parseStatusV2(statusText, '\n');
  if (s.head === null) {
    return {
      type: 'git/error',
      laneId: lane.id,
      code: 'other',
      error: `no commits yet on ${s.branch === null ? 'HEAD' : `branch '${s.branch}'`}`,
      at: opts.at(),
    };
  }
  const badBase = invalidRefReason(lane.base);
  let counts: Pick<GitInfo, 'ahead' | 'behind' | 'baseError' | 'missing'>;
  if (badBase !== null) {
    counts = {
      ahead: null,
      behind: null,
      baseError: `base ref '${lane.base}' ${badBase}`,
      missing: [],
    };
  } else if (f?.kind === 'fresh' && f.head === s.head) {
    counts = { ahead: f.ahead, behind: f.behind, baseError: null, missing: [...f.missing] };
  } else if (f?.kind === 'base_missing' && f.head === s.head) {
    counts = {
      ahead: null,
      behind: null,
      baseError: `base ref '${lane.base}' not found`,
      missing: [],
    };
  } else {
    return null;
  }
  const info = gitInfoOf(s, s.head, lane.base, counts);
  return { type: 'git/ok', laneId: lane.id, info, at: opts.at() };
}
