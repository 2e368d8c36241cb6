/**
 * Test helpers of the bridge watcher suite: temp dirs, lane configs, a collecting dispatch
 * and a condition poller (no fixed sleeps).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action } from '../../src/state/actions.js';
import {
  DEFAULT_SETTINGS,
  type BoardSettings,
  type LaneConfig,
} from '../../src/state/config-types.js';
import { eventually } from './wait.js';

/** Polls `cond` every 10 ms (vi.waitFor, ./wait.ts) until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  return eventually(cond, {
    timeoutMs,
    message: (ms) => `timed out after ${ms} ms waiting for ${what}`,
  });
}

/** A fresh temp dir under the OS temp dir. */
export function makeTempDir(prefix = 'lb-bridge-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a temp dir (restoring permissions is the caller's job). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/** Settings with a small read limit option. */
export function testSettings(over: Partial<BoardSettings> = {}): BoardSettings {
  return { ...DEFAULT_SETTINGS, ...over };
}

/** A lane config rooted at `root`: bridge `<root>/lanes/<id>`, worktree `<root>/wt/<id>` (dirs not created). */
export function laneAt(root: string, id: string, over: Partial<LaneConfig> = {}): LaneConfig {
  const worktree = join(root, 'wt', id);
  return {
    id,
    repo: worktree,
    worktree,
    branch: `lane/${id}`,
    base: 'main',
    command: null,
    env: {},
    bridge: join(root, 'lanes', id),
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
}

/** Creates the lane's bridge dir and worktree dir. */
export async function makeLaneDirs(lane: LaneConfig): Promise<void> {
  await mkdir(lane.bridge, { recursive: true });
  await mkdir(lane.worktree, { recursive: true });
}

/** Writes `text` to `path` atomically (tmp file in the same dir + rename), like a well-behaved worker. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** An array-collecting dispatch plus typed finders. */
export function collector(): {
  actions: Action[];
  dispatch: (a: Action) => void;
  of: <T extends Action['type']>(type: T, laneId?: string) => Extract<Action, { type: T }>[];
  last: <T extends Action['type']>(
    type: T,
    laneId?: string,
  ) => Extract<Action, { type: T }> | undefined;
} {
  const actions: Action[] = [];
  const of = <T extends Action['type']>(type: T, laneId?: string): Extract<Action, { type: T }>[] =>
    actions.filter(
      (a): a is Extract<Action, { type: T }> =>
        a.type === type && (laneId === undefined || !('laneId' in a) || a.laneId === laneId),
    );
  return {
    actions,
    dispatch: (a) => actions.push(a),
    of,
    last: (type, laneId) => of(type, laneId).at(-1),
  };
}
