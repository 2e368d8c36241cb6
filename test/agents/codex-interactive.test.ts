/**
 * The real interactive Codex CLI (pinned, test/helpers/codex-client.ts) in tmux against a
 * scripted Responses server, with hooks from `laneboard hooks install --agent codex`
 * (trusted as in `/hooks`): the folder trust prompt is answered as a user answers it, a
 * real approval prompt shows on the lane as a permission blocker naming the tool and its
 * command, approving it in Codex's own terminal lets the turn finish, Esc during a turn
 * leaves the lane "interrupted", and a 429 in the still-open session (no hook fires) is
 * reported by `laneboard serve`'s rollout watch as rate_limit, cleared by the next good
 * turn. Skipped without tmux.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCodexClient, type CodexClient } from '../helpers/codex-client.js';
import { codexReady, codexTmux, startCodexLane, stopCodexTmux } from '../helpers/codex-tmux.js';
import { runCli, startCli, waitFor } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { hasTmux } from '../helpers/e2e-tmux.js';
import {
  rateLimited,
  say,
  shell,
  startResponsesServer,
  type ResponsesServer,
} from '../helpers/responses-server.js';

const t = codexTmux(`codex-lb-${process.pid}`);
const { tmux, pane } = t;

let client: CodexClient = { bin: null, skip: 'not set up' };
let server: ResponsesServer;
let p: Project;
let wt: string;

beforeAll(async () => {
  if (!hasTmux()) return;
  client = await ensureCodexClient();
  if (client.bin === null) return;
  server = await startResponsesServer(say('done'));
  ({ p, wt } = await startCodexLane(t, client.bin, server.url));
}, 600_000);

afterAll(async () => {
  stopCodexTmux(t);
  if (client.bin !== null) await server.close();
  cleanupProjects();
});

interface LaneView {
  agent: { status: string } | null;
  blockers: { failureClass: string; detail: string }[];
}

async function lane(): Promise<LaneView> {
  const r = await runCli(['--json', '--config', p.config]);
  return (JSON.parse(r.stdout) as { lanes: LaneView[] }).lanes[0]!;
}

const screen = (re: RegExp, what: string) =>
  waitFor(() => re.test(pane()), what, { timeoutMs: 20_000, intervalMs: 100, detail: pane });
const status = (want: string) =>
  waitFor(
    async () => ((await lane()).agent?.status === want ? true : null),
    `lane status ${want}`,
    {
      timeoutMs: 20_000,
      intervalMs: 200,
      detail: pane,
    },
  );

/** Type a prompt, then Enter on its own (Codex treats a fast burst as a paste). */
async function prompt(text: string): Promise<void> {
  tmux('send-keys', '-t', 'cx', '-l', text);
  await screen(new RegExp(text), `the prompt "${text}" typed`);
  tmux('send-keys', '-t', 'cx', 'Enter');
}

describe.skipIf(!hasTmux())('real Codex CLI, interactive in tmux', () => {
  it('approval prompt → permission blocker with the command; approved → idle; Esc → interrupted; a 429 in the open session → rate_limit', async (ctx) => {
    if (client.bin === null) return ctx.skip(client.skip);
    await codexReady(t);

    server.push(
      shell('touch made.txt', {
        sandbox_permissions: 'require_escalated',
        justification: 'write a file',
      }),
      say('made it'),
    );
    await prompt('make a file');
    await screen(/Would you like to run/, 'the approval prompt');
    await status('tool_permission_required');
    const asked = await lane();
    expect(asked.blockers.find((b) => b.failureClass === 'permission')?.detail).toBe(
      'permission requested: Bash: touch made.txt',
    );
    tmux('send-keys', '-t', 'cx', 'y');
    await status('idle');
    expect((await lane()).blockers).toEqual([]);
    expect(existsSync(path.join(wt, 'made.txt'))).toBe(true);

    server.push({ kind: 'text', text: 'slow', hold: true });
    await prompt('take your time');
    await status('running');
    await waitFor(() => server.held() > 0, 'the held request', { detail: pane });
    tmux('send-keys', '-t', 'cx', 'Escape');
    await status('interrupted');
    expect((await lane()).blockers).toEqual([]);

    // A 429 in the open session fires no hook: the runtime's rollout watch reports it.
    const serve = startCli(['serve', '--config', p.config], { cwd: p.root });
    try {
      await waitFor(
        async () => (await runCli(['status', '--json', '--config', p.config])).code === 0,
        'serve to answer',
        { timeoutMs: 20_000, intervalMs: 200, detail: () => serve.stderr() },
      );
      server.setFallback(rateLimited());
      await prompt('try again');
      await status('blocked');
      const limited = await lane();
      expect(limited.blockers.find((b) => b.failureClass === 'rate_limit')?.detail).toMatch(/429/);
      server.setFallback(say('fine'));
      await prompt('once more');
      await status('idle');
      expect((await lane()).blockers).toEqual([]);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 120_000);
});
