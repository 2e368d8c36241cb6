import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardStore } from '../../src/state/store.js';
import { App } from '../../src/ui/App.js';
import type { ExternalKind } from '../../src/ui/commands.js';
import { monoTheme } from '../../src/ui/theme.js';
import { stateDoc, worker } from '../helpers/attention-fixtures.js';
import {
  KEYS,
  boardWith,
  recordingControls,
  resizeTo,
  waitForFrame,
} from '../helpers/ui-fixtures.js';
import type { RecordingControls } from '../helpers/ui-fixtures.js';

const mounted: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

function mount(
  store: BoardStore,
  controls: RecordingControls,
  opts: {
    external?: (kind: ExternalKind, id: string) => Promise<string | null>;
    readLogTail?: (id: string) => Promise<string>;
  } = {},
) {
  const r = render(
    <App
      store={store}
      controls={controls}
      title="t"
      onExit={() => undefined}
      theme={monoTheme}
      home={null}
      external={opts.external}
      readLogTail={opts.readLogTail}
    />,
  );
  mounted.push(r);
  return r;
}

/** Lane ids in row order. */
const rowIds = (f: string, ids: string[]): string[] =>
  f
    .split('\n')
    .map((l) => ids.find((id) => new RegExp(`^[› ] ${id}\\b`).test(l)))
    .filter((x): x is string => x !== undefined);

/** Mount the board at 120×20, open the filter with `/` and type `text`. */
async function typeFilter(store: BoardStore, text: string) {
  const r = mount(store, recordingControls());
  await resizeTo(r, 120, 20);
  r.stdin.write('/');
  await waitForFrame(r.lastFrame, (x) => x.includes('filter / '));
  r.stdin.write(text);
  return r;
}

