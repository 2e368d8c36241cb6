/**
 * Fault injection: terminal escape sequences (clear screen, cursor moves, OSC 0 titles,
 * OSC 8 links, OSC 52 clipboard writes, 8-bit CSI, bidi overrides, NUL/BS/CR) in EVERY
 * text field — and every key — of every dialect's bridge files (native state/result/
 * events, claw-code worker state + lane events, live-bridge state/result, Claude Code
 * hook payloads), through the real pipeline into the Ink board and the detail pane.
 * Asserts that no control character reaches any frame while the text stays visible as
 * data, and that a healthy lane beside them keeps updating.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FIXTURES } from '../helpers/dialect-fixtures.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  controlsIn,
  rowOf,
  startPipeline,
  until,
  type Pipeline,
} from '../helpers/faults-pipeline.js';

const ESC = '\u001b';

/** Wrap `s` in every kind of hostile sequence; the original text stays in the middle. */
export function poison(s: string): string {
  return (
    `${ESC}[2J${ESC}[H${ESC}[5A${ESC}]0;pwned\u0007${ESC}]8;;https://evil.example/${ESC}\\` +
    s +
    `${ESC}]8;;${ESC}\\${ESC}]52;c;cm0gLXJmIH4=\u0007\u009b31m\u202e\u2066x\u2069\r${ESC}[K\u0000\u0008`
  );
}

/** Keys left readable so dialect detection and event mapping still work (variant "text"). */
const STRUCTURAL = new Set(['schema', 'event', 'hook_event_name', 'kind']);

/** Poison every string value (and, with `keys`, every key) of a JSON value, recursively. */
function poisonAll(x: unknown, keys: boolean, key = ''): unknown {
  if (typeof x === 'string') return !keys && STRUCTURAL.has(key) ? x : poison(x);
  if (Array.isArray(x)) return x.map((v) => poisonAll(v, keys));
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[keys ? poison(k) : k] = poisonAll(v, keys, k);
    if (!keys) out[poison('extra-key')] = poison('extra value');
    return out;
  }
  return x;
}

const jsonl = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

const NATIVE_STATE = {
  schema: 'laneboard.state/1',
  status: 'running',
  phase: 'implementing retry policy',
  sessionId: 'sess-8f2c',
  workspaceRoot: '/home/dev/wt/auth-refactor',
  branch: 'lane/auth-refactor',
  headCommit: 'c956f78',
  blocker: {
    failureClass: 'rate_limit',
    detail: 'usage limit reached',
    since: '2026-11-20T10:14:00Z',
    resetAt: '2026-11-20T11:00:00Z',
    nextAction: 'wait for reset, then resume the same session',
  },
  checkpoint: { at: '2026-11-20T10:13:40Z', summary: 'tests for backoff added' },
  pid: 4242,
  updatedAt: '2026-11-20T10:15:01Z',
};
const NATIVE_RESULT = {
  schema: 'laneboard.result/1',
  ok: false,
  finishedAt: '2026-11-20T10:30:12Z',
  summary: 'Summary:\n- Current work: retry policy\n- 2 tests fail in backoff.test.ts',
  tests: {
    status: 'red',
    level: 'package',
    passed: 41,
    failed: 2,
    skipped: 0,
    command: 'npm test -- src/retry',
    exitCode: 1,
    commit: 'c956f78',
  },
  failureClass: 'test',
  detail: 'backoff.test.ts: expected 2000, got 1000',
  commit: { commit: 'c956f78', branch: 'lane/auth-refactor' },
};

interface LaneFiles {
  state?: unknown;
  result?: unknown;
  events?: unknown[];
  hooks?: unknown[];
  claw?: unknown;
}

async function dialectFiles(): Promise<Record<string, LaneFiles>> {
  const read = (p: string): Promise<string> => readFile(join(FIXTURES, p), 'utf8');
  const hookLines = [
    ...jsonl(await read('claude-code-hooks/hook-events.jsonl')),
    ...jsonl(await read('claude-code-hooks/captured-2.1.330-turn.jsonl')),
    ...jsonl(await read('claude-code-hooks/captured-2.1.330-stopfailure.jsonl')),
  ];
  return {
    native: {
      state: NATIVE_STATE,
      result: NATIVE_RESULT,
      events: jsonl(await read('claw-code/lane-events.jsonl')),
    },
    claw: {
      claw: JSON.parse(await read('claw-code/worker-state.json')) as unknown,
      events: jsonl(await read('claw-code/lane-events.jsonl')),
    },
    live: {
      state: JSON.parse(await read('live-bridge/state.json')) as unknown,
      result: JSON.parse(await read('live-bridge/result.json')) as unknown,
    },
    hooks: { hooks: hookLines },
  };
}

