/**
 * Issue #11: the live output of a worker adopted from a runtime that died is read like a
 * spawned worker's (src/runtime/supervisor/live-output.ts via LaneWorker.adopt): a real
 * board process starts a real stream-json worker and is SIGKILLed; what the worker prints
 * afterwards — while no runtime runs, and after a new supervisor adopted it — reaches the
 * lane's hook events, and what the dead board already recorded is not recorded twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deadBoardHarness, readJsonLines } from '../../helpers/dead-board.js';
import { waitFor, workerFixture } from '../../helpers/supervisor-helpers.js';

const h = deadBoardHarness();
afterEach(() => h.cleanup());

describe('an adopted worker', () => {
  it("has its stream-json output read live, from its run's start, each result once", async () => {
    const { config, lane } = h.oneLane([
      process.execPath,
      workerFixture('stream-turns.cjs'),
      `lb-adopt-${process.pid}`,
    ]);
    const events = () => readJsonLines(join(lane.bridge, 'hook-events.jsonl'));
    const logText = (): string => {
      try {
        return readFileSync(join(lane.bridge, 'worker.log'), 'utf8');
      } catch {
        return '';
      }
    };
    const reset = new Date(1_796_527_511 * 1000).toISOString();
    // Turn 1 (a refused limit) while the first board lives: its live read records it.
    const pid = await h.killBoard(config, {
      beforeKill: async (workerPid) => {
        // Its init line says the SIGUSR1 handler is in place.
        await waitFor(() => (logText().includes('"init"') ? true : null), 10_000);
        process.kill(workerPid, 'SIGUSR1');
        await waitFor(() => (events().length > 0 ? true : null), 10_000);
      },
    });
    expect(events()).toEqual([
      expect.objectContaining({
        hook_event_name: 'StopFailure',
        source: 'worker output',
        reset_at: reset,
      }),
    ]);
    const record = JSON.parse(readFileSync(join(config.stateDir, 'supervisor.json'), 'utf8')) as {
      lanes: Record<string, { pid: number; logStart?: number }>;
    };
    expect(record.lanes.a).toMatchObject({ pid, logStart: 0 });
    // Turn 2 (a good one) while no runtime runs.
    process.kill(pid, 'SIGUSR1');
    await waitFor(() => (logText().includes('"r2"') ? true : null), 5_000);

    const { rec } = await h.supervise(config);
    expect(rec.last('a')).toMatchObject({ phase: 'running', adopted: true, pid });
    // The adopting runtime reads the run from its start: turn 2 is recorded, turn 1 not again.
    await waitFor(() => (events().length >= 2 ? true : null), 10_000);
    // Turn 3, printed after the adoption, is read live too.
    process.kill(pid, 'SIGUSR1');
    await waitFor(() => (events().length >= 3 ? true : null), 10_000);
    expect(events().map((e) => [e.hook_event_name, e.result_uuid ?? null])).toEqual([
      ['StopFailure', null],
      ['Stop', 'r2'],
      ['Stop', 'r3'],
    ]);
  });
});
