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
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
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
import { runCli, startCli, waitFor } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';
import { hasTmux } from '../helpers/e2e-tmux.js';
import {
  rateLimited,
  say,
  shell,
  startResponsesServer,
  type ResponsesServer,
} from '../helpers/responses-server.js';

const SOCKET = `codex-lb-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const pane = (): string => tmux('capture-pane', '-p', '-t', 'cx');
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let client: CodexClient = { bin: null, skip: 'not set up' };
let server: ResponsesServer;
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
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      'lanes:',
      '  - id: a',
      '    worktree: wt/a',
      '    branch: lane/a',
    ].join('\n'),
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
  const vars = Object.entries({ ...env, TERM: 'xterm-256color' })
    .map(([k, v]) => `${k}=${shq(v ?? '')}`)
    .join(' ');
  const argv = [
    process.execPath,
    CODEX_BIN,
    ...codexArgs(server.url),
    '-c',
    'approval_policy="on-request"',
    '-s',
    'read-only',
  ];
  tmux(
    'new-session',
    '-d',
    '-s',
    'cx',
    '-x',
    '120',
    '-y',
    '40',
    `cd ${shq(wt)} && env -i ${vars} ${argv.map(shq).join(' ')}`,
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
  it('approval prompt → permission blocker with the command; approved → idle; Esc → interrupted; a 429 in the open session → rate_limit', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    // The folder trust prompt (it may come up after the composer is drawn), answered as a
    // user does: Enter on "Trust and continue". Ready once the composer has shown without
    // the prompt on three polls in a row.
    // A fresh CODEX_HOME always asks, so wait until the prompt was answered (under load it
    // came up after three calm polls of the composer).
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
