import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import type { BoardStore } from '../../src/state/store.js';
import { App } from '../../src/ui/App.js';
import { helpLines } from '../../src/ui/help-lines.js';
import { KEYMAP } from '../../src/ui/keymap.js';
import { monoTheme } from '../../src/ui/theme.js';
import {
  KEYS,
  T0,
  boardWith,
  gitInfo,
  recordingControls,
  resize,
  resizeTo,
  runningWorker,
  waitFor,
  waitForFrame,
} from '../helpers/ui-fixtures.js';
import type { RecordingControls } from '../helpers/ui-fixtures.js';

type Rendered = ReturnType<typeof render>;

let errorSpy: MockInstance;
const mounted: Rendered[] = [];

beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error');
});

afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  // Any React warning (act, keys, getSnapshot caching, update loops) fails the test.
  expect(errorSpy.mock.calls.map((c) => c.map(String).join(' '))).toEqual([]);
  errorSpy.mockRestore();
});

function mount(
  store: BoardStore,
  controls: RecordingControls,
  opts: { onExit?: () => void; readLogTail?: (id: string) => Promise<string> } = {},
): Rendered {
  const r = render(
    <App
      store={store}
      controls={controls}
      title="laneboard test"
      onExit={opts.onExit ?? (() => undefined)}
      readLogTail={opts.readLogTail}
      theme={monoTheme}
      home={null}
    />,
  );
  mounted.push(r);
  return r;
}

/** The lane id on the row marked selected. */
function selectedRow(frame: string): string | undefined {
  const line = frame.split('\n').find((l) => l.startsWith('›'));
  return line?.slice(1).trim().split(/\s+/)[0];
}

describe('App: selection', () => {
  it('moves with j/k, arrows, g/G and Home/End, and shows the position', async () => {
    const store = boardWith(['auth', 'billing', 'search', 'ui']);
    const r = mount(store, recordingControls());
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth' && f.includes('lane 1/4'));
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'billing' && f.includes('lane 2/4'));
    r.stdin.write(KEYS.down);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'search');
    r.stdin.write('k');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'billing');
    r.stdin.write(KEYS.up);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write(KEYS.up); // clamped at the top
    r.stdin.write('G');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'ui' && f.includes('lane 4/4'));
    r.stdin.write('g');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write(KEYS.end);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'ui');
    r.stdin.write(KEYS.home);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
  });

  it('groups lanes by repo in config order', async () => {
    const store = boardWith(['a1', 'b1', 'a2'], (id) =>
      id.startsWith('a') ? '/r/alpha' : '/r/beta',
    );
    const r = mount(store, recordingControls());
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('/r/beta'));
    const order = f
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/)[0] ?? '')
      .filter((l) => /^(▸|›)?\s*(\/r\/|a\d|b\d)/.test(l));
    expect(order).toEqual(['▸ /r/alpha', '› a1', 'a2', '▸ /r/beta', 'b1']);
    // Navigation follows the display order: a1 → a2 → b1.
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (x) => selectedRow(x) === 'a2');
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (x) => selectedRow(x) === 'b1');
  });
});

