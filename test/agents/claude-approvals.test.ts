/**
 * Board approvals with the real Claude Code client (pinned in
 * test/helpers/claude-client.ts) against a scripted Messages API server on loopback that
 * asks to run `touch <file>` with the Bash tool: hooks from `laneboard hooks install`, a
 * lane with `approvals: board`, a real runtime serving the control endpoint, and the
 * answer given with the `laneboard approve|deny` verbs.
 * - headless `-p`: the PermissionRequest hook waits; `laneboard approve` ⇒ the call is not
 *   auto-denied, the tool runs (the file exists, the model gets a successful tool result);
 *   `laneboard deny --message` ⇒ the model gets the message, the file is not made.
 * - interactive, in tmux (own socket): the client's permission prompt is on screen, the
 *   board shows the request, `laneboard approve` ⇒ the prompt goes away and the tool runs.
 * Skipped (loudly) only when the npm registry is unreachable.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { hostRuntime, type HostedRuntime } from '../../src/runtime/control/host.js';
import { pendingApproval } from '../../src/state/dialects/index.js';
import { selectLaneView } from '../../src/state/selectors.js';
import {
  startScriptedServer,
  text,
  toolUse,
  type Reply,
  type ScriptedServer,
} from '../helpers/anthropic-server.js';
import { claudeEnv, ensureClaudeClient } from '../helpers/claude-client.js';
import { isAlive, runCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';
import { hasTmux } from '../helpers/e2e-tmux.js';

const client = await ensureClaudeClient();
const LANES = ['allow', 'deny', 'tty'] as const;

let p: Project;
let hosted: HostedRuntime;
const servers: ScriptedServer[] = [];
const wt: Record<string, string> = {};

/** Content blocks of the last message of a Messages request body. */
function lastBlocks(body: Record<string, unknown> | null): Record<string, unknown>[] {
  const msgs = body?.messages;
  if (!Array.isArray(msgs) || msgs.length === 0) return [];
  const content = (msgs[msgs.length - 1] as { content?: unknown }).content;
  return Array.isArray(content) ? (content as Record<string, unknown>[]) : [];
}

/**
 * A server whose main conversation (requests that offer tools) asks once to run
 * `touch <file>` and then finishes; helper queries (no tools) get a short text.
 */
async function touchServer(file: string): Promise<ScriptedServer> {
  const s = await startScriptedServer(text('ok'));
  s.setScript((body): Reply => {
    if (!Array.isArray(body?.tools) || body.tools.length === 0) return text('ok');
    if (lastBlocks(body).some((b) => b.type === 'tool_result')) return text('finished');
    return toolUse('Bash', { command: `touch ${file}`, description: 'make the file' });
  });
  servers.push(s);
  return s;
}

/** The tool_result the model got back, or null. */
function toolResult(s: ScriptedServer): { text: string; isError: boolean } | null {
  for (const r of s.requests) {
    const b = lastBlocks(r.body).find((x) => x.type === 'tool_result');
    if (b === undefined) continue;
    const c = b.content;
    const t = typeof c === 'string' ? c : JSON.stringify(c);
    return { text: t, isError: b.is_error === true };
  }
  return null;
}

beforeAll(async () => {
  if (client.bin === null) return;
  p = makeProject();
  for (const id of LANES) {
    wt[id] = p.addLane(id, `lane/${id}`);
    mkdirSync(path.join(wt[id], '.claude'), { recursive: true });
    // Prompts on: interactive Claude Code may default to a mode that shows none.
    writeFileSync(
      path.join(wt[id], '.claude', 'settings.local.json'),
      JSON.stringify({ permissions: { defaultMode: 'default' } }),
    );
  }
  p.writeConfig(
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      '  approvals: board',
      'lanes:',
      ...LANES.flatMap((id) => [
        `  - id: ${id}`,
        `    worktree: wt/${id}`,
        `    branch: lane/${id}`,
      ]),
    ].join('\n'),
  );
  const r = await runCli(['hooks', 'install', '--all', '--config', p.config]);
  expect(r.code, r.stderr).toBe(0);
  hosted = await hostRuntime(await loadConfig(p.config), 'serve', { autostart: false });
  await hosted.runtime.start();
  await hosted.runtime.observed();
}, 120_000);

afterAll(async () => {
  if (client.bin === null) return;
  await hosted.dispose();
  for (const s of servers) await s.close();
  cleanupProjects();
});

/** The request lane `id` waits on for the board (polled from the runtime's store). */
async function waitingRequest(id: string, timeout = 60_000) {
  return vi.waitFor(
    () => {
      hosted.runtime.flush();
      const st = hosted.runtime.store.getState();
      const req = pendingApproval(selectLaneView(st, id).blockers, Date.now());
      if (req === null) throw new Error(`no request waiting on ${id} yet`);
      return req;
    },
    { timeout, interval: 100 },
  );
}

