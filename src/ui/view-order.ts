/**
 * Order and filter of the board's lanes (`o` and `/`), pure: the lane ids to show, in
 * which order, for the current sort and filter text. Sorting is stable and works inside
 * each repository group (groups keep their lanes.yaml order).
 */
import { isFinishedTurn, needsAttention } from '../state/attention.js';
import { selectBoardView } from '../state/board-view.js';
import type { BoardState } from '../state/types.js';
import type { LaneView } from '../state/view-types.js';
import type { RepoGroups } from './board-lines.js';

/** Board orders: lanes.yaml order, lanes needing attention first, most recent activity first. */
export const SORT_ORDERS = ['config', 'attention', 'activity'] as const;
/** One of {@link SORT_ORDERS}. */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Header words of each order. */
export const SORT_LABELS: Readonly<Record<SortOrder, string>> = {
  config: 'lanes.yaml order',
  attention: 'attention first',
  activity: 'last activity',
};

/** The order after `o`. */
export function nextSort(s: SortOrder): SortOrder {
  return SORT_ORDERS[(SORT_ORDERS.indexOf(s) + 1) % SORT_ORDERS.length] ?? 'config';
}

/**
 * True when `view` matches `filter` (case-insensitive substring of its id, configured or
 * checked-out branch, agent phase or status, or a blocker's class or detail). An empty
 * filter matches every lane.
 */
function matchesFilter(view: LaneView, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  const fields = [
    view.id,
    view.branch,
    view.git.branch ?? '',
    view.agent.phase ?? '',
    view.agent.status ?? '',
    ...view.blockers.flatMap((b) => [b.failureClass, b.detail]),
  ];
  return fields.some((x) => x.toLowerCase().includes(f));
}

/** Attention rank: needs the operator 0, blocked 1, red 2, finished its turn 3, the rest 4. */
function attentionRank(v: LaneView): number {
  if (needsAttention(v)) return 0;
  if (v.blockers.length > 0) return 1;
  if (v.tests.status === 'red' && !v.tests.stale) return 2;
  if (isFinishedTurn(v)) return 3;
  return 4;
}

/** Time of the lane's last activity (last event, else heartbeat; epoch ms; 0 when none). */
function activityAt(v: LaneView): number {
  return Math.max(v.lastEvent?.at ?? 0, v.agent.heartbeat.at ?? 0);
}

/**
 * The groups to show: each repository group's lanes filtered by `filter` and sorted by
 * `sort` (stable); empty groups left out.
 * @returns groups, and the count of shown lanes.
 */
export function orderGroups(
  s: BoardState,
  groups: RepoGroups,
  sort: SortOrder,
  filter: string,
): RepoGroups {
  const out: RepoGroups[number][] = [];
  for (const g of groups) {
    const views = g.laneIds
      .filter((id) => s.lanes[id] !== undefined)
      .map((id, i) => ({ id, i, v: selectBoardView(s, id) }))
      .filter((x) => matchesFilter(x.v, filter));
    if (sort === 'attention')
      views.sort((a, b) => attentionRank(a.v) - attentionRank(b.v) || a.i - b.i);
    else if (sort === 'activity')
      views.sort((a, b) => activityAt(b.v) - activityAt(a.v) || a.i - b.i);
    if (views.length > 0) out.push({ ...g, laneIds: views.map((x) => x.id) });
  }
  return out;
}

/** Same shown lanes in the same order (for the selector's stable reference). */
export function sameGroups(a: RepoGroups, b: RepoGroups): boolean {
  return (
    a.length === b.length &&
    a.every((g, i) => {
      const h = b[i];
      return (
        h !== undefined &&
        g.repo === h.repo &&
        g.host === h.host &&
        g.hostOnline === h.hostOnline &&
        g.laneIds.length === h.laneIds.length &&
        g.laneIds.every((id, k) => id === h.laneIds[k])
      );
    })
  );
}
