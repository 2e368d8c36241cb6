import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLD_WINDOW_BYTES } from '../../../src/runtime/bridge/events-tail.js';
import { readBridgeOnce } from '../../../src/runtime/bridge/once.js';
import type { LaneConfig } from '../../../src/state/config-types.js';
import { FIXTURES } from '../../helpers/dialect-fixtures.js';
import {
  laneAt,
  makeLaneDirs,
  makeTempDir,
  removeDir,
  testSettings,
} from '../../helpers/bridge-helpers.js';

describe('readBridgeOnce', () => {
  let root: string;
  let lane: LaneConfig;
  beforeEach(async () => {
    root = await makeTempDir();
    lane = laneAt(root, 'one');
    await makeLaneDirs(lane);
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('returns doc, missing, claw, events and line errors, all stamped `at`', async () => {
    await writeFile(
      join(lane.bridge, 'state.json'),
      '{"schema":"laneboard.state/1","status":"running"}',
    );
    await writeFile(
      join(lane.bridge, 'events.jsonl'),
      '{"event":"lane.started"}\nnot json\n{"event":"lane.re',
    );
    await writeFile(join(lane.bridge, 'hook-events.jsonl'), '{"hook_event_name":"Stop"}\n');
    await mkdir(join(lane.worktree, '.claw'));
    await writeFile(
      join(lane.worktree, '.claw', 'worker-state.json'),
      '{"worker_id":"w","status":"ready_for_prompt"}',
    );
    const actions = await readBridgeOnce(lane, testSettings(), 777);
    expect(actions.every((a) => a.at === 777)).toBe(true);
    const byType = (t: string): unknown[] => actions.filter((a) => a.type === t);
    expect(byType('bridge/doc')).toEqual(
      expect.arrayContaining([
        {
          type: 'bridge/doc',
          laneId: 'one',
          kind: 'state',
          file: 'state.json',
          raw: { schema: 'laneboard.state/1', status: 'running' },
          at: 777,
        },
        {
          type: 'bridge/doc',
          laneId: 'one',
          kind: 'claw',
          file: '.claw/worker-state.json',
          raw: { worker_id: 'w', status: 'ready_for_prompt' },
          at: 777,
        },
      ]),
    );
    expect(byType('bridge/doc')).toHaveLength(2);
    expect(byType('bridge/missing')).toEqual([
      { type: 'bridge/missing', laneId: 'one', kind: 'result', at: 777 },
    ]);
    const lines = actions.flatMap((a) => (a.type === 'bridge/events' ? a.lines : []));
    expect(lines).toEqual(
      expect.arrayContaining([
        { ok: true, value: { event: 'lane.started' }, line: 1, file: 'events.jsonl' },
        { ok: false, error: 'line 2 is not JSON: "not json"', line: 2, file: 'events.jsonl' },
        { ok: true, value: { hook_event_name: 'Stop' }, line: 1, file: 'hook-events.jsonl' },
      ]),
    );
    expect(lines).toHaveLength(3); // the partial third line is not an event yet
    expect(byType('bridge/dirError')).toEqual([]);
    expect(byType('bridge/eventsError')).toEqual([]);
  });

  it('reads the shared dialect fixtures as plain JSON without judging them', async () => {
    await copyFile(join(FIXTURES, 'live-bridge', 'state.json'), join(lane.bridge, 'state.json'));
    await copyFile(join(FIXTURES, 'live-bridge', 'result.json'), join(lane.bridge, 'result.json'));
    await copyFile(
      join(FIXTURES, 'claw-code', 'lane-events.jsonl'),
      join(lane.bridge, 'events.jsonl'),
    );
    await copyFile(
      join(FIXTURES, 'claude-code-hooks', 'hook-events.jsonl'),
      join(lane.bridge, 'hook-events.jsonl'),
    );
    const actions = await readBridgeOnce(lane, testSettings(), 1);
    const docs = actions.filter((a) => a.type === 'bridge/doc');
    expect(docs.map((a) => a.type === 'bridge/doc' && a.kind).sort()).toEqual(['result', 'state']);
    const lines = actions.flatMap((a) => (a.type === 'bridge/events' ? a.lines : []));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => !l.ok)).toEqual([]);
  });

  it('reports a missing bridge dir and still reads the claw file', async () => {
    await rm(lane.bridge, { recursive: true });
    const actions = await readBridgeOnce(lane, testSettings(), 5);
    expect(actions).toEqual([
      {
        type: 'bridge/dirError',
        laneId: 'one',
        message: `bridge dir ${lane.bridge} does not exist`,
        at: 5,
      },
      { type: 'bridge/missing', laneId: 'one', kind: 'claw', at: 5 },
    ]);
  });

  it('reports symlinked and oversize files as errors, not content', async () => {
    const outside = await makeTempDir();
    try {
      await writeFile(join(outside, 'e.jsonl'), '{"secret":1}\n');
      await symlink(join(outside, 'e.jsonl'), join(lane.bridge, 'events.jsonl'));
      await writeFile(join(lane.bridge, 'result.json'), `{"pad":"${'x'.repeat(200)}"}`);
      const actions = await readBridgeOnce(lane, testSettings({ maxBridgeFileBytes: 100 }), 9);
      expect(actions).toContainEqual({
        type: 'bridge/eventsError',
        laneId: 'one',
        message: 'events.jsonl is a symlink; not followed',
        at: 9,
      });
      expect(actions).toContainEqual({
        type: 'bridge/docError',
        laneId: 'one',
        kind: 'result',
        message: 'result.json is 210 bytes, over the 100 bytes read limit',
        at: 9,
      });
      expect(JSON.stringify(actions)).not.toContain('secret');
    } finally {
      await removeDir(outside);
    }
  });

  it('reads only the end of a large events file (the cold start window), in order', async () => {
    // Issue #12: the snapshot needs the lane's current state, not the whole history.
    const n = 3000;
    const body = Array.from({ length: n }, (_, i) =>
      JSON.stringify({ event: 'x', i, pad: 'p'.repeat(3000) }),
    ).join('\n');
    await writeFile(join(lane.bridge, 'events.jsonl'), `${body}\n`); // ~9 MB
    const actions = await readBridgeOnce(lane, testSettings(), 1);
    const lines = actions.flatMap((a) => (a.type === 'bridge/events' ? a.lines : []));
    const seen = lines.map((l) => (l.ok ? (l.value as { i: number }).i : -1));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.length * 3000).toBeLessThanOrEqual(COLD_WINDOW_BYTES);
    // The newest lines, in order, none torn; line numbers unknown (0).
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => n - seen.length + k));
    expect(lines.every((l) => l.ok && l.line === 0)).toBe(true);
  });
});
