/**
 * A running read side takes a new lane set (live lanes.yaml) with real repositories and
 * bridge files: an added lane's git state and bridge document arrive, a removed lane's
 * row goes and its later writes are ignored, a lane whose bridge moved reads the new
 * place and forgets the old one, kept lanes keep their state.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createObservers } from '../../src/runtime/observers.js';
import type { Observers } from '../../src/runtime/observers.js';
import type { BoardConfig, LaneConfig } from '../../src/state/config-types.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import { systemClock } from '../../src/runtime/types.js';
import { cleanupTempDirs, git, laneConfig, makeRepo, waitFor } from '../helpers/git-fixtures.js';

let running: Observers[] = [];
afterEach(async () => {
  await Promise.all(running.map((o) => o.dispose()));
  running = [];
  cleanupTempDirs();
});

function writeState(bridge: string, phase: string): void {
  mkdirSync(bridge, { recursive: true });
  const doc = {
    schema: 'laneboard.state/1',
    status: 'running',
    phase,
    updatedAt: new Date().toISOString(),
  };
  // atomically, as the bridge contract asks
  writeFileSync(path.join(bridge, 'state.json.tmp'), JSON.stringify(doc));
  renameSync(path.join(bridge, 'state.json.tmp'), path.join(bridge, 'state.json'));
}

function lane(root: string, repo: string, id: string, over: Partial<LaneConfig> = {}): LaneConfig {
  const worktree = path.join(root, `wt-${id}`);
  try {
    git(repo, 'worktree', 'add', '-q', '-b', id, worktree);
  } catch {
    // already there
  }
  return laneConfig({ repo, worktree, id, branch: id, bridge: path.join(root, 'br', id), ...over });
}

function config(root: string, lanes: LaneConfig[]): BoardConfig {
  return {
    file: path.join(root, 'lanes.yaml'),
    dir: root,
    stateDir: path.join(root, '.lb'),
    settings: DEFAULT_SETTINGS,
    lanes,
  };
}

const phaseOf = (o: Observers, id: string): unknown => {
  const l = o.store.getState().lanes[id];
  return (l?.bridge.state.value as { phase?: unknown } | null | undefined)?.phase ?? null;
};

describe('createObservers().reconfigure', () => {
  it('adds, removes and moves lanes while running', async () => {
    const { root, repo } = makeRepo();
    const a = lane(root, repo, 'a');
    const b = lane(root, repo, 'b');
    writeState(a.bridge, 'a1');
    writeState(b.bridge, 'b1');
    const o = createObservers(config(root, [a, b]), systemClock, { minIntervalMs: 5 });
    running.push(o);
    await o.start();
    await waitFor(() => {
      o.batch.flush();
      return phaseOf(o, 'a') === 'a1' && phaseOf(o, 'b') === 'b1';
    });

    const c = lane(root, repo, 'c');
    writeState(c.bridge, 'c1');
    const bMoved = { ...b, bridge: path.join(root, 'br', 'b-new') };
    writeState(bMoved.bridge, 'b2');
    await o.reconfigure(config(root, [bMoved, c]));
    await waitFor(() => {
      o.batch.flush();
      const s = o.store.getState();
      return phaseOf(o, 'c') === 'c1' && phaseOf(o, 'b') === 'b2' && s.lanes.c?.git.status === 'ok';
    });
    expect(o.store.getState().order).toEqual(['b', 'c']);
    expect(o.store.getState().lanes.a).toBeUndefined();

    // The old places are no longer read: writes there change nothing.
    writeState(b.bridge, 'b-old');
    writeState(a.bridge, 'a2');
    writeState(c.bridge, 'c2');
    await waitFor(() => {
      o.batch.flush();
      return phaseOf(o, 'c') === 'c2';
    });
    expect(phaseOf(o, 'b')).toBe('b2');
    expect(o.store.getState().lanes.a).toBeUndefined();
  });
});
