/**
 * A board that dies: runs the fixture board (test/fixtures/workers/board.ts) in its own
 * process on a config, lets it start one lane's worker, then SIGKILLs it — leaving the
 * worker and the supervisor record behind for a new supervisor to adopt or stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/runtime/supervisor/index.js';
import { systemClock } from '../../src/runtime/types.js';
import type { BoardConfig, LaneConfig } from '../../src/state/config-types.js';
import * as helpers from './supervisor-helpers.js';

/**
 * Run the fixture board on `config` (written to `<config.dir>/config.json`), wait until
 * lane `laneId`'s worker runs, let `beforeKill` act while the board still lives (e.g. wait
 * for what its watchers write), then SIGKILL the board.
 * Spawned boards go to `boards` and the worker pid to `pids` (the caller's cleanup).
 * @returns the worker's pid (asserted to be a pid).
 */
export async function runAndKillBoard(
  config: BoardConfig,
  boards: ChildProcess[],
  pids: Set<number>,
  opts: { laneId?: string; beforeKill?: (workerPid: number) => Promise<void> } = {},
): Promise<number> {
  const file = join(config.dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', helpers.workerFixture('board.ts'), file, opts.laneId ?? 'a'],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  boards.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await helpers.waitFor(
    () => /READY (.*)\n/.exec(out)?.[1] ?? (child.exitCode !== null ? `exit ${err}` : null),
    20_000,
  );
  const pid = Number(line);
  expect(Number.isInteger(pid), `board said: ${line}`).toBe(true);
  pids.add(pid);
  await opts.beforeKill?.(pid);
  child.kill('SIGKILL');
  await exited;
  return pid;
}

/**
 * The objects of a JSON-lines file such as a lane's `hook-events.jsonl`, in file order
 * ([] while it is missing or unreadable; blank lines skipped).
 */
export function readJsonLines(file: string): Record<string, unknown>[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/**
 * A test's dead boards and the supervisors that adopt from them, cleaned up by
 * `cleanup()` (afterEach): supervisors disposed, boards and every seen pid SIGKILLed,
 * temp dirs removed.
 */
export function deadBoardHarness() {
  const dirs: string[] = [];
  const sups: Supervisor[] = [];
  const boards: ChildProcess[] = [];
  const pids = new Set<number>();
  return {
    /**
     * A config in a new temp dir with one lane 'a' running `command` (stop grace 500 ms).
     */
    oneLane(command: string[]): { config: BoardConfig; lane: LaneConfig } {
      const root = helpers.makeTempDir('lb-dead-board-');
      dirs.push(root);
      const lane = helpers.testLane(root, 'a', { command });
      return {
        config: helpers.testConfig(root, [lane], helpers.testSettings({ stopGraceMs: 500 })),
        lane,
      };
    },
    /** {@link runAndKillBoard} with this harness's cleanup lists. */
    killBoard(config: BoardConfig, opts: Parameters<typeof runAndKillBoard>[3] = {}) {
      return runAndKillBoard(config, boards, pids, opts);
    },
    /** A started supervisor on `config` (adopting what the record holds) and its recorder. */
    async supervise(config: BoardConfig): Promise<{ sup: Supervisor; rec: helpers.Recorder }> {
      const rec = helpers.createRecorder(pids);
      const s = createSupervisor({ config, dispatch: rec.dispatch, clock: systemClock });
      sups.push(s);
      await s.start();
      return { sup: s, rec };
    },
    async cleanup(): Promise<void> {
      await Promise.all(sups.splice(0).map((s) => s.dispose()));
      for (const b of boards.splice(0)) b.kill('SIGKILL');
      helpers.killHard(pids);
      pids.clear();
      for (const d of dirs.splice(0)) helpers.removeDir(d);
    },
  };
}