describe('App: detail pane', () => {
  it('a line feed (Enter typed before raw mode) opens the details like CR', async () => {
    const store = boardWith(['auth', 'billing']);
    const r = mount(store, recordingControls());
    await waitForFrame(r.lastFrame, (f) => f.includes('billing'));
    r.stdin.write('\n');
    await waitForFrame(r.lastFrame, (f) => f.includes('Lane auth'));
  });

  it('Enter shows agent, all blockers with next actions, git details and the log tail', async () => {
    const store = boardWith(['auth', 'billing']);
    store.dispatch({
      type: 'git/ok',
      laneId: 'billing',
      info: gitInfo({
        branch: 'lane/billing',
        behind: 3,
        missing: ['fix: retry jitter', 'chore: bump deps'],
      }),
      at: T0,
    });
    store.dispatch({
      type: 'worker/updated',
      laneId: 'billing',
      worker: { ...runningWorker(4242, 6), phase: 'crash_loop', pid: null, exitCode: 1 },
      at: T0,
    });
    store.dispatch({
      type: 'bridge/doc',
      laneId: 'billing',
      kind: 'state',
      file: 'state.json',
      raw: {
        schema: 'laneboard.state/1',
        status: 'blocked',
        phase: 'implementing retry policy',
        blocker: {
          failureClass: 'rate_limit',
          detail: 'usage limit reached',
          resetAt: '2026-11-20T11:00:00Z',
          nextAction: 'wait for reset, then resume the same session',
        },
        updatedAt: '2026-11-20T10:15:00Z',
        futureField: 'kept verbatim',
      },
      at: T0,
    });
    const logs: string[] = [];
    const r = mount(store, recordingControls(), {
      readLogTail: (id) => {
        logs.push(id);
        return Promise.resolve('line one\nthe last log line\n');
      },
    });
    resize(r.stdout, 120, 120);
    await waitForFrame(r.lastFrame, (f) => f.includes('billing'));
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'billing');
    r.stdin.write(KEYS.enter);
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('the last log line'));
    expect(logs).toContain('billing');
    expect(f).toContain('Lane billing');
    expect(f).toContain('blocked');
    expect(f).toContain('implementing retry policy');
    expect(f).toMatch(/Blockers \(3\)/);
    for (const text of [
      'crash_loop',
      'rate_limit: usage limit reached',
      'next: wait for reset, then resume the same session',
      'source: state.json',
      'stale_branch',
      'fix: retry jitter',
      'futureField',
      'kept verbatim',
    ]) {
      expect(f).toContain(text);
    }
    r.stdin.write(KEYS.escape);
    await waitForFrame(
      r.lastFrame,
      (x) => !x.includes('Lane billing') && selectedRow(x) === 'billing',
    );
  });

  it('scrolls the detail pane with j/k, PgDn and G within its content', async () => {
    const store = boardWith(['auth']);
    const r = mount(store, recordingControls());
    await resizeTo(r, 100, 16);
    r.stdin.write(KEYS.enter);
    await waitForFrame(r.lastFrame, (f) => /lines 1-\d+ of \d+/.test(f));
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (f) => /lines 2-\d+ of \d+/.test(f));
    r.stdin.write('G');
    const f = await waitForFrame(r.lastFrame, (x) => /lines \d+-(\d+) of \1\b/.test(x));
    expect(f.split('\n').length).toBe(15);
    r.stdin.write('g');
    await waitForFrame(r.lastFrame, (x) => /lines 1-\d+ of \d+/.test(x));
  });

  it('shows a log reader failure as text, not a crash', async () => {
    const store = boardWith(['auth']);
    const r = mount(store, recordingControls(), {
      readLogTail: () => Promise.reject(new Error('EACCES: permission denied')),
    });
    resize(r.stdout, 120, 200);
    await waitForFrame(r.lastFrame, (f) => f.includes('auth'));
    r.stdin.write(KEYS.enter);
    await waitForFrame(r.lastFrame, (f) => f.includes('unreadable: EACCES'));
  });
});

