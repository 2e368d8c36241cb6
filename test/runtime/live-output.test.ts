/**
 * A running headless worker's output read live (src/runtime/supervisor/live-output.ts,
 * driven by the bridge dir's real watch events: ./log-watch.ts, with a fallback too slow
 * to matter here): lines appended to a real worker.log, as a long-lived `claude -p --input-format
 * stream-json --output-format stream-json` prints them turn after turn (shapes recorded
 * from 2.1.330), become hook-shaped lines in the real hook-events.jsonl — each once.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { watchWorkerLog } from '../../src/runtime/supervisor/log-watch.js';
import { systemClock } from '../../src/runtime/types.js';
import { makeTempDir, removeDir } from '../helpers/supervisor-helpers.js';
import { readJsonLines } from '../helpers/dead-board.js';

const root = makeTempDir('lb-live-out-');
afterAll(() => removeDir(root));

const S = 'f541c64f-ee2a-4364-a1e5-084ba8d3ce60';
const line = (o: Record<string, unknown>): string => `${JSON.stringify(o)}\n`;
const limitEvent = (status: string, resetsAt?: number) =>
  line({
    type: 'rate_limit_event',
    rate_limit_info: { status, resetsAt, rateLimitType: 'five_hour', isUsingOverage: false },
    session_id: S,
  });
const result = (uuid: string, failed: boolean) =>
  line({
    type: 'result',
    session_id: S,
    is_error: failed,
    ...(failed ? { api_error_status: 429, api_error_type: 'rate_limit_error' } : {}),
    terminal_reason: failed ? 'api_error' : 'completed',
    result: failed ? "You've hit your 5-hour limit · resets 1:19am (UTC)" : 'report written',
    uuid,
  });

describe('worker output read while the worker runs', () => {
  it('records a refused limit at once, each result once, and nothing from before the run', async () => {
    const bridge = join(root, 'bridge');
    mkdirSync(bridge, { recursive: true });
    const log = join(bridge, 'worker.log');
    // The previous run's output: never read again.
    writeFileSync(log, limitEvent('rejected', 1_000) + result('old', true));
    const start = readFileSync(log).length;
    const watch = watchWorkerLog(bridge, start, {
      clock: systemClock,
      rotate: () => Promise.resolve(),
      minGapMs: 20,
      fallbackMs: 60_000, // only watch events can make the checks below
    });
    const events = () => readJsonLines(join(bridge, 'hook-events.jsonl'));
    try {
      const reset = 1_796_527_511;
      appendFileSync(log, line({ type: 'system', subtype: 'init', session_id: S }));
      // A refused limit shows before its result; an informational one never.
      appendFileSync(log, limitEvent('allowed_warning', reset) + limitEvent('rejected', reset));
      await vi.waitFor(() => expect(events()).toHaveLength(1), { timeout: 5_000, interval: 20 });
      expect(events()[0]).toMatchObject({
        hook_event_name: 'StopFailure',
        error: 'rate_limit',
        source: 'worker output',
        session_id: S,
        reset_at: new Date(reset * 1000).toISOString(),
      });
      // Its result adds nothing new (same turn, same reset); a line split across checks
      // is read once it is whole.
      const r1 = result('r1', true);
      appendFileSync(log, r1.slice(0, 40));
      appendFileSync(log, r1.slice(40));
      // The next turn succeeds (no hooks told): a Stop, which clears the limit.
      appendFileSync(log, limitEvent('allowed') + result('r2', false));
      await vi.waitFor(() => expect(events()).toHaveLength(2), { timeout: 5_000, interval: 20 });
      expect(events()[1]).toMatchObject({
        hook_event_name: 'Stop',
        result_uuid: 'r2',
        exit_code: null,
        last_assistant_message: 'report written',
      });
      // A third turn fails again without a reset: recorded, not hidden by the first one.
      appendFileSync(log, result('r3', true));
      await vi.waitFor(() => expect(events()).toHaveLength(3), { timeout: 5_000, interval: 20 });
      expect(events()[2]).toMatchObject({ hook_event_name: 'StopFailure', result_uuid: 'r3' });
    } finally {
      await watch.stop();
    }
    // Stopped: nothing more is recorded.
    appendFileSync(log, result('r4', true));
    await new Promise((r) => setTimeout(r, 100));
    expect(events()).toHaveLength(3);
  });
});
