/**
 * Resume at usage-limit reset with the real Claude Code client (pinned in
 * test/helpers/claude-client.ts) as a supervised headless worker against a scripted
 * Messages API server on loopback: `claude -p … --output-format json` hits a 429 → the
 * lane parks (from the worker's own output) → the server stops answering 429 → after the
 * configured probe interval the runtime runs the resume command
 * (`claude -p --resume {session} … continue`) and the resumed turn succeeds in the same
 * session. Skipped (loudly) only when the npm registry is unreachable.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { DEFAULT_RATE_LIMIT } from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { rateLimited, startScriptedServer, text } from '../helpers/anthropic-server.js';
import { claudeEnv, ensureClaudeClient } from '../helpers/claude-client.js';
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
});
