/** Lane events in words (serve's stderr log): what changed between two store states. */
import { describe, expect, it } from 'vitest';
import { boardChanges } from '../../src/state/lane-events.js';
import { selectLaneViews } from '../../src/state/selectors.js';
import { T0, boardWith, runningWorker } from '../helpers/ui-fixtures.js';

describe('boardChanges', () => {
  it('names worker, agent, blocker, event and notice changes once, sanitized', () => {
    const store = boardWith(['a', 'b']);
    const s0 = store.getState();
    store.dispatch({ type: 'worker/updated', laneId: 'a', worker: runningWorker(4242), at: T0 });
    store.dispatch({ type: 'board/notice', message: 'bad\u001b[31m thing', at: T0 });
    const s1 = store.getState();
    const lines = boardChanges(selectLaneViews(s0), selectLaneViews(s1), s0.notices, s1.notices);
    expect(lines).toEqual(['lane a: worker running pid 4242', 'notice: bad thing']);
    // The same state twice says nothing.
    expect(boardChanges(selectLaneViews(s1), selectLaneViews(s1), s1.notices, s1.notices)).toEqual(
      [],
    );
  });

  it('reports an exit with its code and the blocker it raises on a lane that appears', () => {
    const store = boardWith(['a']);
    store.dispatch({
      type: 'worker/updated',
      laneId: 'a',
      worker: { ...runningWorker(7), phase: 'exited', pid: null, exitCode: 3 },
      at: T0,
    });
    const s = store.getState();
    expect(boardChanges([], selectLaneViews(s), [], s.notices)).toEqual([
      'lane a: worker exited code 3',
      'lane a: blocked worker_error: worker exited with code 3 (next: read the log (Enter), then S to start it again)',
    ]);
  });
});
