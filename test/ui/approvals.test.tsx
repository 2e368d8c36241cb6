/**
 * Board approval keys drawn by ink-testing-library: `a` opens the permission request a
 * lane waits on (recorded by `laneboard hook` with `laneboard_approval`), `y` allows it
 * once, `n` + message + Enter denies it, Esc leaves it unanswered; a lane whose request
 * only the agent can answer says so. Help and footer come from the keymap table.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalInput, ApprovalResult } from '../../src/runtime/types.js';
import type { BoardStore } from '../../src/state/store.js';
import { App } from '../../src/ui/App.js';
import { helpLines } from '../../src/ui/help-lines.js';
import { monoTheme } from '../../src/ui/theme.js';
import {
  KEYS,
  T0,
  boardWith,
  recordingControls,
  waitFor,
  waitForFrame,
  type RecordingControls,
} from '../helpers/ui-fixtures.js';

type Rendered = ReturnType<typeof render>;
const mounted: Rendered[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

/** Lane `id` gets a PermissionRequest; with `requestId` the hook waits on the board. */
function permission(store: BoardStore, id: string, requestId: string | null): void {
  store.dispatch({
    type: 'bridge/events',
    laneId: id,
    at: T0 + 1_000,
    lines: [
      {
        ok: true,
        line: 1,
        file: 'hook-events.jsonl',
        value: {
          hook_event_name: 'PermissionRequest',
          session_id: 's1',
          tool_name: 'Bash',
          tool_input: { command: 'rm -rf build\u001b[2J' },
          received_at: new Date(T0 + 1_000).toISOString(),
          ...(requestId !== null
            ? {
                laneboard_approval: {
                  id: requestId,
                  until: new Date(T0 + 600_000).toISOString(),
                },
              }
            : {}),
        },
      },
    ],
  });
}

function mount(store: BoardStore, controls: RecordingControls): Rendered {
  const r = render(
    <App
      store={store}
      controls={controls}
      title="laneboard test"
      onExit={() => undefined}
      theme={monoTheme}
      home={null}
    />,
  );
  mounted.push(r);
  return r;
}

/** Recording controls whose `approve` answers ok (the runtime's behaviour is tested elsewhere). */
function approvingControls(): RecordingControls {
  const c = recordingControls();
  const approve = (laneId: string, d: ApprovalInput): Promise<ApprovalResult> => {
    c.calls.push(['approve', laneId, d]);
    c.events.emit('call');
    return Promise.resolve({ ok: true, id: d.requestId ?? '?', detail: 'permission requested' });
  };
  return Object.assign(c, { approve });
}

describe('approvals on the board', () => {
  it('a opens the request (sanitized), y allows it once', async () => {
    const store = boardWith(['auth']);
    permission(store, 'auth', 'req-1');
    const controls = approvingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => f.includes('auth'));
    r.stdin.write('a');
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('allow once? (y/n'));
    expect(f).toContain('auth: permission requested: Bash: rm -rf build');
    expect(f).not.toContain('\u001b[2J');
    expect(f).toMatch(/y allow once {2}n deny {2}Esc close/);
    r.stdin.write('y');
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([
      ['approve', 'auth', { behavior: 'allow', requestId: 'req-1', by: 'board' }],
    ]);
    await waitForFrame(r.lastFrame, (x) => x.includes('allowed once: auth'));
  });

  it('n asks for a message and denies with it; Esc in the request leaves it unanswered', async () => {
    const store = boardWith(['auth']);
    permission(store, 'auth', 'req-2');
    const controls = approvingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => f.includes('auth'));
    r.stdin.write('a');
    await waitForFrame(r.lastFrame, (x) => x.includes('allow once? (y/n'));
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (x) => !x.includes('allow once? (y/n'));
    expect(controls.calls).toEqual([]);
    r.stdin.write('a');
    await waitForFrame(r.lastFrame, (x) => x.includes('allow once? (y/n'));
    r.stdin.write('n');
    await waitForFrame(r.lastFrame, (x) => x.includes('deny auth: message for the agent'));
    r.stdin.write('use the staging db');
    await waitForFrame(r.lastFrame, (x) => x.includes('use the staging db▏'));
    r.stdin.write(KEYS.enter);
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([
      [
        'approve',
        'auth',
        { behavior: 'deny', message: 'use the staging db', requestId: 'req-2', by: 'board' },
      ],
    ]);
  });

  it('a on a lane whose request only the agent can answer says so, and calls nothing', async () => {
    const store = boardWith(['auth']);
    permission(store, 'auth', null);
    const controls = approvingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => f.includes('auth'));
    r.stdin.write('a');
    await waitForFrame(r.lastFrame, (x) => x.includes('no permission request of auth waits'));
    expect(controls.calls).toEqual([]);
  });

  it('the help overlay lists a, y and n from the keymap', () => {
    const text = helpLines()
      .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n');
    expect(text).toMatch(/answer the lane.s permission request/);
    expect(text).toMatch(/allow the request once/);
    expect(text).toMatch(/deny the request/);
  });
});
