import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import type { BoardStore } from '../../src/state/store.js';
import { App } from '../../src/ui/App.js';
import { colorTheme, monoTheme, themeFromEnv } from '../../src/ui/theme.js';
import type { Theme } from '../../src/ui/theme.js';
import {
  KEYS,
  T0,
  boardWith,
  gitInfo,
  recordingControls,
  resizeTo,
  runningWorker,
  waitForFrame,
} from '../helpers/ui-fixtures.js';

type Rendered = ReturnType<typeof render>;

let errorSpy: MockInstance;
const mounted: Rendered[] = [];
const chalkLevel = chalk.level;

beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error');
});

afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
  chalk.level = chalkLevel;
  expect(errorSpy.mock.calls.map((c) => c.map(String).join(' '))).toEqual([]);
  errorSpy.mockRestore();
});

function mount(store: BoardStore, opts: { theme?: Theme; log?: string } = {}): Rendered {
  const r = render(
    <App
      store={store}
      controls={recordingControls()}
      title="laneboard"
      onExit={() => undefined}
      theme={opts.theme ?? monoTheme}
      home={null}
      readLogTail={opts.log === undefined ? undefined : () => Promise.resolve(opts.log ?? '')}
    />,
  );
  mounted.push(r);
  return r;
}

const lines = (f: string): string[] => f.split('\n');

/** Code points a terminal would interpret (C0 except LF, DEL, C1, bidi controls), as hex. */
function controlsIn(s: string): string[] {
  const bad: string[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const control = (cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f);
    const bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (control || bidi) bad.push(cp.toString(16));
  }
  return bad;
}

/** True when `s` holds an SGR foreground/background colour code (30–49, 90–107, 38;/48;). */
function hasColour(s: string): boolean {
  const esc = String.fromCharCode(0x1b);
  return new RegExp(`${esc}\\[(?:[34]\\d|9\\d|10\\d|[34]8;)`).test(s);
}
const widest = (f: string): number => Math.max(...lines(f).map((l) => Array.from(l).length));

/** A fully populated lane: worker running, blocker, red tests, events, steering. */
function busyLane(store: BoardStore, id: string, text = (s: string) => s): void {
  store.dispatch({
    type: 'git/ok',
    laneId: id,
    info: gitInfo({
      branch: text(`lane/${id}`),
      ahead: 12,
      behind: 3,
      missing: [text('feat: something on main')],
      dirty: { staged: 1, unstaged: 2, untracked: 0, conflicted: 0 },
    }),
    at: T0,
  });
  store.dispatch({ type: 'worker/updated', laneId: id, worker: runningWorker(4242, 2), at: T0 });
  store.dispatch({
    type: 'bridge/doc',
    laneId: id,
    kind: 'state',
    file: 'state.json',
    raw: {
      schema: 'laneboard.state/1',
      status: text('running'),
      phase: text('implementing retry policy'),
      sessionId: text('sess-8f2c'),
      blocker: {
        failureClass: text('input_required'),
        detail: text('which database should I use for the cache layer'),
        nextAction: text('answer the question with s'),
      },
      checkpoint: { at: '2026-11-20T10:13:40Z', summary: text('tests for backoff added') },
      updatedAt: '2026-11-20T10:15:00Z',
      [text('extra')]: text('unknown field value'),
    },
    at: T0,
  });
  store.dispatch({
    type: 'bridge/doc',
    laneId: id,
    kind: 'result',
    file: 'result.json',
    raw: {
      schema: 'laneboard.result/1',
      ok: false,
      summary: text('Summary:\n- 2 tests fail'),
      tests: { status: 'red', level: 'package', passed: 41, failed: 2, commit: 'c956f78' },
      failureClass: 'test',
      detail: text('backoff.test.ts: expected 2000, got 1000'),
    },
    at: T0,
  });
  store.dispatch({
    type: 'bridge/events',
    laneId: id,
    lines: [
      {
        ok: true,
        line: 1,
        file: 'events.jsonl',
        value: {
          event: text('lane.red'),
          status: 'red',
          emittedAt: '2026-11-20T10:14:50Z',
          failureClass: 'test',
          detail: text('2 failing'),
        },
      },
    ],
    at: T0,
  });
  store.dispatch({
    type: 'steer/sent',
    laneId: id,
    message: {
      id: 'm1',
      text: text('use redis'),
      sentAt: T0,
      via: 'inbox',
      state: 'pending',
      error: null,
      ackAt: null,
    },
    at: T0,
  });
}

describe('frames: hostile worker text', () => {
  const ESC = '\u001b';
  const hostile = (s: string): string =>
    `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007${ESC}]8;;https://evil.example/${ESC}\\${s}${ESC}]8;;${ESC}\\` +
    `${ESC}]52;c;cm0gLXJmIH4=\u0007\u009b31m\u202e\u2066x\u2069\r\n${ESC}P+q${ESC}\\${ESC}_apc${ESC}\\\u0000\u0008`;

  it('no escape, C1 or bidi control reaches any frame (board and detail)', async () => {
    const store = boardWith(['evil']);
    busyLane(store, 'evil', hostile);
    store.dispatch({ type: 'board/notice', message: hostile('notice'), at: T0 });
    const r = mount(store, { log: hostile('log line') });
    const board = await resizeTo(r, 200, 200);
    expect(board).toContain('running');
    expect(board).toContain('stale_branch (+1)');
    expect(board).not.toContain('evil.example');
    r.stdin.write(KEYS.enter);
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('log line'));
    expect(f).toContain('which database');
    // Raw JSON shows the hostile text JSON-escaped (inert, visible as data); nothing else does.
    const beforeRaw = f.slice(0, f.indexOf('Raw bridge data'));
    expect(beforeRaw).not.toContain('evil.example');
    expect(beforeRaw).not.toContain('cm0gLXJmIH4');
    for (const frame of r.frames) {
      expect(controlsIn(frame)).toEqual([]);
    }
  });
});

