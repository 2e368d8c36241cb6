/**
 * The exact view of one lane at screen time, recomputed every second (ages, "no heartbeat
 * for 312s"): the detail pane and the peek pane share it. Rows use the memoized selector
 * instead (src/state/selectors.ts).
 */
import { useMemo } from 'react';
import { buildLaneView } from '../state/selectors.js';
import type { LaneView } from '../state/view-types.js';
import { useBoardSelector } from './board-context.js';
import { useScreenTime } from './useScreenTime.js';

/**
 * `{ view, now }` for lane `laneId` on behalf of `owner` (a screen-time subscriber name):
 * `view` is null when the lane is not on the board (removed meanwhile); `now` is the
 * screen time it was built at (epoch ms).
 */
export function useLiveLaneView(
  laneId: string,
  owner: string,
): { readonly view: LaneView | null; readonly now: number } {
  const now = useScreenTime(owner);
  const lane = useBoardSelector((s) => s.lanes[laneId]);
  const settings = useBoardSelector((s) => s.settings);
  const view = useMemo(
    () => (lane === undefined ? null : buildLaneView(lane, now, settings)),
    [lane, now, settings],
  );
  return { view, now };
}
