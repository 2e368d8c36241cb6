/**
 * A board that dies: runs the fixture board (test/fixtures/workers/board.ts) in its own
 * process on a config, lets it start one lane's worker, then SIGKILLs it — leaving the
 * worker and the supervisor record behind for a new supervisor to adopt or stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BoardConfig } from '../../src/state/config-types.js';
import { waitFor, workerFixture } from './supervisor-helpers.js';

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
    ['--import', 'tsx', workerFixture('board.ts'), file, opts.laneId ?? 'a'],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  boards.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await waitFor(
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
