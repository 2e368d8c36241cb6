/**
 * Test helpers of the Ink board tests: lane configs, a recording Controls, real store
 * actions for typical lanes, frame polling and terminal resizing of ink-testing-library's
 * fake stdout.
 */
import { EventEmitter } from 'node:events';
import type { Controls } from '../../src/runtime/types.js';
import type { LaneConfig } from '../../src/state/config-types.js';
import { createBoardStore } from '../../src/state/store.js';
import type { BoardStore } from '../../src/state/store.js';
import type { GitInfo, SteerMessage, WorkerState } from '../../src/state/types.js';
import { eventually } from './wait.js';

/** Board clock used by the fixtures (epoch ms). */
export const T0 = Date.parse('2026-11-20T10:15:00Z');

/** A lane config with defaults (paths are fake; nothing is touched on disk). */
export function laneConfig(id: string, over: Partial<LaneConfig> = {}): LaneConfig {
  return {
    id,
    repo: '/srv/repos/app',
    worktree: `/srv/wt/${id}`,
    branch: `lane/${id}`,
    base: 'main',
    command: ['node', 'agent.js'],
    env: {},
    bridge: `/srv/bridge/${id}`,
    autostart: true,
    restart: 'on-failure',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
}

/** Git info with defaults. */
export function gitInfo(over: Partial<GitInfo> = {}): GitInfo {
  return {
    branch: 'lane/x',
    head: 'c956f78aa11bb22cc33dd44ee55ff66778899aa',
    dirty: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0 },
    base: 'main',
    ahead: 2,
    behind: 0,
    baseError: null,
    missing: [],
    upstream: null,
    upstreamAhead: null,
    upstreamBehind: null,
    ...over,
  };
}

/** A running worker state. */
export function runningWorker(pid: number, restarts = 0): WorkerState {
  return {
    phase: 'running',
    pid,
    restarts,
    startedAt: T0 - 60_000,
    exitCode: null,
    signal: null,
    nextStartAt: null,
    error: null,
    operatorStopped: false,
    adopted: false,
  };
}

/** One recorded Controls call. */
export type Call = readonly [method: string, ...args: unknown[]];

/** A Controls that records every call; `running` sets what runningCount() returns. */
export interface RecordingControls extends Controls {
  readonly calls: Call[];
  running: number;
  /** Emits 'call' after each call (await a call without sleeping). */
  readonly events: EventEmitter;
}

/** Create a recording Controls. `steer` resolves with a pending inbox message. */
export function recordingControls(): RecordingControls {
  const events = new EventEmitter();
  const calls: Call[] = [];
  const record = (c: Call): void => {
    calls.push(c);
    events.emit('call', c);
  };
  const c: RecordingControls = {
    calls,
    running: 0,
    events,
    start: (id) => (record(['start', id]), Promise.resolve()),
    stop: (id) => (record(['stop', id]), Promise.resolve()),
    restart: (id) => (record(['restart', id]), Promise.resolve()),
    steer: (id, text) => {
      record(['steer', id, text]);
      const m: SteerMessage = {
        id: `msg-${calls.length}`,
        text,
        sentAt: T0,
        via: 'inbox',
        state: 'pending',
        error: null,
        ackAt: null,
      };
      return Promise.resolve(m);
    },
    clearBlockers: (id) => record(['clearBlockers', id]),
    runningCount: () => c.running,
  };
  return c;
}

/** A store with `ids` configured (one repo unless `repoOf` says otherwise), git ok for each. */
export function boardWith(
  ids: readonly string[],
  repoOf: (id: string) => string = () => '/srv/repos/app',
): BoardStore {
  const store = createBoardStore();
  store.dispatch({
    type: 'lanes/configured',
    lanes: ids.map((id) => laneConfig(id, { repo: repoOf(id) })),
    at: T0,
  });
  for (const id of ids) {
    store.dispatch({
      type: 'git/ok',
      laneId: id,
      info: gitInfo({ branch: `lane/${id}` }),
      at: T0,
    });
  }
  return store;
}

/**
 * Poll `frame()` until `cond` holds (checked every ms by vi.waitFor, ./wait.ts; never a
 * fixed sleep); rejects with the last frame after `timeoutMs`.
 */
export async function waitForFrame(
  frame: () => string | undefined,
  cond: (f: string) => boolean,
  timeoutMs = 3_000,
): Promise<string> {
  return eventually(() => frame() ?? '', {
    timeoutMs,
    intervalMs: 1,
    done: cond,
    message: () => `waitForFrame timed out; last frame:\n${frame() ?? ''}`,
  });
}

/** Wait until `pred` holds (checked every ms); rejects after `timeoutMs`. */
export async function waitFor(pred: () => boolean, timeoutMs = 3_000): Promise<void> {
  await eventually(pred, { timeoutMs, intervalMs: 1, message: () => 'waitFor timed out' });
}

/**
 * Resize ink-testing-library's fake stdout (its `columns` is a prototype getter fixed at
 * 100 and it has no `rows`) and emit `resize` like a real TTY.
 */
export function resize(stdout: EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { configurable: true, get: () => columns });
  Object.defineProperty(stdout, 'rows', { configurable: true, get: () => rows });
  stdout.emit('resize');
}

/**
 * Resize and wait until the board has re-rendered at the new size: the board's frame is
 * exactly `rows - 1` lines tall (header + fixed-height body + footer), which marks it.
 * @param rows Must differ from the previous row count.
 */
export async function resizeTo(
  r: { stdout: EventEmitter; lastFrame: () => string | undefined },
  columns: number,
  rows: number,
): Promise<string> {
  resize(r.stdout, columns, rows);
  return waitForFrame(r.lastFrame, (f) => f.split('\n').length === rows - 1);
}

/** Key sequences as a terminal sends them. */
export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  enter: '\r',
  escape: '\u001b',
  ctrlC: '\u0003',
  backspace: '\u007f',
} as const;
