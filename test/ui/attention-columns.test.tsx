import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { selectActivity } from '../../src/state/select-activity.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { App } from '../../src/ui/App.js';
import { monoTheme } from '../../src/ui/theme.js';
import {
  T0,
  boardWith,
  gitInfo,
  recordingControls,
  resizeTo,
  waitForFrame,
} from '../helpers/ui-fixtures.js';

const mounted: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

function stateDoc(laneId: string, raw: Record<string, unknown>, at = T0) {
  return { type: 'bridge/doc', laneId, kind: 'state', file: 'state.json', raw, at } as const;
}

describe('diff and activity columns', () => {
  it('show +ins −del and the agent phase at 140 columns, sanitized', async () => {
    const store = boardWith(['big', 'behind']);
    store.dispatch({
      type: 'git/ok',
      laneId: 'big',
      info: gitInfo({ diff: { files: 3, insertions: 120, deletions: 7 } }),
      at: T0,
    });
    store.dispatch({
      type: 'git/ok',
      laneId: 'behind',
      info: gitInfo({ ahead: 0, behind: 3, diff: { files: 0, insertions: 0, deletions: 0 } }),
      at: T0,
    });
    store.dispatch(
      stateDoc('big', {
        schema: 'laneboard.state/1',
        status: 'running',
        phase: 'writing \u001b[31mretry\u001b[0m policy',
        updatedAt: new Date(T0).toISOString(),
      }),
    );
    const r = render(
      <App
        store={store}
        controls={recordingControls()}
        title="t"
        onExit={() => undefined}
        theme={monoTheme}
        home={null}
      />,
    );
    mounted.push(r);
    const f = await resizeTo(r, 140, 20);
    expect(f).toContain('DIFF');
    expect(f).toContain('ACTIVITY');
    const big = f.split('\n').find((l) => l.includes('big')) ?? '';
    expect(big).toContain('+120 \u22127');
    expect(big).toContain('writing retry');
    const wide = await resizeTo(r, 180, 19);
    expect(wide.split('\n').find((l) => l.includes('big'))).toContain('writing retry policy');
    expect(f).not.toContain('\u001b[31m');
    const behind = f.split('\n').find((l) => l.includes('behind ')) ?? '';
    expect(behind).toContain('+0 \u22120');
    // At 80 columns the row still fits; the activity column is dropped.
    const narrow = await resizeTo(r, 80, 21);
    expect(narrow).not.toContain('ACTIVITY');
    await waitForFrame(r.lastFrame, (x) => x.includes('big'));
  });

  it('activity: the phase, or the tool call of a Claude Code hook, sanitized', () => {
    const store = boardWith(['a']);
    store.dispatch(
      stateDoc('a', { schema: 'laneboard.state/1', status: 'running', phase: 'planning' }, T0),
    );
    expect(selectActivity(selectLaneView(store.getState(), 'a'))).toEqual({
      kind: 'phase',
      text: 'planning',
    });
    store.dispatch({
      type: 'bridge/events',
      laneId: 'a',
      at: T0 + 5_000,
      lines: [
        {
          ok: true,
          line: 1,
          file: 'hook-events.jsonl',
          value: {
            hook_event_name: 'PreToolUse',
            tool_name: 'Bash',
            tool_input: { command: 'npm test\n--watch' },
            receivedAt: new Date(T0 + 5_000).toISOString(),
          },
        },
      ],
    });
    const a = selectActivity(selectLaneView(store.getState(), 'a'));
    expect(a?.kind).toBe('tool');
    expect(a?.text).toContain('Bash: npm test --watch');
  });
});
