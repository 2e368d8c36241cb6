/**
 * The supervisor record's writer (src/runtime/supervisor/record.ts) on a real file: a
 * change of a lane's process is on disk when `changed()` returns; a change of its phase
 * alone follows within RELAXED_WRITE_MS or with the next write or `flush()`; the same
 * content is not written again.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  RELAXED_WRITE_MS,
  createRecordWriter,
  readRecord,
  type RecordLane,
  type SupervisorRecord,
} from '../../../src/runtime/supervisor/record.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function lane(pid: number | null, phase: string): RecordLane {
  return {
    pid,
    pgid: pid,
    startTime: pid === null ? null : 1000 + pid,
    token: null,
    operatorStopped: false,
    restarts: 0,
    command: ['node', 'agent.js'],
    state: {
      phase,
      startedAt: null,
      exitCode: null,
      signal: null,
      nextStartAt: null,
      error: null,
      adopted: false,
    },
  };
}

/** A writer on a fresh file whose snapshot is `current.a`; `onDisk()` reads lane a back. */
function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-record-'));
  dirs.push(dir);
  const file = path.join(dir, 'supervisor.json');
  const current = { a: lane(100, 'running') };
  const errors: string[] = [];
  const record = (): SupervisorRecord => ({ version: 1, boardPid: process.pid, lanes: current });
  // As the supervisor builds them: the file text, and the part to write at once.
  const text = (): string => `${JSON.stringify(record(), null, 2)}\n`;
  const key = (): string => JSON.stringify([current.a.pid, current.a.operatorStopped]);
  const writer = createRecordWriter(file, text, key, (m) => errors.push(m));
  const onDisk = async (): Promise<RecordLane | undefined> => {
    const r = await readRecord(file);
    return r.status === 'ok' ? r.record.lanes.a : undefined;
  };
  return { file, current, errors, writer, onDisk };
}

describe('supervisor record writer', () => {
  it('writes a process change at once, a phase change soon after, the same content never again', async () => {
    const { file, current, errors, writer, onDisk } = setup();
    await writer.flush();
    expect((await onDisk())?.pid).toBe(100);

    // A restart: stopping (phase only), stopped (pid gone), starting, running (new pid).
    current.a = lane(100, 'stopping');
    writer.changed();
    expect((await onDisk())?.state?.phase).toBe('running');
    current.a = lane(null, 'stopped');
    writer.changed();
    expect(await onDisk()).toMatchObject({ pid: null, state: { phase: 'stopped' } });
    current.a = lane(null, 'starting');
    writer.changed();
    current.a = lane(200, 'running');
    writer.changed();
    expect(await onDisk()).toMatchObject({ pid: 200, state: { phase: 'running' } });

    // Nothing changed: no new file (a write renames a new inode into place).
    const inode = statSync(file).ino;
    writer.changed();
    await writer.flush();
    expect(statSync(file).ino).toBe(inode);

    // A phase change alone reaches the disk within RELAXED_WRITE_MS, untouched meanwhile.
    current.a = { ...lane(200, 'running'), restarts: 1 };
    const t0 = performance.now();
    writer.changed();
    expect((await onDisk())?.restarts).toBe(0);
    await vi.waitFor(async () => expect((await onDisk())?.restarts).toBe(1), {
      timeout: 5_000,
      interval: 5,
    });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(RELAXED_WRITE_MS - 2);

    // … or at once with flush().
    current.a = lane(200, 'stopping');
    writer.changed();
    await writer.flush();
    expect((await onDisk())?.state?.phase).toBe('stopping');
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    expect(errors).toEqual([]);
  });
});
