/**
 * pi-crew run events (TeamEvent lines of a run's events.jsonl: time, type, runId, taskId,
 * message, data, metadata — pi-crew src/state/event-log/event-log.ts) → lane state, for
 * every outcome (ok, cancelled, deadletter, failed, timeout, aborted).
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FOLD,
  foldEvent,
  nextActionFor,
  normalizeEvent,
} from '../../../src/state/dialects/index.js';
import type { EventFold } from '../../../src/state/types.js';

let seq = 0;
const te = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  time: '2026-12-05T12:00:00.000Z',
  type,
  runId: 'run_7f3a',
  metadata: { seq: ++seq, provenance: 'team_runner' },
  ...extra,
});

function fold(lines: Record<string, unknown>[], start: EventFold = EMPTY_FOLD): EventFold {
  return lines.reduce((f, raw, i) => {
    const ev = normalizeEvent(raw, { file: 'events.jsonl', line: i + 1, at: 5, dialect: 'auto' });
    if ('error' in ev) throw new Error(ev.error);
    return foldEvent(f, ev, { worktreePaths: [] });
  }, start);
}

const started = [te('run.created'), te('run.running'), te('task.started', { taskId: 'impl-1' })];

describe('pi-crew events → lane state', () => {
  it('progress → running, timed by the line time; unknown types are kept without effect', () => {
    const f = fold([...started, te('task.progress', { taskId: 'impl-1', message: 'editing' })]);
    expect(f.agent).toMatchObject({ status: 'running' });
    expect(f.recent.map((e) => e.name)).toEqual([
      'pi-crew.run.created',
      'lane.started',
      'lane.started',
      'pi-crew.task.progress',
    ]);
    expect(f.recent[1]?.at).toBe(Date.parse('2026-12-05T12:00:00.000Z'));
  });

  it.each([
    ['ok', 'finished', []],
    ['cancelled', 'interrupted', []],
    ['aborted', 'interrupted', []],
    ['failed', 'failed', ['tool_runtime']],
    ['timeout', 'failed', ['timeout']],
    ['deadletter', 'failed', ['deadletter']],
  ])('run outcome %s → %s %j', (outcome, status, classes) => {
    const type = outcome === 'ok' ? 'run.completed' : 'run.failed';
    const f = fold([...started, te(type, { data: { outcome } })]);
    expect(f.agent?.status).toBe(status);
    expect(Object.keys(f.blockers)).toEqual(classes);
  });

  it('the type alone implies the outcome: run.completed ok, run.cancelled cancelled, task.failed failed', () => {
    expect(fold([...started, te('run.completed')]).agent?.status).toBe('finished');
    expect(fold([...started, te('run.cancelled')]).agent?.status).toBe('interrupted');
    const failed = fold([...started, te('task.failed', { taskId: 'impl-1', message: 'exit 1' })]);
    expect(failed.blockers.tool_runtime?.detail).toBe('task impl-1 failed: exit 1');
  });

  it('a task waiting for an answer → input_required; a mailbox timeout → prompt_delivery', () => {
    expect(
      Object.keys(fold([...started, te('task.waiting', { taskId: 'impl-1' })]).blockers),
    ).toEqual(['input_required']);
    expect(Object.keys(fold([...started, te('mailbox.timeout')]).blockers)).toEqual([
      'prompt_delivery',
    ]);
  });

  it('a rerun after a failure clears it', () => {
    const failed = fold([...started, te('run.failed', { data: { outcome: 'timeout' } })]);
    const again = fold([te('run.running')], failed);
    expect(again.agent?.status).toBe('running');
    expect(again.blockers).toEqual({});
  });

  it('timeout and deadletter have their own next action', () => {
    expect(nextActionFor('timeout')).toMatch(/time limit/);
    expect(nextActionFor('deadletter')).toMatch(/retries/);
  });

  it('a claw-code / native line with "event" is never read as pi-crew', () => {
    const f = fold([{ event: 'lane.started', type: 'x.y', runId: 'r', status: 'running' }]);
    expect(f.recent[0]?.name).toBe('lane.started');
  });
});