let p: Pipeline | null = null;
afterEach(async () => {
  await p?.dispose();
  p = null;
});

describe('escape sequences in every text field of every dialect', () => {
  it('reach no frame (board rows and detail panes), stay visible as data, and the healthy lane updates', async () => {
    const files = await dialectFiles();
    const hostile: string[] = [];
    for (const d of Object.keys(files)) hostile.push(`${d}-text`, `${d}-keys`);
    p = await startPipeline(['good', ...hostile]);
    const pl = p;
    await pl.bumpHealthy('good');
    for (const id of hostile) {
      const [dialect, variant] = id.split('-') as [string, string];
      const f = files[dialect] as LaneFiles;
      const po = (x: unknown): unknown => poisonAll(x, variant === 'keys');
      const write = async (path: string, text: string): Promise<void> => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
      };
      if (f.state !== undefined)
        await write(pl.file(id, 'state.json'), JSON.stringify(po(f.state)));
      if (f.result !== undefined)
        await write(pl.file(id, 'result.json'), JSON.stringify(po(f.result)));
      if (f.events)
        await write(
          pl.file(id, 'events.jsonl'),
          f.events.map((e) => `${JSON.stringify(po(e))}\n`).join(''),
        );
      if (f.hooks)
        await write(
          pl.file(id, 'hook-events.jsonl'),
          f.hooks.map((e) => `${JSON.stringify(po(e))}\n`).join(''),
        );
      if (f.claw !== undefined)
        await write(
          join(pl.lanes[id]?.worktree ?? '', '.claw', 'worker-state.json'),
          JSON.stringify(po(f.claw)),
        );
    }
    await pl.bumpHealthy('good');
    // Every hostile lane has been read (some agent status or an event).
    const touched = (id: string): boolean => {
      const b = pl.store.getState().lanes[id]?.bridge;
      if (b === undefined) return false;
      return (
        b.state.readAt !== null ||
        b.state.error !== null ||
        b.result.readAt !== null ||
        b.result.error !== null ||
        b.claw.readAt !== null ||
        b.claw.error !== null ||
        b.events.count > 0 ||
        b.eventsError !== null
      );
    };
    await until(
      () => hostile.every(touched),
      'every hostile lane read',
      10_000,
      () => hostile.filter((id) => !touched(id)).join(', '),
    );
    const board = await pl.waitForFrame(
      (f) => hostile.every((id) => rowOf(f, id) !== undefined),
      'all rows',
    );
    // Visible as data on the board: the original words survive the stripping.
    expect(rowOf(board, 'native-text')).toContain('running');
    expect(rowOf(board, 'live-text')).toContain('blocked');
    const seen: Record<string, string> = {};
    for (const id of hostile) {
      const d = await pl.openDetail(id, (f) => f.includes('worker.log'));
      seen[id] = d;
      if (process.env.LB_DEBUG) console.log(d);
      // Raw JSON shows the sequences JSON-escaped (inert, visible as data); nothing else does.
      const beforeRaw = d.slice(0, d.indexOf('Raw bridge data'));
      expect(beforeRaw).not.toContain('evil.example');
      expect(beforeRaw).not.toContain('cm0gLXJmIH4');
      await pl.closeDetail();
      await pl.bumpHealthy('good');
    }
    expect(seen['native-text']).toContain('implementing retry policy');
    expect(seen['native-text']).toContain('usage limit reached');
    expect(seen['native-text']).toContain('wait for reset, then resume the same session');
    // With every key poisoned nothing is recognizable: a clear problem, not a crash or a blank.
    expect(seen['native-keys']).toContain('unrecognized state document');
    expect(seen['claw-text']).toContain('trust prompt detected');
    expect(seen['live-text']).toContain('slop-develop');
    expect(seen['hooks-text']).toContain('Tests ran. Done: 1 passed.');
    const frames = pl.frames();
    console.log(`[faults] ${frames.length} frames checked for control characters`);
    for (const f of frames) expect(controlsIn(f)).toEqual([]);
  });
});
