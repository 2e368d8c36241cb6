/**
 * Board approvals with the real interactive Codex CLI (pinned, test/helpers/codex-client.ts)
 * in tmux (own socket) against a scripted Responses server: hooks from `laneboard hooks
 * install --agent codex` (trusted as in `/hooks`), a lane with `approvals: board`, and
 * `laneboard serve` running. A command asking for escalation makes Codex fire its
 * PermissionRequest hook; the lane shows the request, `laneboard approve` answers it with
 * the same `hookSpecificOutput` answer as for Claude Code, and the command runs without
 * anyone touching Codex's terminal. Skipped without tmux.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCodexClient, type CodexClient } from '../helpers/codex-client.js';
import { codexReady, codexTmux, startCodexLane, stopCodexTmux } from '../helpers/codex-tmux.js';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { hasTmux } from '../helpers/e2e-tmux.js';
import {
  say,
  shell,
  startResponsesServer,
  type ResponsesServer,
} from '../helpers/responses-server.js';

const t = codexTmux(`approvals-codex-${process.pid}`);
const { tmux, pane } = t;

let client: CodexClient = { bin: null, skip: 'not set up' };
let server: ResponsesServer;
let serve: RunningCli | null = null;
let p: Project;
let wt: string;

beforeAll(async () => {
  if (!hasTmux()) return;
  client = await ensureCodexClient();
  if (client.bin === null) return;
  server = await startResponsesServer(say('done'));
  ({ p, wt } = await startCodexLane(t, client.bin, server.url, ['approvals: board']));
  serve = startCli(['serve', '--config', p.config], { cwd: p.root });
}, 600_000);

afterAll(async () => {
  stopCodexTmux(t);
  if (serve !== null) {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
  if (client.bin !== null) await server.close();
  cleanupProjects();
});

interface LaneView {
  agent: { status: string } | null;
  blockers: { failureClass: string; detail: string; nextAction: string }[];
}

async function lane(): Promise<LaneView> {
  const r = await runCli(['status', '--json', '--config', p.config]);
  return (JSON.parse(r.stdout) as { lanes: LaneView[] }).lanes[0]!;
}

describe.skipIf(!hasTmux())('real Codex CLI: approvals from the board', () => {
  it('a PermissionRequest waits for the board; laneboard approve lets the command run', async (ctx) => {
    if (client.bin === null) return ctx.skip(client.skip);
    await codexReady(t);
    server.push(
      shell('touch board.txt', {
        sandbox_permissions: 'require_escalated',
        justification: 'write a file',
      }),
      say('made it'),
    );
    tmux('send-keys', '-t', 'cx', '-l', 'make a file');
    await waitFor(() => pane().includes('make a file'), 'the prompt typed', { detail: pane });
    tmux('send-keys', '-t', 'cx', 'Enter');
    const asked = await waitFor(
      async () =>
        (await lane()).blockers.find(
          (b) => b.failureClass === 'permission' && b.nextAction.includes('laneboard approve'),
        ) ?? null,
      'the request waiting for the board',
      { timeoutMs: 60_000, intervalMs: 250, detail: pane },
    );
    expect(asked.detail).toBe('permission requested: Bash: touch board.txt');
    const v = await runCli(['approve', 'a', '--config', p.config]);
    expect(v.code, v.stderr).toBe(0);
    await waitFor(() => existsSync(path.join(wt, 'board.txt')), 'the command to run', {
      timeoutMs: 60_000,
      intervalMs: 200,
      detail: pane,
    });
    await waitFor(
      async () => ((await lane()).agent?.status === 'idle' ? true : null),
      'the turn to finish',
      { timeoutMs: 30_000, intervalMs: 250, detail: pane },
    );
    expect((await lane()).blockers).toEqual([]);
    // Answered by the hook (its receipt), not in Codex's terminal.
    const events = readFileSync(path.join(p.bridge('a'), 'hook-events.jsonl'), 'utf8');
    expect(events).toMatch(/"event":"approval\.answered".*"behavior":"allow".*"by":"verb"/);
  }, 180_000);
});
