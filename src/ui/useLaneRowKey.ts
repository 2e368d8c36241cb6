/**
 * The text of one lane row, as a string key (JSON of its cells), for `LaneRow`: the row
 * re-renders only when that text changes — a heartbeat or a clock tick that changes
 * nothing visible causes no React commit and no Ink frame.
 *
 * The row reads its lane's board view (src/state/board-view.ts, reused while the lane's
 * time facts hold) and the screen clock (./screen-clock.ts); after each computation it asks
 * the clock to wake it when its own text next changes (an age step, a countdown), and
 * withdraws that request when it unmounts: ages move only for the rows on screen.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { selectBoardLaneView } from '../state/board-view.js';
import type { BoardState } from '../state/types.js';
import { laneCells, rowChangeAt } from './cells.js';
import { MUTED_TAG, OFFLINE_TAG } from './row-tags.js';
import { useBoardAndClock } from './useScreenTime.js';

type LaneCells = ReturnType<typeof laneCells>;

/**
 * The key of lane `id`'s row in `s` at screen time `now` (epoch ms), and when it next
 * changes with time alone (epoch ms, `Infinity` for never). '' for a lane not in `s`.
 */
function laneRowKey(s: BoardState, id: string, now: number): { key: string; next: number } {
  const lane = s.lanes[id];
  if (lane === undefined) return { key: '', next: Infinity };
  const { view, at } = selectBoardLaneView(s, id);
  const cells = laneCells(view, now, at);
  const next = rowChangeAt(view, now, at);
  // A lane of an offline fleet host is greyed and says so: its last published state.
  if (lane.remote?.online === false) {
    const grey = Object.fromEntries(
      Object.entries(cells).map(([k, c]) => [k, { ...c, tone: 'muted' as const }]),
    ) as LaneCells;
    const worker = { text: `offline: ${cells.worker.text}`, short: 'offline', tone: 'muted' };
    const key = JSON.stringify({
      ...grey,
      id: { ...grey.id, tag: OFFLINE_TAG },
      worker,
    });
    return { key, next };
  }
  // A muted lane says so in its id cell (notifications off: `m`), a tag that is never cut.
  if (lane.muted !== true) return { key: JSON.stringify(cells), next };
  const key = JSON.stringify({ ...cells, id: { ...cells.id, tag: MUTED_TAG } });
  return { key, next };
}

/** What {@link laneRowKey} reads of the state besides the screen time. */
interface RowInputs {
  readonly entry: ReturnType<typeof selectBoardLaneView> | null;
  readonly muted: boolean;
  readonly online: boolean | undefined;
}

function rowInputs(s: BoardState, id: string): RowInputs {
  const lane = s.lanes[id];
  if (lane === undefined) return { entry: null, muted: false, online: undefined };
  return {
    entry: selectBoardLaneView(s, id),
    muted: lane.muted === true,
    online: lane.remote?.online,
  };
}

const sameInputs = (a: RowInputs, b: RowInputs): boolean =>
  a.entry === b.entry && a.muted === b.muted && a.online === b.online;

/** Subscribe a row to its lane's text (see the module doc); returns the key ('' if gone). */
export function useLaneRowKey(id: string): string {
  const { store, clock, subscribe } = useBoardAndClock();
  const last = useRef<{ state: BoardState; now: number; inputs: RowInputs; key: string } | null>(
    null,
  );
  const owner = `row:${id}`;
  const getSnapshot = (): string => {
    const s = store.getState();
    clock.observe(s.now);
    const now = clock.now();
    const prev = last.current;
    if (prev !== null && prev.state === s && prev.now === now) return prev.key;
    // Every store update asks every visible row; most rows' lanes did not change. Their
    // inputs (the reused board view, the mute and online flags) are the same, and so is
    // their text: no cells, no JSON (the 200-lane storm asked 60 rows ~30 times a second).
    const inputs = rowInputs(s, id);
    if (prev !== null && prev.now === now && sameInputs(prev.inputs, inputs)) {
      last.current = { ...prev, state: s };
      return prev.key;
    }
    const { key, next } = laneRowKey(s, id, now);
    clock.request(owner, next);
    last.current = { state: s, now, inputs, key };
    return key;
  };
  useEffect(() => () => clock.request(owner, null), [clock, owner]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
