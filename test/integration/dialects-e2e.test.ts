/**
 * Every file in the shared fixtures goes through the real bridge reader and store (placed
 * where its system writes it) and comes out as a lane with an agent status in the right
 * dialect and no read problems. The detailed per-fixture assertions live beside this file
 * (dialects-e2e-hooks / -claw-live / -git / -steering); a fixture added to the shared set
 * fails here until it is placed and asserted.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFixtures } from '../helpers/dialect-fixtures.js';
import {
  cleanupLaneEnvs,
  copyFixture,
  laneSnap,
  makeLaneEnv,
  readInto,
  type LaneEnv,
} from '../helpers/dialects-e2e-env.js';

afterEach(cleanupLaneEnvs);

/** Where each fixture goes, and the dialect its agent status must be read as. */
const PLACEMENT: Record<string, { dest: (env: LaneEnv) => string; dialect: string }> = {
  'claude-code-hooks/captured-2.1.330-stopfailure.jsonl': {
    dest: (e) => path.join(e.bridge, 'hook-events.jsonl'),
    dialect: 'claude-hooks',
  },
  'claude-code-hooks/captured-2.1.330-turn.jsonl': {
    dest: (e) => path.join(e.bridge, 'hook-events.jsonl'),
    dialect: 'claude-hooks',
  },
  'claude-code-hooks/hook-events.jsonl': {
    dest: (e) => path.join(e.bridge, 'hook-events.jsonl'),
    dialect: 'claude-hooks',
  },
  'claw-code/lane-events.jsonl': {
    dest: (e) => path.join(e.bridge, 'events.jsonl'),
    dialect: 'claw-code',
  },
  'claw-code/worker-state.json': {
    dest: (e) => path.join(e.worktree, '.claw', 'worker-state.json'),
    dialect: 'claw-code',
  },
  'live-bridge/state.json': {
    dest: (e) => path.join(e.bridge, 'state.json'),
    dialect: 'live-bridge',
  },
  'live-bridge/result.json': {
    dest: (e) => path.join(e.bridge, 'result.json'),
    dialect: 'live-bridge',
  },
};

const T = Date.parse('2026-11-20T10:15:00Z');

describe('every shared fixture through the real reader and store', () => {
  const data = listFixtures().filter((f) => /\.jsonl?$/.test(f));

  it('has a placement (and detailed assertions) for every fixture', () => {
    expect(data.sort()).toEqual(Object.keys(PLACEMENT).sort());
  });

  it.each(data)('%s is read without problems in its dialect', async (rel) => {
    const place = PLACEMENT[rel];
    if (!place) throw new Error(`no placement for ${rel}`);
    const env = makeLaneEnv('lane-a', T);
    copyFixture(env, rel, place.dest(env));
    await readInto(env, T);
    const s = laneSnap(env);
    expect(s.problems).toEqual([]);
    if (rel === 'live-bridge/result.json') {
      // A result alone carries no agent status; it is kept verbatim.
      expect(s.raw.result).toMatchObject({ sid: '5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11' });
    } else {
      expect(s.agent.dialect).toBe(place.dialect);
      expect(s.agent.status).not.toBeNull();
    }
    for (const b of s.blockers) {
      expect(b.detail.length).toBeGreaterThan(0);
      expect(b.nextAction.length).toBeGreaterThan(0);
      expect(b.source.file.length).toBeGreaterThan(0);
    }
  });
});
