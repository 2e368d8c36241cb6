/**
 * Resume at usage-limit reset with the real Claude Code client (pinned in
 * test/helpers/claude-client.ts) as a supervised headless worker against a scripted
 * Messages API server on loopback: `claude -p … --output-format json` hits a 429 → the
 * lane parks (from the worker's own output) → the server stops answering 429 → after the
 * configured probe interval the runtime runs the resume command
 * (`claude -p --resume {session} … continue`) and the resumed turn succeeds in the same
 * session. And a long-lived stream-json worker (`--input-format stream-json`, prompts
 * steered over stdin) on a subscription login: the server refuses with the
 * `anthropic-ratelimit-unified-*` headers, the client prints a `rate_limit_event`
 * (`rejected`, `resetsAt`) and an error result but keeps running, and the lane shows the
 * rate limit with that reset time, from the worker output, while the worker runs; the next
 * good turn clears it. Skipped (loudly) only when the npm registry is unreachable.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { DEFAULT_RATE_LIMIT } from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import {
  limitRejected,
  rateLimited,
  startScriptedServer,
  text,
} from '../helpers/anthropic-server.js';
import { claudeEnv, ensureClaudeClient, subscriptionEnv } from '../helpers/claude-client.js';
import {
  makeTempDir,
  removeDir,
  testConfig,
  testLane,
  waitFor,
} from '../helpers/supervisor-helpers.js';

const client = await ensureClaudeClient();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe.skipIf(client.bin === null)('real Claude Code: resume at usage-limit reset', () => {
  it('a headless 429 parks the lane; once the limit is gone the resumed turn succeeds', async () => {
    const bin = client.bin ?? '';
    const server = await startScriptedServer(rateLimited());
    cleanup.push(() => server.close());
    const root = makeTempDir('lb-claude-resume-');
    cleanup.push(() => removeDir(root));
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    const json = ['--output-format', 'json'];
    const lane = testLane(root, 'c', {
      command: [bin, '-p', 'write the report', ...json],
      env: claudeEnv(home, server.url) as Record<string, string>,
      autostart: true,
      restart: 'on-failure',
      rateLimit: {
        ...DEFAULT_RATE_LIMIT,
        action: 'resume',
        resumeCommand: [bin, '-p', '--resume', '{session}', ...json, 'continue'],
        probeMs: 3_000,
        probeMaxMs: 3_000,
        jitterMs: 0,
      },
    });
    const rt: Runtime = await createRuntime(testConfig(root, [lane]), { mode: 'supervise' });
    cleanup.push(() => rt.dispose());
    await rt.start();
    const view = () => selectLaneView(rt.store.getState(), 'c');

    const parked = await waitFor(
      () => {
        const v = view();
        const rl = v.blockers.some((b) => b.failureClass === 'rate_limit');
        return v.worker.state === 'parked' && rl ? v : null;
      },
      60_000,
      'the lane parked as rate limited',
    );
    expect(parked.worker.exitCode).toBe(1);
    const session = parked.agent.sessionId;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    // The limit is gone: the next request gets an answer.
    server.setFallback(text('report written'));

    const done = await waitFor(
      () => {
        const v = view();
        return v.worker.state === 'exited' && v.worker.exitCode === 0 ? v : null;
      },
      60_000,
      'the resumed run to succeed',
    );
    expect(done.worker.restarts).toBe(1);
    // The resumed request carries the first prompt: the same session went on.
    const last = server.requests.filter((r) => r.path === '/v1/messages').at(-1);
    expect(JSON.stringify(last?.body ?? {})).toContain('write the report');
    expect(JSON.stringify(last?.body ?? {})).toContain('continue');
    // No hooks here: the good result in the worker's output clears the rate limit.
    await waitFor(
      () => !view().blockers.some((b) => b.failureClass === 'rate_limit'),
      10_000,
      'the rate limit cleared',
    );
    expect(view().agent.status).toBe('idle');
    expect(view().agent.sessionId).toBe(session);
  }, 180_000);

  it('stream-json over stdin: a refused limit shows with its reset while the worker runs; a good turn clears it', async () => {
    const bin = client.bin ?? '';
    const reset = Math.floor(Date.now() / 1000) + 3 * 3600;
    const server = await startScriptedServer(limitRejected(reset));
    cleanup.push(() => server.close());
    const root = makeTempDir('lb-claude-stream-');
    cleanup.push(() => removeDir(root));
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    const lane = testLane(root, 's', {
      command: [
        bin,
        '-p',
        '--input-format',
        'stream-json',
        '--output-format',
        'stream-json',
        '--verbose',
      ],
      env: subscriptionEnv(home, server.url) as Record<string, string>,
      steer: { mode: 'stdin' },
      autostart: true,
    });
    const rt: Runtime = await createRuntime(testConfig(root, [lane]), { mode: 'supervise' });
    cleanup.push(() => rt.dispose());
    await rt.start();
    const view = () => selectLaneView(rt.store.getState(), 's');
    const say = (content: string) =>
      rt.controls.steer('s', JSON.stringify({ type: 'user', message: { role: 'user', content } }));
    await waitFor(() => view().worker.state === 'running', 30_000, 'the worker running');

    await say('write the report');
    const limited = await waitFor(
      () => view().blockers.find((b) => b.failureClass === 'rate_limit'),
      30_000,
      'the rate limit on the lane',
    );
    expect(limited.resetAt).toBe(reset * 1000);
    expect(limited.source.via).toBe('worker output');
    expect(view().worker.state).toBe('running');

    server.setFallback(text('report written'));
    await say('try again');
    await waitFor(
      () =>
        view().agent.status === 'idle' &&
        !view().blockers.some((b) => b.failureClass === 'rate_limit'),
      30_000,
      'a good turn to clear the limit',
    );
    expect(view().worker.state).toBe('running');
    expect(view().agent.notes.lastMessage).toBe('report written');
  }, 120_000);
});
