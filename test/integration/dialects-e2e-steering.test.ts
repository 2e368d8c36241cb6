/**
 * Steering delivery state through the real store: pending → delivered (a
 * `steer.acknowledged` written by the real `laneboard hook` Stop handler, read by the real
 * bridge reader) → "not delivered" once `steer_timeout` passes without an acknowledgement;
 * a message that could not be handed over is `failed`.
 */
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook } from '../../src/cli/hook.js';
import { deliverSteer } from '../../src/runtime/supervisor/steer.js';
import type { SteerMessage } from '../../src/state/types.js';
import {
  bridgeReader,
  cleanupLaneEnvs,
  laneSnap,
  makeLaneEnv,
  tick,
  type LaneEnv,
} from '../helpers/dialects-e2e-env.js';

afterEach(cleanupLaneEnvs);

const T = Date.parse('2026-11-20T10:15:00Z');
const TIMEOUT = 60_000; // DEFAULT_SETTINGS.steerTimeoutMs

/** Hand `text` to the lane's inbox with the real steer code and record it in the store. */
async function steer(env: LaneEnv, id: string, text: string, at: number): Promise<void> {
  const error = await deliverSteer(env.lane, {
    id,
    text,
    at,
    stdin: null,
    noStdinReason: 'no worker',
  });
  const message: SteerMessage = {
    id,
    text,
    sentAt: at,
    via: 'inbox',
    state: error === null ? 'pending' : 'failed',
    error,
    ackAt: null,
  };
  env.store.dispatch({ type: 'steer/sent', laneId: env.lane.id, message, at });
}

/** Run the real hook in-process as Claude Code's Stop hook; returns what it printed. */
async function stopHook(env: LaneEnv): Promise<string> {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (c: Buffer) => (printed += c.toString()));
  const payload = {
    session_id: 's1',
    transcript_path: '/t.jsonl',
    cwd: env.worktree,
    hook_event_name: 'Stop',
    stop_hook_active: false,
  };
  await runHook({
    configPath: '/nonexistent/lanes.yaml',
    stdin: Readable.from([JSON.stringify(payload)]),
    stdout: out,
    env: { LANEBOARD_BRIDGE_DIR: env.bridge },
  });
  return printed;
}

const delivery = (env: LaneEnv) => laneSnap(env).steering.map((m) => [m.id, m.delivery]);

describe('steering delivery state', () => {
  it('pending → delivered (acknowledged by the Stop hook) → not delivered after steer_timeout', async () => {
    const env = makeLaneEnv('steer', T);
    const reader = bridgeReader(env);

    await steer(env, 'm1', 'also handle HTTP 503', T);
    expect(delivery(env)).toEqual([['m1', 'pending']]);
    tick(env, T + TIMEOUT - 1);
    expect(delivery(env)).toEqual([['m1', 'pending']]);
    expect(laneSnap(env).blockers).toEqual([]);

    expect(await stopHook(env)).toBe(
      `${JSON.stringify({ decision: 'block', reason: 'also handle HTTP 503' })}\n`,
    );
    await reader.read(T + TIMEOUT);
    expect(delivery(env)).toEqual([['m1', 'delivered']]);
    const ack = laneSnap(env).raw.extras.lastEvent as { name: string; data: unknown };
    expect(ack).toMatchObject({ name: 'steer.acknowledged', data: { id: 'm1' } });

    // Past the timeout with no acknowledgement: "not delivered", and the lane says so.
    await steer(env, 'm2', 'stop and rebase', T + TIMEOUT + 1_000);
    tick(env, T + 2 * TIMEOUT + 1_001);
    expect(delivery(env)).toEqual([
      ['m1', 'delivered'],
      ['m2', 'not_delivered'],
    ]);
    expect(laneSnap(env).blockers).toEqual([
      expect.objectContaining({
        failureClass: 'steer_undelivered',
        detail: 'steering message not delivered: "stop and rebase"',
        nextAction:
          'check that the worker reads its inbox (or the steer command works), then steer again',
      }),
    ]);

    // A late acknowledgement still counts: the next Stop delivers it.
    expect(await stopHook(env)).toBe(
      `${JSON.stringify({ decision: 'block', reason: 'stop and rebase' })}\n`,
    );
    await reader.read(T + 2 * TIMEOUT + 2_000);
    expect(delivery(env)).toEqual([
      ['m1', 'delivered'],
      ['m2', 'delivered'],
    ]);
    expect(laneSnap(env).blockers).toEqual([]);
    // Nothing left to deliver: the next Stop prints nothing.
    expect(await stopHook(env)).toBe('');
    reader.close();
  });

  it('a message that cannot be handed over is failed at once, with the reason', async () => {
    const env = makeLaneEnv('fail', T, { steer: { mode: 'command', argv: ['false'] } });
    await steer(env, 'x1', 'hello', T);
    const s = laneSnap(env);
    expect(s.steering).toEqual([
      expect.objectContaining({
        id: 'x1',
        delivery: 'failed',
        error: 'steer command exited with code 1',
      }),
    ]);
    expect(s.blockers.map((b) => [b.failureClass, b.detail])).toEqual([
      [
        'steer_undelivered',
        'steering message not delivered: steer command exited with code 1: "hello"',
      ],
    ]);
  });
});
