/**
 * A headless Claude Code worker's own output (src/state/dialects/claude-result.ts), with
 * the lines Claude Code 2.1.330 printed against a scripted server answering 429
 * (`-p --output-format json` and `stream-json --verbose`; long fields trimmed).
 */
import { describe, expect, it } from 'vitest';
import {
  apiErrorWord,
  headlessFailureEvent,
  headlessOutcome,
} from '../../../src/state/dialects/claude-result.js';

const RESULT_429 = JSON.stringify({
  duration_api_ms: 0,
  stop_reason: 'stop_sequence',
  session_id: '92e9fc53-845e-4f19-a57d-56c507c50451',
  terminal_reason: 'api_error',
  is_error: true,
  num_turns: 1,
  subtype: 'success',
  api_error_status: 429,
  api_error_type: 'rate_limit_error',
  result:
    'API Error: Request rejected (429) · This request would exceed the rate limit for your organization.',
  type: 'result',
  uuid: 'fa98fa9f-3947-4139-a535-ee27c7b330d3',
});
const INIT = JSON.stringify({ type: 'system', subtype: 'init', session_id: 's1' });
const GOOD = JSON.stringify({
  type: 'result',
  subtype: 'success',
  is_error: false,
  terminal_reason: 'completed',
  result: 'all done',
  session_id: 's1',
  uuid: 'u2',
});

describe('headlessOutcome', () => {
  it('reads a -p --output-format json 429 result between other output', () => {
    const o = headlessOutcome([
      'Warning: no stdin data received in 3s, proceeding without it.',
      RESULT_429,
      '',
    ]);
    expect(o).toEqual({
      sessionId: '92e9fc53-845e-4f19-a57d-56c507c50451',
      terminalReason: 'api_error',
      isError: true,
      apiErrorStatus: 429,
      apiErrorType: 'rate_limit_error',
      text: 'API Error: Request rejected (429) · This request would exceed the rate limit for your organization.',
      resetsAt: null,
      uuid: 'fa98fa9f-3947-4139-a535-ee27c7b330d3',
    });
    const ev = headlessFailureEvent(o!, 1, '2026-12-05T20:00:00.000Z');
    expect(ev).toMatchObject({
      hook_event_name: 'StopFailure',
      source: 'worker output',
      error: 'rate_limit',
      api_error_status: 429,
      exit_code: 1,
      session_id: '92e9fc53-845e-4f19-a57d-56c507c50451',
    });
    expect(ev).not.toHaveProperty('reset_at');
  });

  it('takes the reset time of a stream-json rate_limit_event (epoch seconds)', () => {
    const ev = JSON.stringify({
      type: 'rate_limit_event',
      rate_limit_info: { status: 'rejected', resetsAt: 1_796_503_656 },
    });
    const o = headlessOutcome([INIT, ev, RESULT_429]);
    expect(o?.resetsAt).toBe(1_796_503_656);
    expect(headlessFailureEvent(o!, 1, 'now')?.reset_at).toBe('2026-12-05T20:47:36.000Z');
  });

  it('the last result wins; a good one records nothing; no result is null', () => {
    const o = headlessOutcome([RESULT_429, INIT, GOOD]);
    expect(o?.isError).toBe(false);
    expect(headlessFailureEvent(o!, 0, 'now')).toBeNull();
    expect(headlessOutcome(['plain text', '{"type":"assistant"}', '{not json'])).toBeNull();
  });

  it('maps API error statuses and types to the StopFailure vocabulary', () => {
    expect(
      [
        [429, null],
        [null, 'rate_limit_error'],
        [401, null],
        [402, null],
        [529, 'overloaded_error'],
        [400, 'invalid_request_error'],
        [418, null],
      ].map(([s, t]) => apiErrorWord(s as number | null, t as string | null)),
    ).toEqual([
      'rate_limit',
      'rate_limit',
      'authentication_failed',
      'billing_error',
      'server_error',
      'invalid_request',
      'unknown',
    ]);
  });
});