describe('attention keys', () => {
  it('o cycles the order: lanes.yaml, attention first, last activity; the header says so', async () => {
    const ids = ['alpha', 'bravo', 'charlie'];
    const store = boardWith(ids);
    store.dispatch(
      stateDoc('charlie', 'blocked', { failureClass: 'permission', detail: 'Bash' }, 1_000),
    );
    store.dispatch(stateDoc('bravo', 'running', undefined, 9_000_000_000_000));
    const r = mount(store, recordingControls());
    let f = await resizeTo(r, 120, 20);
    expect(rowIds(f, ids)).toEqual(ids);
    expect(f).toContain('1 need you');
    r.stdin.write('o');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('by attention first'));
    expect(rowIds(f, ids)).toEqual(['charlie', 'alpha', 'bravo']);
    r.stdin.write('o');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('by last activity'));
    expect(rowIds(f, ids)[0]).toBe('bravo');
    r.stdin.write('o');
    f = await waitForFrame(r.lastFrame, (x) => !x.includes('  by '));
    expect(rowIds(f, ids)).toEqual(ids);
  });

  it('the header says how many lanes need you and how many only finished', async () => {
    const ids = ['alpha', 'bravo', 'charlie'];
    const store = boardWith(ids);
    store.dispatch(stateDoc('alpha', 'finished'));
    store.dispatch(stateDoc('bravo', 'waiting_for_input'));
    const r = mount(store, recordingControls());
    let f = await resizeTo(r, 120, 20);
    expect(f).toContain('0 need you · 2 finished');
    store.dispatch(stateDoc('charlie', 'blocked', { failureClass: 'permission', detail: 'Bash' }));
    f = await waitForFrame(r.lastFrame, (x) => x.includes('1 need you · 2 finished'));
    store.dispatch(stateDoc('alpha', 'running', undefined, 9));
    store.dispatch(stateDoc('bravo', 'running', undefined, 9));
    f = await waitForFrame(
      r.lastFrame,
      (x) => x.includes('1 need you ') && !x.includes('finished'),
    );
    expect(f).not.toContain('·');
  });

  it('/ filters by id, branch, phase or blocker; Enter keeps it, Esc clears it', async () => {
    const ids = ['api', 'web', 'docs'];
    const store = boardWith(ids);
    store.dispatch(
      stateDoc('docs', 'blocked', { failureClass: 'rate_limit', detail: 'usage limit' }),
    );
    const r = await typeFilter(store, 'rate');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('1 of 3 lanes'));
    expect(rowIds(f, ids)).toEqual(['docs']);
    expect(f).toContain('filter / rate');
    // q is text while typing; Enter keeps the filter and leaves typing.
    r.stdin.write(KEYS.enter);
    f = await waitForFrame(r.lastFrame, (x) => !x.includes('filter / '));
    expect(f).toContain('1 of 3 lanes');
    // / then Esc clears the kept filter.
    r.stdin.write('/');
    await waitForFrame(r.lastFrame, (x) => x.includes('filter / rate'));
    r.stdin.write(KEYS.escape);
    f = await waitForFrame(r.lastFrame, (x) => x.includes('3 lanes') && !x.includes(' of 3'));
    expect(rowIds(f, ids)).toEqual(ids);
    // Typing then Esc clears at once.
    r.stdin.write('/');
    await waitForFrame(r.lastFrame, (x) => x.includes('filter / '));
    r.stdin.write('lane/we');
    await waitForFrame(r.lastFrame, (x) => x.includes('1 of 3 lanes'));
    r.stdin.write(KEYS.backspace);
    r.stdin.write(KEYS.backspace);
    await waitForFrame(r.lastFrame, (x) => x.includes('filter / lane/▏'));
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (x) => !x.includes('filter / ') && !x.includes(' of 3'));
  });

  it('a filter that matches no lane says so (not "No lanes configured")', async () => {
    const r = await typeFilter(boardWith(['api', 'web']), 'zzz');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('0 of 2 lanes'));
    expect(f).toContain('No lane matches the filter "zzz" (Esc clears it).');
    expect(f).not.toContain('No lanes configured');
    r.stdin.write(KEYS.enter);
    f = await waitForFrame(r.lastFrame, (x) => !x.includes('filter / '));
    expect(f).toContain('No lane matches the filter "zzz" (Esc clears it).');
    // Esc on the board clears the kept filter.
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (x) => x.includes('2 lanes') && !x.includes(' of 2'));
  });

  it('m mutes and unmutes the selected lane (through Controls), shown on the row', async () => {
    const store = boardWith(['a', 'b']);
    const controls = recordingControls();
    const setMuted = (id: string, muted: boolean) => {
      controls.calls.push(['setMuted', id, muted]);
      store.dispatch({ type: 'lane/mute', laneId: id, muted, at: 1 });
    };
    const r = mount(store, { ...controls, setMuted });
    await resizeTo(r, 120, 20);
    r.stdin.write('m');
    await waitForFrame(
      r.lastFrame,
      (x) => x.includes('a (muted)') && x.includes('muted notifications of a'),
    );
    r.stdin.write('m');
    await waitForFrame(r.lastFrame, (x) => !x.includes('a (muted)'));
    expect(controls.calls).toEqual([
      ['setMuted', 'a', true],
      ['setMuted', 'a', false],
    ]);
  });

  it('a muted lane reads (muted) where the id column has room, else (m), never a cut marker (80 and 120 columns)', async () => {
    const ids = ['ab', 'behind', 'a-very-long-lane-id'];
    const store = boardWith(ids);
    for (const id of ids) store.dispatch({ type: 'lane/mute', laneId: id, muted: true, at: 1 });
    const r = mount(store, recordingControls());
    const rowOf = (f: string, id: string): string =>
      f.split('\n').find((l) => new RegExp(`^[› ] ${id}\\b`).test(l)) ?? '';
    await resizeTo(r, 80, 20);
    let f = await waitForFrame(r.lastFrame, (x) => rowOf(x, 'behind') !== '');
    expect(rowOf(f, 'ab')).toMatch(/^› ab \(muted\) /);
    expect(rowOf(f, 'behind')).toMatch(/^ {2}behind \(m\) /);
    expect(rowOf(f, 'a-very')).toMatch(/^ {2}a-very… \(m\) /);
    expect(f).not.toMatch(/\(mu…|\(m…/);
    await resizeTo(r, 120, 20);
    f = await waitForFrame(r.lastFrame, (x) => rowOf(x, 'a-very').includes('a-very-l… (m)'));
    expect(rowOf(f, 'ab')).toMatch(/^› ab \(muted\) /);
    expect(rowOf(f, 'behind')).toMatch(/^ {2}behind \(m\) /);
    expect(f).not.toMatch(/\(mu…|\(m…/);
  });

  it('the detail pane of a muted lane says so, and m there unmutes it', async () => {
    const store = boardWith(['a', 'b']);
    const controls = recordingControls();
    const setMuted = (id: string, muted: boolean) =>
      store.dispatch({ type: 'lane/mute', laneId: id, muted, at: 1 });
    const r = mount(store, { ...controls, setMuted });
    await resizeTo(r, 80, 20);
    r.stdin.write('m');
    await waitForFrame(r.lastFrame, (x) => x.includes('a (muted)'));
    r.stdin.write(KEYS.enter);
    await waitForFrame(r.lastFrame, (x) => x.includes('notifications: muted (m unmutes)'));
    r.stdin.write('m');
    await waitForFrame(
      r.lastFrame,
      (x) => x.includes('Lane a') && !x.includes('notifications: muted'),
    );
  });

  it('p opens a live peek of the selected lane: last events and the worker log, following', async () => {
    const store = boardWith(['a', 'b']);
    let log = 'booting\nstep one\n';
    const r = mount(store, recordingControls(), { readLogTail: () => Promise.resolve(log) });
    await resizeTo(r, 120, 30);
    r.stdin.write('p');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('peek a') && x.includes('step one'));
    expect(f).toContain('› a');
    log += 'step two\n';
    store.dispatch(worker('a', { phase: 'crash_loop', restarts: 5, exitCode: 1 }));
    store.dispatch(
      stateDoc('a', 'blocked', { failureClass: 'input_required', detail: 'pick one' }, 5),
    );
    f = await waitForFrame(r.lastFrame, (x) => x.includes('step two'));
    r.stdin.write('p');
    await waitForFrame(r.lastFrame, (x) => !x.includes('peek a'));
    // Esc closes it too ("Esc: close whatever is open").
    r.stdin.write('p');
    await waitForFrame(r.lastFrame, (x) => x.includes('peek a'));
    r.stdin.write(KEYS.escape);
    await waitForFrame(r.lastFrame, (x) => !x.includes('peek a'));
  });

  it('d, e and t run the diff / editor / shell of the selected lane and report back', async () => {
    const store = boardWith(['a', 'b']);
    const asked: [ExternalKind, string][] = [];
    const external = (kind: ExternalKind, id: string) => {
      asked.push([kind, id]);
      return Promise.resolve(kind === 'editor' ? 'vi exited with 1' : null);
    };
    const r = mount(store, recordingControls(), { external });
    await resizeTo(r, 120, 20);
    r.stdin.write('j');
    await waitForFrame(r.lastFrame, (x) => x.includes('› b'));
    r.stdin.write('d');
    await waitForFrame(r.lastFrame, (x) => x.includes('back from diff in b'));
    r.stdin.write('e');
    await waitForFrame(r.lastFrame, (x) => x.includes('editor in b: vi exited with 1'));
    r.stdin.write('t');
    await waitForFrame(r.lastFrame, (x) => x.includes('back from shell in b'));
    expect(asked).toEqual([
      ['diff', 'b'],
      ['editor', 'b'],
      ['shell', 'b'],
    ]);
  });
});

describe('help overlay at 80 columns', () => {
  it('shows the whole text of a long binding on screen, with no ellipsis', async () => {
    const r = mount(boardWith(['auth']), recordingControls());
    await resizeTo(r, 80, 60);
    r.stdin.write('?');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('Help'));
    expect(f).toContain('answer the lane’s permission request (approvals: board): y');
    expect(f).toContain('allow once, n deny');
    expect(f).not.toContain('…');
    r.stdin.write('G');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('any other key is text.'));
    expect(f).toContain('In the steer prompt and the filter');
  });
});
