/**
 * The snapshot contract: `selectSnapshot` output validates against the shipped JSON Schema
 * (schema/snapshot.schema.json) for lanes in many states, including hostile raw documents,
 * and carries the field names machines rely on.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import type { LaneConfig } from '../../src/state/config-types.js';
import { selectSnapshot } from '../../src/state/snapshot.js';
import { createBoardStore } from '../../src/state/store.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/snapshot.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(
  schema,
);

function lane(id: string): LaneConfig {
  return {
    id,
    repo: '/r',
    worktree: `/wt/${id}`,
    branch: `lane/${id}`,
    base: 'main',
    command: id === 'observe' ? null : ['agent'],
    env: {},
    bridge: `/b/${id}`,
    autostart: true,
    restart: 'on-failure',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
  };
}

interface SnapLane {
  id: string;
  git: Record<string, unknown>;
  worker: Record<string, unknown>;
  raw: { extras: Record<string, unknown> };
}

describe('snapshot', () => {
  it('validates against the schema for empty, busy and hostile lanes', () => {
    const T = Date.parse('2026-11-20T10:00:00Z');
    const s = createBoardStore();
    s.dispatch({
      type: 'lanes/configured',
      lanes: [lane('empty'), lane('busy'), lane('observe')],
      settings: DEFAULT_SETTINGS,
      at: T,
    });
    s.dispatch({
      type: 'git/ok',
      laneId: 'busy',
      info: {
        branch: null,
        head: 'a'.repeat(40),
        dirty: { staged: 1, unstaged: 0, untracked: 2, conflicted: 0 },
        base: 'main',
        ahead: 2,
        behind: 3,
        baseError: null,
        missing: ['fix: a', 'fix: b'],
        upstream: 'origin/x',
        upstreamAhead: 1,
        upstreamBehind: 0,
      },
      at: T,
    });
    s.dispatch({
      type: 'git/error',
      laneId: 'observe',
      error: 'not a git repository',
      code: 'not_git',
      at: T,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'busy',
      kind: 'state',
      file: 'state.json',
      raw: {
        status: 'blocked',
        sessionId: 7,
        blocker: {
          failureClass: 'rate_limit',
          detail: '\u001b]52;c;ZXZpbA==\u0007',
          resetAt: '2026-11-20T11:00:00Z',
        },
        weird: { deep: [1, [2, [3]]] },
        updatedAt: 'garbage',
      },
      at: T,
    });
    s.dispatch({
      type: 'bridge/doc',
      laneId: 'busy',
      kind: 'result',
      file: 'result.json',
      raw: { sid: 'x', res: 'done', ok: true },
      at: T,
    });
    s.dispatch({
      type: 'bridge/events',
      laneId: 'busy',
      lines: [
        {
          ok: true,
          line: 1,
          file: 'events.jsonl',
          value: { event: 'lane.red', emittedAt: '1775230717', failureClass: 'test' },
        },
        { ok: false, line: 2, file: 'events.jsonl', error: 'not JSON' },
      ],
      at: T,
    });
    s.dispatch({
      type: 'worker/updated',
      laneId: 'busy',
      worker: {
        phase: 'backoff',
        pid: null,
        restarts: 2,
        startedAt: T,
        exitCode: 1,
        signal: null,
        nextStartAt: T + 4_000,
        error: null,
        operatorStopped: false,
        adopted: false,
      },
      at: T,
    });
    s.dispatch({
      type: 'steer/sent',
      laneId: 'busy',
      message: {
        id: 'm1',
        text: 'go',
        sentAt: T,
        via: 'inbox',
        state: 'pending',
        error: null,
        ackAt: null,
      },
      at: T,
    });
    s.dispatch({ type: 'board/notice', message: 'watch limit reached', at: T });
    const snap = selectSnapshot(s.getState());
    const ok = validate(snap);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(snap.schema).toBe('laneboard.snapshot/1');
    const lanes = snap.lanes as SnapLane[];
    expect(lanes.map((l) => l.id)).toEqual(['empty', 'busy', 'observe']);
    const busy = lanes[1]!;
    expect(busy.git).toMatchObject({
      ahead: 2,
      behind: 3,
      freshness: 'diverged',
      dirty: 3,
      head: 'a'.repeat(40),
    });
    expect(busy.worker).toMatchObject({ state: 'backoff', restarts: 2, nextStartInMs: 4_000 });
    expect(busy.raw.extras.state).toEqual({ weird: { deep: [1, [2, [3]]] } });
    expect(lanes[2]!.worker.state).toBe('none');
    expect(lanes[2]!.git.freshness).toBe('unknown');
  });
});
