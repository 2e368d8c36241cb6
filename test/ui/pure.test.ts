import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import type { LaneView } from '../../src/state/view-types.js';
import {
  formatAge,
  formatRowAge,
  formatCountdown,
  formatDuration,
  shortSha,
  shortenPath,
} from '../../src/state/format.js';
import { boardLines, scrollOffset } from '../../src/ui/board-lines.js';
import stringWidth from 'string-width';
import { cutToWidth, eventCell, fitCell, testsCell, workerCell } from '../../src/ui/cells.js';
import { GAP, MARKER_WIDTH, layoutColumns } from '../../src/ui/columns.js';
import { fitHints, hintsFor } from '../../src/ui/hints.js';
import { KEYMAP, matchCommand } from '../../src/ui/keymap.js';
import type { KeyContext } from '../../src/ui/keymap.js';
import { initialUiState, keyContextOf, moveSelection, uiReducer } from '../../src/ui/ui-state.js';
import type { TestsView, WorkerView } from '../../src/state/view-types.js';

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (over: Partial<Key>): Key => ({ ...noKey, ...over });

describe('eventCell', () => {
  // A view built at `now` with an event `ageMs` old (the cell reads the event's time).
  const view = (ageMs: number, now: number): LaneView =>
    ({ lastEvent: { name: 'lane.red', ageMs, at: now - ageMs } }) as unknown as LaneView;
  it('measures row ages to the last 10 s boundary, so all rows change at the same tick', () => {
    const boundary = 1_700_000_000_000; // a multiple of 10 s
    expect(eventCell(view(25_000, boundary), boundary).text).toBe('20s red');
    const later = boundary + 7_000; // 18 s to the boundary
    expect(eventCell(view(25_000, later), later).text).toBe('10s red');
    expect(eventCell(view(16_000, later), later).text).toBe('now red');
    expect(eventCell(view(3 * 60_000 + 5_000, boundary + 9_000), boundary + 9_000).text).toBe(
      '2m red',
    );
  });
  it('reads the age from the event time, not from an older view', () => {
    const builtAt = 1_700_000_000_000;
    const v = view(25_000, builtAt); // 20s at build time
    expect(eventCell(v, builtAt + 40_000).text).toBe('1m red');
  });
});

