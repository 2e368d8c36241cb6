import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStat } from '../../../src/runtime/proc/procfs.js';
import { createSupervisor, type Supervisor } from '../../../src/runtime/supervisor/index.js';
import { systemClock } from '../../../src/runtime/types.js';
import type { BoardConfig, BoardSettings } from '../../../src/state/config-types.js';
import {
  createRecorder,
  killHard,
  makeTempDir,
  pidAlive,
  pidsWithArg,
  removeDir,
  testConfig,
  testLane,
  testSettings,
  waitFor,
  workerFixture,
} from '../../helpers/supervisor-helpers.js';
import { runAndKillBoard as killBoard } from '../../helpers/dead-board.js';

const node = process.execPath;
let dirs: string[] = [];
let sups: Supervisor[] = [];
let boards: ChildProcess[] = [];
const pids = new Set<number>();

afterEach(async () => {
  await Promise.all(sups.map((s) => s.dispose()));
  for (const b of boards) b.kill('SIGKILL');
  killHard(pids);
  for (const d of dirs) removeDir(d);
  sups = [];
  dirs = [];
  boards = [];
  pids.clear();
});

/** A config with one lane 'a' running sleep.cjs tagged with a unique marker argument. */
function setupConfig(settings: Partial<BoardSettings> = {}): {
  config: BoardConfig;
  marker: string;
} {
  const root = makeTempDir();
  dirs.push(root);
  const marker = `lb-marker-${process.pid}-${Date.now()}-${Math.random()}`;
  const lane = testLane(root, 'a', { command: [node, workerFixture('sleep.cjs'), marker] });
  return {
    config: testConfig(root, [lane], testSettings({ stopGraceMs: 500, ...settings })),
    marker,
  };
}

/** Run the fixture board in its own process, let it start lane 'a', then SIGKILL it. */
function runAndKillBoard(config: BoardConfig): Promise<number> {
  return killBoard(config, boards, pids);
}

