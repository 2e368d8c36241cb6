/**
 * An Esc interrupt in an interactive Claude Code session fires no hook; only the
 * transcript gets `[Request interrupted by user]`. The runtime's transcript watch
 * (src/runtime/rollout-watch.ts) reads it while the session runs, so the lane shows
 * "interrupted" without waiting for SessionEnd. Real files, a real runtime (observe mode).
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { selectLaneView } from '../../src/state/selectors.js';
import {
  makeTempDir,
  removeDir,
  testConfig,
  testLane,
  waitFor,
} from '../helpers/supervisor-helpers.js';

const dirs: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.dispose();
  for (const d of dirs.splice(0)) removeDir(d);
});

const row = (o: Record<string, unknown>): string => `${JSON.stringify(o)}\n`;

describe('Claude Code transcript watch', () => {
  it('an Esc interrupt in a running session shows as interrupted, recorded once', async () => {
    const root = makeTempDir('lb-transcript-');
    dirs.push(root);
    const lane = testLane(root, 'i', { command: null });
    const transcript = join(root, 'projects', 's1.jsonl');
    mkdirSync(join(root, 'projects'), { recursive: true });
    writeFileSync(
      transcript,
      row({ type: 'user', message: { role: 'user', content: 'refactor it' }, uuid: 'u1' }),
    );
    mkdirSync(lane.bridge, { recursive: true });
    const hooks = join(lane.bridge, 'hook-events.jsonl');
    const hook = (name: string, extra: Record<string, unknown> = {}): void =>
      appendFileSync(
        hooks,
        row({
          received_at: new Date().toISOString(),
          payload: {
            session_id: 's1',
            transcript_path: transcript,
            cwd: lane.worktree,
            hook_event_name: name,
            ...extra,
          },
        }),
      );
    hook('SessionStart', { source: 'startup' });
    hook('UserPromptSubmit', { prompt: 'refactor it' });
    hook('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'sleep 60' } });
    const rt = await createRuntime(testConfig(root, [lane]), { mode: 'observe', tickMs: 100 });
    runtimes.push(rt);
    await rt.start();
    const view = () => selectLaneView(rt.store.getState(), 'i');
    await waitFor(() => view().agent.status === 'running', 10_000, 'running');

    appendFileSync(
      transcript,
      row({
        type: 'user',
        message: {
          role: 'user',
          content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }],
        },
        uuid: 'u2',
      }),
    );
    await waitFor(() => view().agent.status === 'interrupted', 10_000, 'interrupted');
    // (the lane's worktree is a plain directory here: git_error is expected)
    expect(
      view()
        .blockers.map((b) => b.failureClass)
        .filter((c) => c !== 'git_error'),
    ).toEqual([]);
    const lines = readFileSync(hooks, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"Interrupt"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"source":"transcript"');
    expect(lines[0]).toContain('"transcript_uuid":"u2"');
  }, 30_000);
});
