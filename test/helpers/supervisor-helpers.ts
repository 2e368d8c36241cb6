/**
 * Shared helpers of the supervisor tests: temp dirs, lane/config builders, an action
 * recorder with condition waits, /proc liveness checks and a hard cleanup of test pids.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/runtime/supervisor/index.js';
import { systemClock, type Clock } from '../../src/runtime/types.js';
import type { Action } from '../../src/state/actions.js';
import {
  DEFAULT_SETTINGS,
  type BoardConfig,
  type BoardSettings,
  type LaneConfig,
} from '../../src/state/config-types.js';
import type { SteerMessage, WorkerState } from '../../src/state/types.js';
import { eventually } from './wait.js';

/** Absolute path of a fixture worker script in test/fixtures/workers. */
export function workerFixture(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'workers', name);
}

/** A fresh temp dir (caller removes it with {@link removeDir}). */
export function makeTempDir(prefix = 'lb-sup-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** rm -rf, ignoring errors. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Settings with small, test-friendly timings, overridable. */
export function testSettings(over: Partial<BoardSettings> = {}): BoardSettings {
  return {
    ...DEFAULT_SETTINGS,
    backoff: { initialMs: 50, maxMs: 1000, factor: 2, jitter: 0 },
    crashLoop: { maxRestarts: 3, windowMs: 60_000 },
    stopGraceMs: 1000,
    ...over,
  };
}

/** A lane under `root` with an existing worktree dir `root/wt-<id>` and bridge `root/bridge/<id>`. */
export function testLane(root: string, id: string, over: Partial<LaneConfig> = {}): LaneConfig {
  const worktree = join(root, `wt-${id}`);
  mkdirSync(worktree, { recursive: true });
  return {
    id,
    repo: root,
    worktree,
    branch: `lane/${id}`,
    base: 'main',
    command: [process.execPath, workerFixture('sleep.cjs')],
    env: {},
    bridge: join(root, 'bridge', id),
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
    ...over,
  };
}

/** A board config rooted at `root` (state dir `root/.laneboard`). */
export function testConfig(
  root: string,
  lanes: LaneConfig[],
  settings = testSettings(),
): BoardConfig {
  return {
    file: join(root, 'lanes.yaml'),
    dir: root,
    stateDir: join(root, '.laneboard'),
    settings,
    lanes,
  };
}

/** Poll `cond` every 10 ms (vi.waitFor, ./wait.ts) until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const v = await eventually(cond, {
    timeoutMs,
    done: (x) => x !== null && x !== undefined && x !== false,
    message: (ms) => `timed out after ${ms} ms waiting for ${what}`,
  });
  return v as NonNullable<T>;
}

/** Records every dispatched action. */
export interface Recorder {
  readonly dispatch: (a: Action) => void;
  readonly actions: Action[];
  /** Every worker state published for a lane, oldest first. */
  workers(laneId: string): WorkerState[];
  /** The latest worker state of a lane (throws if none). */
  last(laneId: string): WorkerState;
  steers(laneId: string): SteerMessage[];
  notices(): string[];
  /** Wait until the latest worker state of the lane satisfies `pred`. */
  waitWorker(
    laneId: string,
    pred: (w: WorkerState) => boolean,
    timeoutMs?: number,
  ): Promise<WorkerState>;
}

/** Create a {@link Recorder}; every pid it sees is added to `pids` (for cleanup). */
export function createRecorder(pids?: Set<number>): Recorder {
  const actions: Action[] = [];
  const workers = (laneId: string): WorkerState[] =>
    actions.flatMap((a) => (a.type === 'worker/updated' && a.laneId === laneId ? [a.worker] : []));
  const last = (laneId: string): WorkerState => {
    const all = workers(laneId);
    const w = all[all.length - 1];
    if (w === undefined) throw new Error(`no worker state for ${laneId}`);
    return w;
  };
  return {
    actions,
    dispatch: (a) => {
      actions.push(a);
      if (a.type === 'worker/updated' && a.worker.pid !== null) pids?.add(a.worker.pid);
    },
    workers,
    last,
    steers: (laneId) =>
      actions.flatMap((a) => (a.type === 'steer/sent' && a.laneId === laneId ? [a.message] : [])),
    notices: () => actions.flatMap((a) => (a.type === 'board/notice' ? [a.message] : [])),
    waitWorker: (laneId, pred, timeoutMs = 10_000) =>
      waitFor(
        () => {
          const all = workers(laneId);
          const w = all[all.length - 1];
          return w !== undefined && pred(w) ? w : null;
        },
        timeoutMs,
        `worker state of ${laneId}`,
      ),
  };
}

/** True when `pid` exists in /proc and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGKILL each pid and its group (test cleanup; errors ignored). */
export function killHard(pids: Iterable<number>): void {
  for (const pid of pids) {
    if (pid <= 1 || pid === process.pid) continue;
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Pids of live processes whose command line contains `marker`. */
export function pidsWithArg(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(marker) && pidAlive(Number(name))) out.push(Number(name));
    } catch {
      // vanished
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Per-file harness for supervisor tests: registers an `afterEach` that disposes every
 * supervisor made through it, SIGKILLs every worker pid it saw and removes its temp dirs.
 * Call once at module level.
 * @param clock Clock handed to every supervisor (default: the real clock).
 */
export function supervisorHarness(clock: Clock = systemClock) {
  const dirs: string[] = [];
  const sups: Supervisor[] = [];
  const pids = new Set<number>();
  afterEach(async () => {
    await Promise.all(sups.splice(0).map((s) => s.dispose()));
    killHard(pids);
    pids.clear();
    for (const d of dirs.splice(0)) removeDir(d);
  });
  return {
    /** A fresh temp dir removed after the test. */
    tempRoot(): string {
      const root = makeTempDir();
      dirs.push(root);
      return root;
    },
    /** SIGKILL this pid after the test if it still runs. */
    trackPid(pid: number): void {
      pids.add(pid);
    },
    /** A supervisor over `config` with a recorder; both cleaned up after the test. */
    board(config: BoardConfig): { rec: Recorder; sup: Supervisor } {
      const rec = createRecorder(pids);
      const sup = createSupervisor({ config, dispatch: rec.dispatch, clock });
      sups.push(sup);
      return { rec, sup };
    },
  };
}

/** Messages of the `bridge/writeProblem` actions recorded for `laneId`, in order. */
export function writeProblems(actions: readonly Action[], laneId: string): string[] {
  return actions.flatMap((a) =>
    a.type === 'bridge/writeProblem' && a.laneId === laneId ? [a.message] : [],
  );
}

/**
 * The pids of the test/fixtures/workers/tree.cjs tree (root, child, grandchild, escaped),
 * once all four have written `<role> <pid>` lines to `pidFile`.
 */
export async function treePids(pidFile: string): Promise<number[]> {
  const lines = await waitFor(() => {
    try {
      const l = readFileSync(pidFile, 'utf8').trim().split('\n');
      return l.length >= 4 ? l : null;
    } catch {
      return null;
    }
  });
  return lines.map((l) => Number(l.split(' ')[1]));
}