describe('App: lane commands', () => {
  it('r, x, S and c call controls with the selected lane', async () => {
    const store = boardWith(['auth', 'billing']);
    const controls = recordingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'billing');
    r.stdin.write('r');
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([['restart', 'billing']]);
    await waitForFrame(r.lastFrame, (f) => f.includes('restarted billing'));
    r.stdin.write('x');
    await waitFor(() => controls.calls.length === 2);
    r.stdin.write('S');
    await waitFor(() => controls.calls.length === 3);
    r.stdin.write('c');
    await waitFor(() => controls.calls.length === 4);
    expect(controls.calls).toEqual([
      ['restart', 'billing'],
      ['stop', 'billing'],
      ['start', 'billing'],
      ['clearBlockers', 'billing'],
    ]);
  });

  it('s + text + Enter steers the selected lane and shows the live delivery state', async () => {
    const store = boardWith(['auth']);
    const controls = recordingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('s');
    await waitForFrame(r.lastFrame, (f) => f.includes('steer auth ›'));
    r.stdin.write('rebase on main');
    await waitForFrame(r.lastFrame, (f) => f.includes('rebase on main▏'));
    r.stdin.write('q'); // text in the prompt, not quit
    r.stdin.write(KEYS.backspace);
    r.stdin.write(' please');
    await waitForFrame(r.lastFrame, (f) => f.includes('rebase on main please▏'));
    r.stdin.write(KEYS.enter);
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([['steer', 'auth', 'rebase on main please']]);
    await waitForFrame(r.lastFrame, (f) => f.includes('steer sent to auth (pending)'));
    // The store learns the message was acknowledged: the status follows it.
    store.dispatch({
      type: 'steer/sent',
      laneId: 'auth',
      message: {
        id: 'msg-1',
        text: 'rebase on main please',
        sentAt: T0,
        via: 'inbox',
        state: 'delivered',
        error: null,
        ackAt: T0 + 1,
      },
      at: T0 + 1,
    });
    await waitForFrame(r.lastFrame, (f) => f.includes('steer sent to auth (delivered)'));
  });

  it('routes a chunk of several keys (typed fast or pasted) one key at a time', async () => {
    const store = boardWith(['auth', 'billing', 'search']);
    const controls = recordingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('jjsgo');
    await waitForFrame(r.lastFrame, (f) => f.includes('steer search › go▏'));
    r.stdin.write(KEYS.enter);
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([['steer', 'search', 'go']]);
  });

  it('Esc cancels the steer prompt without calling steer', async () => {
    const store = boardWith(['auth']);
    const controls = recordingControls();
    const r = mount(store, controls);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('s');
    await waitForFrame(r.lastFrame, (f) => f.includes('steer auth ›'));
    r.stdin.write('never mind');
    await waitForFrame(r.lastFrame, (f) => f.includes('never mind▏'));
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (f) => f.includes('steer cancelled'));
    expect(controls.calls).toEqual([]);
    // Back on the board: keys are commands again.
    r.stdin.write('r');
    await waitFor(() => controls.calls.length === 1);
    expect(controls.calls).toEqual([['restart', 'auth']]);
  });
});

describe('App: help and quit', () => {
  it('? shows help generated from the keymap; Esc closes it', async () => {
    const store = boardWith(['auth']);
    const r = mount(store, recordingControls());
    resize(r.stdout, 120, 200);
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('?');
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('Help'));
    for (const b of KEYMAP) expect(f).toContain(b.help);
    for (const l of helpLines()) expect(f).toContain(l.text.trim());
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (x) => !x.includes('Help') && selectedRow(x) === 'auth');
  });

  it('q asks to confirm while workers run; n keeps the board, y quits', async () => {
    const store = boardWith(['auth']);
    const controls = recordingControls();
    controls.running = 2;
    const onExit = vi.fn();
    const r = mount(store, controls, { onExit });
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('q');
    await waitForFrame(r.lastFrame, (f) =>
      f.includes('Quit and stop the 2 running workers? (y/n)'),
    );
    r.stdin.write('n');
    await waitForFrame(r.lastFrame, (f) => !f.includes('Quit and stop'));
    expect(onExit).not.toHaveBeenCalled();
    r.stdin.write(KEYS.ctrlC);
    await waitForFrame(r.lastFrame, (f) => f.includes('Quit and stop'));
    r.stdin.write('y');
    await waitFor(() => onExit.mock.calls.length === 1);
  });

  it('q quits at once when nothing runs, and onExit is called once', async () => {
    const store = boardWith(['auth']);
    const onExit = vi.fn();
    const r = mount(store, recordingControls(), { onExit });
    await waitForFrame(r.lastFrame, (f) => selectedRow(f) === 'auth');
    r.stdin.write('q');
    await waitFor(() => onExit.mock.calls.length === 1);
    r.stdin.write(KEYS.ctrlC);
    await new Promise((res) => setImmediate(res));
    expect(onExit).toHaveBeenCalledTimes(1);
  });
});
