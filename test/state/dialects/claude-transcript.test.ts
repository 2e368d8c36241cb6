import { describe, expect, it } from 'vitest';
import {
  alreadyReported,
  lastTurnOutcome,
  transcriptEvent,
} from '../../../src/state/dialects/claude-transcript.js';

const j = (x: unknown): string => JSON.stringify(x);
const prompt = (t: string): string =>
  j({ type: 'user', uuid: 'u1', message: { role: 'user', content: t } });
// The rows Claude Code 2.1.330 wrote for a 429 (other fields trimmed).
const apiError = j({
  type: 'assistant',
  uuid: 'e1',
  isApiErrorMessage: true,
  error: 'rate_limit',
  apiErrorStatus: 429,
  message: { role: 'assistant', content: [{ type: 'text', text: 'API Error: 429 rate limit' }] },
});

describe('Claude Code transcript: how the last turn ended', () => {
  it('an API error row after the last prompt is the outcome; a later prompt or answer clears it', () => {
    const o = lastTurnOutcome([prompt('hi'), 'not json', apiError, j({ type: 'cost-state' })]);
    expect(o).toMatchObject({ kind: 'api_error', error: 'rate_limit', status: 429, uuid: 'e1' });
    expect(lastTurnOutcome([apiError, prompt('again')])).toBeNull();
    const answer = j({ type: 'assistant', message: { content: [{ type: 'text', text: 'ok' }] } });
    expect(lastTurnOutcome([apiError, prompt('again'), answer])).toBeNull();
  });

  it('the interrupt marker (also "for tool use") is an interrupt; tool results are not prompts', () => {
    const marker = j({
      type: 'user',
      uuid: 'i1',
      message: { content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }] },
    });
    const toolResult = j({
      type: 'user',
      message: { content: [{ type: 'tool_result', content: 'x' }] },
    });
    expect(lastTurnOutcome([prompt('go'), marker, toolResult])).toEqual({
      kind: 'interrupted',
      uuid: 'i1',
    });
  });

  it('becomes a StopFailure / Interrupt payload marked source: transcript, with the reset time', () => {
    const e = transcriptEvent(
      {
        kind: 'api_error',
        uuid: 'e1',
        error: 'rate_limit',
        status: 429,
        text: 'API Error',
        resetsAt: 1_800_000_000,
      },
      's1',
      '2026-12-05T00:00:00.000Z',
    );
    expect(e).toMatchObject({
      hook_event_name: 'StopFailure',
      error: 'rate_limit',
      source: 'transcript',
      session_id: 's1',
      api_error_status: 429,
      reset_at: '2027-01-15T08:00:00.000Z',
    });
    expect(transcriptEvent({ kind: 'interrupted', uuid: null }, 's1', 'x').hook_event_name).toBe(
      'Interrupt',
    );
  });

  it('is already reported by a captured StopFailure of the session after its last prompt', () => {
    const cap = (p: unknown): string => j({ received_at: 'x', payload: p });
    const lines = [
      cap({ hook_event_name: 'UserPromptSubmit', session_id: 's1' }),
      cap({ hook_event_name: 'StopFailure', session_id: 's1', error: 'rate_limit' }),
    ];
    expect(alreadyReported(lines, 's1', 'e1')).toBe(true);
    expect(alreadyReported(lines, 's2', 'e1')).toBe(false);
    const later = [...lines, cap({ hook_event_name: 'UserPromptSubmit', session_id: 's1' })];
    expect(alreadyReported(later, 's1', 'e1')).toBe(false);
    expect(alreadyReported([j({ transcript_uuid: 'e1' })], 's1', 'e1')).toBe(true);
  });
});