/** `claude -p <prompt>` in lane `id` against `server` (not awaited by the caller yet). */
function claudeP(id: string, server: ScriptedServer, prompt: string) {
  const home = path.join(p.root, `home-${id}`);
  mkdirSync(home, { recursive: true });
  const bin = client.bin ?? '';
  return new Promise<{ code: number; out: Record<string, unknown> }>((resolve, reject) => {
    execFile(
      bin,
      ['-p', prompt, '--output-format', 'json'],
      { cwd: wt[id], env: claudeEnv(home, server.url), timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        try {
          resolve({ code, out: JSON.parse(stdout) as Record<string, unknown> });
        } catch {
          reject(new Error(`claude -p printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe.skipIf(client.bin === null)('real Claude Code: approvals from the board', () => {
  it('headless: laneboard approve lets the Bash call run (not auto-denied)', async () => {
    const server = await touchServer('allowed.txt');
    const run = claudeP('allow', server, 'make the file');
    const req = await waitingRequest('allow');
    expect(req.detail).toBe('permission requested: Bash: touch allowed.txt');
    const v = await runCli(['approve', 'allow', '--config', p.config]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`allowed ${req.id} on allow`);
    const r = await run;
    expect(r.code).toBe(0);
    expect(existsSync(path.join(wt.allow ?? '', 'allowed.txt'))).toBe(true);
    expect(toolResult(server)?.isError).toBe(false);
    expect(r.out.permission_denials ?? []).toEqual([]);
  }, 180_000);

  it('headless: laneboard deny --message reaches the model; the tool does not run', async () => {
    const server = await touchServer('denied.txt');
    const run = claudeP('deny', server, 'make the file');
    await waitingRequest('deny');
    const v = await runCli(['deny', 'deny', '--message', 'not in this lane', '--config', p.config]);
    expect(v.code, v.stderr).toBe(0);
    await run;
    expect(existsSync(path.join(wt.deny ?? '', 'denied.txt'))).toBe(false);
    const result = toolResult(server);
    expect(result?.isError).toBe(true);
    expect(result?.text).toContain('not in this lane');
  }, 180_000);

  it.skipIf(!hasTmux())(
    'interactive in tmux: the prompt is on screen, laneboard approve answers it and the tool runs',
    async () => {
      const server = await touchServer('tty.txt');
      const home = path.join(p.root, 'home-tty');
      mkdirSync(home, { recursive: true });
      // No first-run screens: onboarding done, the test API key accepted, the worktree trusted.
      writeFileSync(
        path.join(home, '.claude.json'),
        JSON.stringify({
          hasCompletedOnboarding: true,
          customApiKeyResponses: { approved: ['test'], rejected: [] },
          projects: { [wt.tty ?? '']: { hasTrustDialogAccepted: true } },
        }),
      );
      const sock = `approvals-${process.pid}`;
      const tmux = (...args: string[]): string =>
        execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
      const env = claudeEnv(home, server.url);
      const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v ?? ''}`]);
      try {
        tmux(
          'new-session',
          '-d',
          '-x',
          '120',
          '-y',
          '40',
          '-c',
          wt.tty ?? '',
          ...envArgs,
          client.bin ?? '',
          'make the file',
        );
        const screen = (): string => tmux('capture-pane', '-p', '-t', '0');
        const req = await waitingRequest('tty', 90_000);
        expect(req.detail).toBe('permission requested: Bash: touch tty.txt');
        // The client's own prompt shows meanwhile (the hook answers it for the operator).
        await vi.waitFor(() => expect(screen()).toMatch(/Do you want to proceed\?/), {
          timeout: 30_000,
          interval: 200,
        });
        const v = await runCli(['approve', 'tty', '--config', p.config]);
        expect(v.code, v.stderr).toBe(0);
        await vi.waitFor(() => expect(existsSync(path.join(wt.tty ?? '', 'tty.txt'))).toBe(true), {
          timeout: 60_000,
          interval: 200,
        });
        // The client says who answered its prompt.
        await vi.waitFor(() => expect(screen()).toContain('Allowed by PermissionRequest hook'), {
          timeout: 60_000,
          interval: 200,
        });
        expect(screen()).not.toMatch(/Do you want to proceed\?/);
        await vi.waitFor(() => expect(toolResult(server)?.isError).toBe(false), {
          timeout: 60_000,
          interval: 200,
        });
      } finally {
        let pid = NaN;
        try {
          pid = Number(tmux('display-message', '-p', '-t', '0', '#{pane_pid}').trim());
          tmux('kill-server');
        } catch {
          // already gone
        }
        // The client still writes its session files while it exits: wait for it.
        if (Number.isInteger(pid) && pid > 0)
          await vi.waitFor(() => expect(isAlive(pid)).toBe(false), {
            timeout: 30_000,
            interval: 100,
          });
      }
    },
    240_000,
  );
});