describe('format', () => {
  it('formats ages and durations by the largest whole unit', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(4_900)).toBe('4s');
    expect(formatAge(10_000)).toBe('10s');
    expect(formatAge(29_999)).toBe('20s');
    expect(formatAge(59_999)).toBe('50s');
    expect(formatAge(3 * 60_000 + 59_000)).toBe('3m');
    expect(formatAge(2 * 3_600_000)).toBe('2h');
    expect(formatAge(49 * 3_600_000)).toBe('2d');
    expect(formatAge(-5)).toBe('0s');
    expect(formatAge(null)).toBe('—');
    expect(formatRowAge(9_999)).toBe('now');
    expect(formatRowAge(-5)).toBe('now');
    expect(formatRowAge(10_000)).toBe('10s');
    expect(formatRowAge(null)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('rounds countdowns up and says now at zero', () => {
    expect(formatCountdown(1)).toBe('1s');
    expect(formatCountdown(2_100)).toBe('3s');
    expect(formatCountdown(61_000)).toBe('2m');
    expect(formatCountdown(0)).toBe('now');
    expect(formatCountdown(-10)).toBe('now');
    expect(formatCountdown(null)).toBe('—');
  });

  it('shortens shas and paths', () => {
    expect(shortSha('c956f78aa11bb22')).toBe('c956f78');
    expect(shortSha(null)).toBe('—');
    expect(shortenPath('/home/dev/src/app', '/home/dev')).toBe('~/src/app');
    expect(shortenPath('/home/devx/app', '/home/dev')).toBe('/home/devx/app');
    const long = shortenPath('/very/long/path/to/some/organisation/repository', null, 26);
    expect(long).toBe('…/organisation/repository');
    expect(long.length).toBeLessThanOrEqual(26);
    expect(shortenPath('/very/long/path/to/some/organisation/repository', null, 24)).toBe(
      '…/repository',
    );
    expect(shortenPath('/x/' + 'a'.repeat(50), null, 10).length).toBeLessThanOrEqual(10);
  });
});

describe('layoutColumns', () => {
  it.each([20, 40, 60, 80, 100, 120, 200])('fits %i columns exactly or less', (w) => {
    const l = layoutColumns(w);
    const sum =
      MARKER_WIDTH + l.columns.reduce((n, c) => n + c.width, 0) + GAP * (l.columns.length - 1);
    expect(l.total).toBe(sum);
    expect(l.total).toBeLessThanOrEqual(w);
    expect(l.columns.every((c) => c.width >= 1)).toBe(true);
  });

  it('drops columns by priority when narrow and keeps lane + blocker always', () => {
    const keys = (w: number) => layoutColumns(w).columns.map((c) => c.key);
    expect(keys(120)).toEqual([
      'id',
      'branch',
      'fresh',
      'diff',
      'worker',
      'agent',
      'tests',
      'blocker',
      'event',
    ]);
    expect(keys(80)).toEqual(['id', 'fresh', 'worker', 'agent', 'tests', 'blocker']);
    expect(keys(30)).toEqual(['id', 'blocker']);
    // From 140 columns the activity column is there and takes the spare width.
    expect(keys(140)).toContain('activity');
    const wide = layoutColumns(220).columns;
    const activity = wide.find((c) => c.key === 'activity')?.width ?? 0;
    expect(activity).toBeGreaterThan(wide.find((c) => c.key === 'blocker')?.width ?? 0);
    expect(layoutColumns(200).total).toBe(200);
  });
});

describe('cells', () => {
  const worker = (over: Partial<WorkerView>): WorkerView => ({
    state: 'running',
    pid: 4242,
    restarts: 0,
    exitCode: null,
    signal: null,
    nextStartInMs: null,
    error: null,
    adopted: false,
    operatorStopped: false,
    ...over,
  });

  it('describes every worker state', () => {
    expect(workerCell(worker({ restarts: 2 })).text).toBe('run 4242 ↻2');
    expect(workerCell(worker({})).text).toBe('run 4242');
    expect(workerCell(worker({ state: 'backoff', nextStartInMs: 2_500 })).text).toBe('backoff 3s');
    const backoff = workerCell(worker({ state: 'backoff', nextStartInMs: 9_500, restarts: 3 }));
    expect(fitCell(backoff, 11)).toBe('↻ in 10s');
    expect(fitCell(backoff, 20)).toBe('backoff 10s ↻3');
    // Wide characters count two cells: a cut never overflows its column (Ink's own cut did).
    expect(fitCell({ text: '日本語x', tone: 'muted' }, 4)).toBe('日…');
    for (const w of [0, 1, 2, 3, 5, 7])
      expect(stringWidth(cutToWidth('lane/日本語-👍🏽-x', w))).toBeLessThanOrEqual(w);
    expect(cutToWidth('lane/abc', 8)).toBe('lane/abc');
    expect(cutToWidth('lane/abcd', 8)).toBe('lane/ab…');
    // A tag (the id cell's `(muted)`) is kept whole: its short form, and the text cut before it.
    const muted = {
      text: 'charlie',
      tone: 'plain' as const,
      tag: { text: '(muted)', short: '(m)' },
    };
    expect(fitCell(muted, 15)).toBe('charlie (muted)');
    expect(fitCell(muted, 14)).toBe('charlie (m)');
    expect(fitCell(muted, 11)).toBe('charlie (m)');
    expect(fitCell(muted, 10)).toBe('charl… (m)');
    expect(fitCell(muted, 6)).toBe('c… (m)');
    expect(fitCell(muted, 5)).toBe('char…');
    expect(fitCell({ ...muted, text: '日本語' }, 9)).toBe('日本… (m)');
    for (const w of [0, 1, 3, 5, 6, 9, 12])
      expect(stringWidth(fitCell(muted, w))).toBeLessThanOrEqual(w);
    expect(workerCell(worker({ state: 'crash_loop' })).text).toBe('crash_loop');
    expect(workerCell(worker({ state: 'exited', exitCode: 1 }))).toEqual({
      text: 'exit 1',
      tone: 'bad',
    });
    expect(workerCell(worker({ state: 'exited', signal: 'SIGKILL' })).text).toBe('sig SIGKILL');
    expect(workerCell(worker({ state: 'failed_to_start' })).text).toBe('failed');
    expect(workerCell(worker({ state: 'stopped' })).text).toBe('stopped');
    expect(workerCell(worker({ state: 'none' })).text).toBe('—');
    expect(workerCell(worker({ state: 'weird\u001b[2J' })).text).toBe('weird');
  });

  it('marks stale test results and keeps meaning without colour', () => {
    const tests = (over: Partial<TestsView>): TestsView => ({
      status: 'green',
      level: 'package',
      stale: false,
      commit: 'abc',
      passed: 3,
      failed: 0,
      source: null,
      ...over,
    });
    expect(testsCell(tests({})).text).toBe('green pkg');
    expect(testsCell(tests({ stale: true })).text).toBe('green* pkg (stale)');
    expect(testsCell(tests({ stale: true })).short).toBe('green* pkg');
    expect(testsCell(tests({ status: 'red', failed: 2 })).text).toBe('red pkg 2✗');
    expect(testsCell(tests({ level: 'galaxy_brain' })).text).toBe('green galaxy_brain');
    expect(testsCell(tests({ status: 'unknown', level: null, failed: null })).text).toBe('—');
  });
});

describe('board lines and scrolling', () => {
  const groups = [
    { repo: '/a', laneIds: ['a1', 'a2'] },
    { repo: '/b', laneIds: ['b1'] },
  ];

  it('flattens groups into headings and lanes', () => {
    const { lines, ids } = boardLines(groups);
    expect(lines.map((l) => (l.kind === 'group' ? `#${l.repo}` : l.id))).toEqual([
      '#/a',
      'a1',
      'a2',
      '#/b',
      'b1',
    ]);
    expect(ids).toEqual(['a1', 'a2', 'b1']);
  });

  it('keeps the selection visible with minimal movement', () => {
    expect(scrollOffset(100, 0, 10, 0, true)).toBe(0);
    expect(scrollOffset(100, 15, 10, 0, false)).toBe(6);
    expect(scrollOffset(100, 12, 10, 6, false)).toBe(6);
    expect(scrollOffset(100, 3, 10, 6, false)).toBe(3);
    expect(scrollOffset(100, 3, 10, 6, true)).toBe(2);
    expect(scrollOffset(100, 99, 10, 0, false)).toBe(90);
    expect(scrollOffset(5, 4, 10, 3, false)).toBe(0);
    expect(scrollOffset(100, -1, 10, 500, false)).toBe(90);
  });
});

describe('keymap', () => {
  it('matches keys per context', () => {
    expect(matchCommand('board', 'j', noKey)).toBe('down');
    expect(matchCommand('board', '', key({ downArrow: true }))).toBe('down');
    expect(matchCommand('board', 'S', key({ shift: true }))).toBe('start');
    expect(matchCommand('board', 's', noKey)).toBe('steer');
    expect(matchCommand('board', '', key({ return: true }))).toBe('open');
    expect(matchCommand('prompt', '', key({ return: true }))).toBe('submit');
    expect(matchCommand('prompt', 'q', noKey)).toBeNull();
    expect(matchCommand('prompt', 'c', key({ ctrl: true }))).toBe('quit');
    expect(matchCommand('confirm', 'y', noKey)).toBe('yes');
    // Ctrl-C in a confirmation is `quit` (it answers the quit question; never a removal).
    expect(matchCommand('confirm', 'c', key({ ctrl: true }))).toBe('quit');
    expect(matchCommand('confirm', 'q', noKey)).toBeNull();
    expect(matchCommand('confirm', '', key({ escape: true, meta: true }))).toBe('no');
    expect(matchCommand('board', '', key({ escape: true, meta: true }))).toBe('close');
    expect(matchCommand('board', 'j', key({ meta: true }))).toBeNull();
  });

  it('has no two bindings for the same key in one context', () => {
    const contexts: KeyContext[] = ['board', 'detail', 'prompt', 'help', 'confirm'];
    for (const ctx of contexts) {
      const seen = new Set<string>();
      for (const b of KEYMAP.filter((x) => x.contexts.includes(ctx))) {
        for (const k of b.keys) {
          expect(seen.has(k.display), `${ctx}: ${k.display}`).toBe(false);
          seen.add(k.display);
        }
      }
    }
  });

  it('generates footer hints that fit the width', () => {
    const hints = hintsFor('board');
    expect(hints.map((h) => h.label)).toContain('steer');
    expect(hintsFor('detail')[0]?.label).toBe('scroll');
    for (const w of [10, 40, 80]) expect(fitHints(hints, w).length).toBeLessThanOrEqual(w);
  });
});

describe('ui state', () => {
  it('moves the selection and clamps at both ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(moveSelection(ids, null, 1)).toBe('b');
    expect(moveSelection(ids, 'c', 5)).toBe('c');
    expect(moveSelection(ids, 'a', -1)).toBe('a');
    expect(moveSelection(ids, 'gone', 1)).toBe('b');
    expect(moveSelection(ids, 'b', 'bottom')).toBe('c');
    expect(moveSelection([], null, 1)).toBeNull();
  });

  it('layers overlays over the detail pane and edits the prompt', () => {
    let s = uiReducer(initialUiState, { type: 'detail', open: true });
    expect(keyContextOf(s)).toBe('detail');
    s = uiReducer(s, { type: 'help', open: true });
    expect(keyContextOf(s)).toBe('help');
    s = uiReducer(s, { type: 'help', open: false });
    expect(keyContextOf(s)).toBe('detail');
    s = uiReducer(s, { type: 'prompt/open', laneId: 'a' });
    s = uiReducer(s, { type: 'prompt/append', text: 'hi😀' });
    s = uiReducer(s, { type: 'prompt/backspace' });
    expect(s.prompt).toEqual({ laneId: 'a', text: 'hi' });
    s = uiReducer(s, { type: 'scroll', pane: 'detail', by: 50, max: 7 });
    expect(s.detailScroll).toBe(7);
    s = uiReducer(s, { type: 'scroll', pane: 'detail', by: -100, max: 7 });
    expect(s.detailScroll).toBe(0);
    expect(uiReducer(s, { type: 'scroll', pane: 'detail', by: -1, max: 7 })).toBe(s);
  });
});