describe('frames: width and height', () => {
  it.each([80, 120])(
    'a busy board at %i columns has no line wider than the terminal',
    async (cols) => {
      const ids = ['auth-refactor-with-a-long-name', 'billing', 'search'];
      const store = boardWith(ids);
      for (const id of ids) busyLane(store, id);
      const r = mount(store);
      const f = await resizeTo(r, cols, 30);
      expect(widest(f)).toBeLessThanOrEqual(cols);
      expect(f).toContain('input_required');
      expect(f).toContain('red');
      expect(f).toContain('↻2');
      if (cols >= 120) {
        expect(f).toMatch(/\d+s red/);
        expect(f).toContain('BRANCH');
        expect(f).toContain('lane/');
      }
      r.stdin.write(KEYS.enter);
      const d = await waitForFrame(r.lastFrame, (x) => x.includes('Lane auth-refactor'));
      expect(widest(d)).toBeLessThanOrEqual(cols);
      expect(lines(d).length).toBeLessThan(30);
      r.stdin.write('?');
      const h = await waitForFrame(r.lastFrame, (x) => x.includes('Help'));
      expect(widest(h)).toBeLessThanOrEqual(cols);
    },
  );

  it('below the narrowest row layout (20 columns) the body is clipped to the terminal', async () => {
    const ids = ['auth-refactor-with-a-long-name', 'billing'];
    const store = boardWith(ids);
    for (const id of ids) busyLane(store, id);
    const r = mount(store);
    const f = await resizeTo(r, 16, 20);
    expect(f).toContain('auth-');
    expect(widest(f)).toBeLessThanOrEqual(16);
  });

  it('100 lanes never render more lines than the terminal has, and scroll to the selection', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `lane-${String(i).padStart(3, '0')}`);
    const store = boardWith(ids, (id) => (id < 'lane-050' ? '/r/one' : '/r/two'));
    const r = mount(store);
    let f = await resizeTo(r, 100, 30);
    expect(f).toContain('lane 1/100');
    expect(lines(f).length).toBeLessThan(30);
    expect(f).toContain('lane-000');
    expect(f).not.toContain('lane-099');
    r.stdin.write('G');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('lane 100/100'));
    expect(lines(f).length).toBeLessThan(30);
    expect(f).toMatch(/^› lane-099/m);
    expect(f).not.toContain('lane-000');
    r.stdin.write(KEYS.pageUp);
    f = await waitForFrame(r.lastFrame, (x) => !x.includes('lane 100/100'));
    expect(f).toMatch(/^› lane-/m);
    // The first lane of a group shows its heading when scrolled to.
    r.stdin.write('g');
    for (let i = 0; i < 50; i++) r.stdin.write('j');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('lane 51/100'));
    expect(f).toMatch(/^› lane-050/m);
    expect(f).toContain('▸ /r/two');
    // Shrinking the terminal shrinks the window.
    f = await resizeTo(r, 100, 12);
    expect(f).toMatch(/^› lane-050/m);
  });
});

describe('frames: colour', () => {
  it('NO_COLOR selects the mono theme', () => {
    expect(themeFromEnv({ NO_COLOR: '1' })).toBe(monoTheme);
    expect(themeFromEnv({ NO_COLOR: '' })).toBe(colorTheme);
    expect(themeFromEnv({})).toBe(colorTheme);
  });

  it('the mono theme emits no colour codes, the colour theme does', async () => {
    chalk.level = 3; // force colour output even though the test's stdout is not a TTY
    const store = boardWith(['auth', 'billing']);
    busyLane(store, 'billing');
    const mono = mount(store, { theme: monoTheme });
    const m = await waitForFrame(mono.lastFrame, (x) => x.includes('run 4242'));
    expect(hasColour(m)).toBe(false);
    const colour = mount(store, { theme: colorTheme });
    const c = await waitForFrame(colour.lastFrame, (x) => x.includes('run 4242'));
    expect(hasColour(c)).toBe(true);
  });

  it('App picks the theme from NO_COLOR when none is given', async () => {
    chalk.level = 3;
    vi.stubEnv('NO_COLOR', '1');
    try {
      const store = boardWith(['auth']);
      busyLane(store, 'auth');
      const r = render(
        <App
          store={store}
          controls={recordingControls()}
          title="t"
          onExit={() => undefined}
          home={null}
        />,
      );
      mounted.push(r);
      const f = await waitForFrame(r.lastFrame, (x) => x.includes('run 4242'));
      expect(hasColour(f)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