describe('workers left by a board that died', () => {
  it('are recorded with pid, pgid and start time, then adopted without a duplicate; stop works', async () => {
    const { config, marker } = setupConfig();
    const pid = await runAndKillBoard(config);
    expect(pidAlive(pid)).toBe(true);
    const record = JSON.parse(readFileSync(join(config.stateDir, 'supervisor.json'), 'utf8')) as {
      version: number;
      lanes: Record<string, { pid: number; pgid: number; startTime: number; command: string[] }>;
    };
    expect(record.version).toBe(1);
    expect(record.lanes.a).toMatchObject({
      pid,
      pgid: pid,
      startTime: readProcStat(pid)?.startTime,
    });

    // The new board even has autostart on: it must still not start a second worker.
    const rec = createRecorder(pids);
    const lanes = config.lanes.map((l) => ({ ...l, autostart: true }));
    const sup = createSupervisor({
      config: { ...config, lanes },
      dispatch: rec.dispatch,
      clock: systemClock,
    });
    sups.push(sup);
    await sup.start();
    expect(rec.last('a')).toMatchObject({ phase: 'running', adopted: true, pid });
    expect(rec.workers('a').some((w) => w.phase === 'starting')).toBe(false);
    expect(pidsWithArg(marker)).toEqual([pid]);
    expect(sup.runningCount()).toBe(1);

    await sup.stop('a');
    expect(rec.last('a')).toMatchObject({
      phase: 'stopped',
      operatorStopped: true,
      adopted: false,
      pid: null,
    });
    expect(pidAlive(pid)).toBe(false);
    const after = JSON.parse(readFileSync(join(config.stateDir, 'supervisor.json'), 'utf8')) as {
      lanes: Record<string, { pid: number | null; operatorStopped: boolean }>;
    };
    expect(after.lanes.a).toMatchObject({ pid: null, operatorStopped: true });
  });

  it('an adopted worker that exits on its own is noticed; restart replaces an adopted worker', async () => {
    const { config } = setupConfig();
    const pid = await runAndKillBoard(config);
    const rec = createRecorder(pids);
    const sup = createSupervisor({ config, dispatch: rec.dispatch, clock: systemClock });
    sups.push(sup);
    await sup.start();
    expect(rec.last('a')).toMatchObject({ adopted: true, pid });
    await sup.restart('a');
    const fresh = rec.last('a');
    expect(fresh).toMatchObject({ phase: 'running', adopted: false, restarts: 1 });
    expect(fresh.pid).not.toBe(pid);
    expect(pidAlive(pid)).toBe(false);

    // A second dead board: its adopted worker is killed from outside and the poll notices.
    await sup.dispose();
    const pid2 = await runAndKillBoard(config);
    const rec2 = createRecorder(pids);
    const sup2 = createSupervisor({ config, dispatch: rec2.dispatch, clock: systemClock });
    sups.push(sup2);
    await sup2.start();
    expect(rec2.last('a')).toMatchObject({ adopted: true, pid: pid2 });
    process.kill(pid2, 'SIGKILL');
    const exited = await rec2.waitWorker('a', (w) => w.phase !== 'running', 5000);
    expect(exited).toMatchObject({ phase: 'exited', pid: null, exitCode: null, adopted: false });
  });

  it("with orphans: 'stop' the old worker is stopped", async () => {
    const { config, marker } = setupConfig({ orphans: 'stop' });
    const pid = await runAndKillBoard(config);
    const rec = createRecorder(pids);
    const sup = createSupervisor({ config, dispatch: rec.dispatch, clock: systemClock });
    sups.push(sup);
    await sup.start();
    expect(pidAlive(pid)).toBe(false);
    expect(pidsWithArg(marker)).toEqual([]);
    expect(rec.last('a')).toMatchObject({ phase: 'stopped', pid: null });
    expect(rec.last('a').error).toMatch(
      new RegExp(`stopped worker pid ${pid} left running by a previous board`),
    );
  });

  it('a reused pid (different start time) is not ours; a corrupt record is a notice', async () => {
    const { config, marker } = setupConfig();
    // An unrelated live process sits at the recorded pid but started at another time.
    const stranger = spawn(node, [workerFixture('sleep.cjs')], { stdio: 'ignore' });
    boards.push(stranger);
    const spid = stranger.pid as number;
    await waitFor(() => readProcStat(spid));
    mkdirSync(config.stateDir, { recursive: true });
    const entry = {
      pid: spid,
      pgid: spid,
      startTime: 1,
      operatorStopped: false,
      restarts: 0,
      command: null,
    };
    writeFileSync(
      join(config.stateDir, 'supervisor.json'),
      JSON.stringify({ version: 1, boardPid: 1, lanes: { a: entry } }),
    );
    const lanes = config.lanes.map((l) => ({ ...l, autostart: true }));
    const rec = createRecorder(pids);
    const sup = createSupervisor({
      config: { ...config, lanes },
      dispatch: rec.dispatch,
      clock: systemClock,
    });
    sups.push(sup);
    await sup.start();
    expect(rec.last('a')).toMatchObject({ phase: 'running', adopted: false });
    expect(rec.last('a').pid).not.toBe(spid);
    expect(pidsWithArg(marker)).toHaveLength(1);
    await sup.dispose();
    expect(pidAlive(spid)).toBe(true);

    writeFileSync(join(config.stateDir, 'supervisor.json'), '{"version": 1, "lanes": tru');
    const rec2 = createRecorder(pids);
    const sup2 = createSupervisor({
      config: { ...config, lanes },
      dispatch: rec2.dispatch,
      clock: systemClock,
    });
    sups.push(sup2);
    await sup2.start();
    expect(rec2.notices().some((n) => n.startsWith('supervisor record ignored:'))).toBe(true);
    expect(rec2.last('a').phase).toBe('running');
  });
});

describe('operator stop intent in the record', () => {
  it('a lane the operator stopped stays stopped when a new board starts (no autostart)', async () => {
    const { config, marker } = setupConfig();
    mkdirSync(config.stateDir, { recursive: true });
    const entry = {
      pid: null,
      pgid: null,
      startTime: null,
      operatorStopped: true,
      restarts: 2,
      command: null,
    };
    writeFileSync(
      join(config.stateDir, 'supervisor.json'),
      JSON.stringify({ version: 1, boardPid: 999_999_999, lanes: { a: entry } }),
    );
    const lanes = config.lanes.map((l) => ({
      ...l,
      autostart: true,
      steer: { mode: 'stdin' as const },
    }));
    const rec = createRecorder(pids);
    const sup = createSupervisor({
      config: { ...config, lanes },
      dispatch: rec.dispatch,
      clock: systemClock,
    });
    sups.push(sup);
    await sup.start();
    expect(rec.last('a')).toMatchObject({ phase: 'stopped', operatorStopped: true, restarts: 0 });
    expect(pidsWithArg(marker)).toEqual([]);
    await sup.start('a');
    expect(rec.last('a')).toMatchObject({ phase: 'running', operatorStopped: false });
  });

  it('steering an adopted worker by stdin fails with a reason', async () => {
    const { config } = setupConfig();
    const pid = await runAndKillBoard(config);
    const lanes = config.lanes.map((l) => ({ ...l, steer: { mode: 'stdin' as const } }));
    const rec = createRecorder(pids);
    const sup = createSupervisor({
      config: { ...config, lanes },
      dispatch: rec.dispatch,
      clock: systemClock,
    });
    sups.push(sup);
    await sup.start();
    expect(rec.last('a')).toMatchObject({ adopted: true, pid });
    const m = await sup.steer('a', 'hi');
    expect(m.state).toBe('failed');
    expect(m.error).toMatch(/adopted/);
  });
});
