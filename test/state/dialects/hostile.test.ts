import { describe, expect, it } from 'vitest';
import {
  agentBlockers,
  EMPTY_FOLD,
  foldEvent,
  normalizeClawState,
  normalizeEvent,
  normalizeResultDoc,
  normalizeStateDoc,
} from '../../../src/state/dialects/index.js';
import type { DialectSetting } from '../../../src/state/config-types.js';
import type { EventFold } from '../../../src/state/types.js';

const DIALECTS: DialectSetting[] = ['auto', 'native', 'claw-code', 'live-bridge', 'claude-hooks'];
const ctx = { worktreePaths: ['/wt/a'] };

/** A nested array/object chain `depth` levels deep (JSON.parse can produce this). */
function deep(depth: number): unknown {
  let x: unknown = 'bottom';
  for (let i = 0; i < depth; i++) x = i % 2 ? [x] : { 'blocked.x': x };
  return x;
}

const WEIRD: unknown[] = [
  null,
  0,
  -1,
  1e308,
  NaN,
  '',
  'x',
  true,
  [],
  [1, 2],
  {},
  { a: 1 },
  deep(5_000),
  new Array(100_000).fill({ a: [1] }),
  'z'.repeat(100_000),
  JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}') as unknown,
];

/** Every known field of every dialect, each set to `v`. */
function allFields(v: unknown): Record<string, unknown> {
  const keys = [
    'schema',
    'status',
    'phase',
    'sessionId',
    'workspaceRoot',
    'branch',
    'headCommit',
    'blocker',
    'checkpoint',
    'pid',
    'updatedAt',
    'worker_id',
    'is_ready',
    'trust_gate_cleared',
    'prompt_in_flight',
    'last_event',
    'updated_at',
    'seconds_since_update',
    'session_id',
    'tmux_session',
    'transcript_path',
    'reason',
    'reset_at',
    'turn',
    'lane',
    'error',
    'ok',
    'finishedAt',
    'summary',
    'tests',
    'failureClass',
    'detail',
    'commit',
    'sid',
    'res',
    'finished_at',
    'event',
    'emittedAt',
    'data',
    'metadata',
    'hook_event_name',
    'cwd',
    'received_at',
    'message',
    'notification_type',
    'tool_name',
    'tool_input',
    'last_assistant_message',
    'prompt',
    'source',
  ];
  return Object.fromEntries(keys.map((k) => [k, v]));
}

