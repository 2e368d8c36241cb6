/**
 * The supervisor record's text is built from each lane's cached entry text
 * (src/runtime/supervisor/record.ts): it must be exactly what `JSON.stringify(record, null,
 * 2)` gave before, for no lanes, one, several, odd ids and values with escapes; and the
 * entry memo rebuilds only when an input is a different object.
 */
import { describe, expect, it } from 'vitest';
import {
  memoByIdentity,
  recordEntryText,
  recordText,
  type RecordLane,
} from '../../../src/runtime/supervisor/record.js';

const entry = (over: Partial<RecordLane> = {}): RecordLane => ({
  logStart: 120,
  pid: 4242,
  pgid: 4242,
  startTime: 987_654,
  token: 'c0ffee00-0000-4000-8000-000000000000',
  operatorStopped: false,
  restarts: 3,
  command: ['node', 'agent.js', '--say', 'line\nbreak "quoted" \\ back'],
  state: {
    phase: 'running',
    startedAt: 1_796_000_000_000,
    exitCode: null,
    signal: null,
    nextStartAt: null,
    error: 'multi\nline\terror ✓',
    adopted: false,
  },
  ...over,
});

const expected = (boardPid: number, lanes: [string, RecordLane][]): string =>
  `${JSON.stringify({ version: 1, boardPid, lanes: Object.fromEntries(lanes) }, null, 2)}\n`;

describe('supervisor record text', () => {
  it('is byte for byte JSON.stringify(record, null, 2)', () => {
    const cases: [string, RecordLane][][] = [
      [],
      [['a', entry()]],
      [
        ['l000', entry()],
        ['lane "two"', entry({ pid: null, pgid: null, startTime: null, token: null })],
        ['ünï\ncode', entry({ command: null, state: undefined })],
        ['empty-cmd', entry({ command: [] })],
      ],
    ];
    for (const lanes of cases) {
      const text = recordText(
        31337,
        lanes.map(([id, e]) => [id, recordEntryText(e)] as const),
      );
      expect(text).toBe(expected(31337, lanes));
      expect(JSON.parse(text)).toEqual(JSON.parse(expected(31337, lanes)));
    }
  });

  it('leaves out lanes with nothing to keep (no command, no process, no operator stop)', () => {
    const empty = entry({ command: null, pid: null, pgid: null, startTime: null, token: null });
    expect(recordEntryText(empty)).toBe('');
    expect(recordEntryText({ ...empty, operatorStopped: true })).not.toBe('');
    expect(recordEntryText({ ...empty, pid: 7 })).not.toBe('');
    expect(recordEntryText({ ...empty, command: ['x'] })).not.toBe('');
    const lanes: [string, RecordLane][] = [
      ['kept', entry()],
      ['observed', empty],
    ];
    expect(recordText(1, [...lanes.map(([id, e]) => [id, recordEntryText(e)] as const)])).toBe(
      expected(1, [['kept', entry()]]),
    );
    expect(recordText(1, [['observed', '']])).toBe(expected(1, []));
  });

  it('rebuilds an entry only when an input is another object', () => {
    let builds = 0;
    const memo = memoByIdentity((a: object, n: number) => `${++builds}:${JSON.stringify(a)}:${n}`);
    const a = { x: 1 };
    expect(memo(a, 1)).toBe('1:{"x":1}:1');
    expect(memo(a, 1)).toBe('1:{"x":1}:1');
    expect(memo({ x: 1 }, 1)).toBe('2:{"x":1}:1');
    expect(memo(a, 2)).toBe('3:{"x":1}:2');
    expect(builds).toBe(3);
  });
});
