/**
 * Board approvals with the real interactive Codex CLI (pinned, test/helpers/codex-client.ts)
 * in tmux (own socket) against a scripted Responses server: hooks from `laneboard hooks
 * install --agent codex` (trusted as in `/hooks`), a lane with `approvals: board`, and
 * `laneboard serve` running. A command asking for escalation makes Codex fire its
 * PermissionRequest hook; the lane shows the request, `laneboard approve` answers it with
 * the same `hookSpecificOutput` answer as for Claude Code, and the command runs without
 * anyone touching Codex's terminal. Skipped without tmux.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODEX_BIN,
  codexArgs,
  codexEnv,
  ensureCodexClient,
  trustHooks,
  type CodexClient,
} from '../helpers/codex-client.js';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';
import { hasTmux } from '../helpers/e2e-tmux.js';
import {
  say,
  shell,
  startResponsesServer,
  type ResponsesServer,
} from '../helpers/responses-server.js';

const SOCKET = `approvals-codex-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const pane = (): string => tmux('capture-pane', '-p', '-t', 'cx');
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

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
  p = makeProject();
  wt = p.addLane('a', 'lane/a');
  p.writeConfig(
    'version: 1\ndefaults: { repo: repo, base: main, approvals: board }\nlanes:\n  - { id: a, worktree: wt/a, branch: lane/a }\n',
  );
  const home = path.join(p.root, 'home');
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const env = codexEnv(home, codexHome);
  const r = await runCli(['hooks', 'install', '--agent', 'codex', '--all', '--config', p.config], {
    env: { CODEX_HOME: codexHome },
  });
  expect(r.code, r.stderr).toBe(0);
  await trustHooks(client.bin, env, wt, 'laneboard');
  serve = startCli(['serve', '--config', p.config], { cwd: p.root });
  const vars = Object.entries({ ...env, TERM: 'xterm-256color' })
    .map(([k, v]) => `${k}=${shq(v ?? '')}`)
    .join(' ');
  const argv = [process.execPath, CODEX_BIN, ...codexArgs(server.url)];
  const policy = ['-c', 'approval_policy="on-request"', '-s', 'read-only'];
  tmux(
    'new-session',
    '-d',
    '-s',
    'cx',
    '-x',
    '120',
    '-y',
    '40',
    `cd ${shq(wt)} && env -i ${vars} ${[...argv, ...policy].map(shq).join(' ')}`,
  );
}, 600_000);

afterAll(async () => {
  let socket = '';
  try {
    socket = tmux('display-message', '-p', '#{socket_path}').trim();
    tmux('kill-server');
  } catch {
    // no server was started
  }
  if (socket.startsWith('/')) rmSync(socket, { force: true });
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
  it('a PermissionRequest waits for the board; laneboard approve lets the command run', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    // The folder trust prompt (a fresh CODEX_HOME always asks; it may come up after the
    // composer is drawn), answered as a user does: Enter on "Trust and continue". Ready
    // once it was answered and the composer showed without it on three polls in a row.
    let calm = 0;
    let trusted = false;
    await waitFor(
      () => {
        const now = pane();
        if (/Trust this folder/.test(now)) {
          calm = 0;
          trusted = true;
          tmux('send-keys', '-t', 'cx', 'Enter');
        } else if (/Ask Codex to do anything/.test(now)) calm++;
        return trusted && calm >= 3;
      },
      'codex ready (folder trusted)',
      { timeoutMs: 60_000, intervalMs: 400, detail: pane },
    );
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