describe('hostile input never throws', () => {
  it('top-level garbage becomes {error}', () => {
    for (const raw of [null, 1, 'x', [], [{}], true]) {
      expect(normalizeStateDoc(raw, { file: 's', at: 1, dialect: 'auto' })).toHaveProperty('error');
      expect(normalizeResultDoc(raw, { file: 'r', at: 1, dialect: 'auto' })).toHaveProperty(
        'error',
      );
      expect(normalizeClawState(raw, { file: 'c', at: 1, dialect: 'auto' })).toHaveProperty(
        'error',
      );
      expect(normalizeEvent(raw, { file: 'e', line: 1, at: 1, dialect: 'auto' })).toHaveProperty(
        'error',
      );
    }
    expect(normalizeStateDoc({ hello: 'world' }, { file: 's', at: 1, dialect: 'auto' })).toEqual({
      error: 'unrecognized state document: no status and no field of a known dialect',
    });
    expect(
      normalizeEvent({ foo: 1 }, { file: 'e', line: 1, at: 1, dialect: 'auto' }),
    ).toHaveProperty('error');
  });

  it('every field of every dialect set to every weird value, under every dialect setting', () => {
    let fold: EventFold = EMPTY_FOLD;
    for (const v of WEIRD) {
      const raw = allFields(v);
      for (const dialect of DIALECTS) {
        const s = normalizeStateDoc(raw, { file: 's', at: 1, dialect });
        if (!('error' in s)) {
          expect(typeof s.status).toBe('string');
          expect(() => agentBlockers(s, 10_000_000)).not.toThrow();
          expect(() => JSON.stringify(s)).not.toThrow();
        }
        normalizeResultDoc(raw, { file: 'r', at: 1, dialect });
        const e = normalizeEvent(raw, { file: 'e', line: 1, at: 1, dialect });
        if (!('error' in e)) fold = foldEvent(fold, e, ctx);
        for (const hook of [
          'Notification',
          'StopFailure',
          'PermissionRequest',
          'PreToolUse',
          'Stop',
          'SessionStart',
        ]) {
          const h = normalizeEvent(
            { ...raw, hook_event_name: hook },
            { file: 'e', line: 2, at: 1, dialect },
          );
          if ('error' in h) throw new Error(h.error);
          fold = foldEvent(fold, h, ctx);
        }
        for (const name of [
          'lane.blocked',
          'lane.green',
          'lane.red',
          'branch.stale_against_main',
          'branch.workspace_mismatch',
          'steer.acknowledged',
        ]) {
          const l = normalizeEvent(
            { ...raw, event: name, hook_event_name: undefined },
            { file: 'e', line: 3, at: 1, dialect },
          );
          if ('error' in l) throw new Error(l.error);
          fold = foldEvent(fold, l, ctx);
        }
      }
    }
    expect(fold.recent.length).toBe(50);
    expect(() => JSON.stringify(fold)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('wrong types are coerced or dropped, the rest of the document is kept', () => {
    const s = normalizeStateDoc(
      {
        schema: 'laneboard.state/1',
        status: 42,
        phase: ['x'],
        sessionId: 7,
        updatedAt: 'soon',
        workspaceRoot: { a: 1 },
        blocker: 'oops',
        extra: 1,
      },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect(s).toMatchObject({
      status: '42',
      kind: 'unknown',
      phase: null,
      sessionId: '7',
      heartbeatAt: null,
      workspaceRoot: null,
      blocker: null,
      extras: { extra: 1 },
    });
    const r = normalizeResultDoc(
      {
        ok: 'true',
        finishedAt: [],
        tests: { status: 5, passed: -3, failed: 'two', skipped: '1', exitCode: '2', level: {} },
        commit: 12,
      },
      { file: 'r', at: 1, dialect: 'auto' },
    );
    expect(r).toMatchObject({
      ok: true,
      finishedAt: null,
      commit: '12',
      tests: {
        status: 'unknown',
        passed: null,
        failed: null,
        skipped: 1,
        exitCode: 2,
        level: null,
      },
    });
  });

  it('pathological values in extras and event data become markers; cwd and the rest survive', () => {
    const s = normalizeStateDoc(
      {
        status: 'idle',
        updatedAt: 1,
        deep: deep(5_000),
        wide: new Array(100_000).fill(1),
        ok: [[[1]]],
      },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect('error' in s ? null : s.extras).toEqual({
      deep: '[omitted: nested deeper than 32 levels]',
      wide: '[omitted: more than 50000 values]',
      ok: [[[1]]],
    });
    const h = normalizeEvent(
      { hook_event_name: 'PreToolUse', cwd: '/elsewhere', tool_input: deep(100) },
      { file: 'e', line: 1, at: 1, dialect: 'auto' },
    );
    if ('error' in h) throw new Error(h.error);
    expect(h.data).toMatchObject({
      cwd: '/elsewhere',
      tool_input: '[omitted: nested deeper than 32 levels]',
    });
    expect(foldEvent(EMPTY_FOLD, h, ctx).blockers.workspace_mismatch?.detail).toBe(
      "agent wrote in /elsewhere, outside the lane's worktree /wt/a",
    );
  });

  it('a missing or unknown status is kept as a clear state', () => {
    const s = normalizeStateDoc({ updatedAt: 1775280637 }, { file: 's', at: 1, dialect: 'auto' });
    expect(s).toMatchObject({
      dialect: 'native',
      status: 'unknown',
      kind: 'unknown',
      heartbeatAt: 1775280637_000,
    });
    const c = normalizeStateDoc(
      { worker_id: 'w', status: 'hyperspace' },
      { file: 's', at: 1, dialect: 'auto' },
    );
    expect(c).toMatchObject({ dialect: 'claw-code', status: 'hyperspace', kind: 'unknown' });
  });

  it('a laneboard schema wins over a forced dialect; the forced dialect is honoured otherwise', () => {
    const n = normalizeStateDoc(
      { schema: 'laneboard.state/1', status: 'idle' },
      { file: 's', at: 1, dialect: 'claw-code' },
    );
    expect(n).toMatchObject({ dialect: 'native' });
    const l = normalizeStateDoc(
      { status: 'idle', updatedAt: 5 },
      { file: 's', at: 1, dialect: 'live-bridge' },
    );
    expect(l).toMatchObject({
      dialect: 'live-bridge',
      heartbeatAt: null,
      extras: { updatedAt: 5 },
    });
  });
});
