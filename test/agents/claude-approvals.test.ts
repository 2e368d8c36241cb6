/**
 * Board approvals with the real Claude Code client (pinned in
 * test/helpers/claude-client.ts) against a scripted Messages API server on loopback that
 * asks to run `touch <file>` with the Bash tool: hooks from `laneboard hooks install`, a
 * lane with `approvals: board`, a real runtime serving the control endpoint.
 * - headless `-p`, answered with the verbs: the PermissionRequest hook waits;
 *   `laneboard approve` ⇒ the call is not auto-denied, the tool runs (the file exists, the
 *   model gets a successful tool result); `laneboard deny --message` ⇒ the model gets the
 *   message, the file is not made.
 * - interactive, the client and the board each in tmux (own sockets; the board owns the
 *   runtime of a second project): the client's prompt is on screen; on the board `a`, `n`
 *   and a message deny the first request (the model gets the message, no file), `a`, `y`
 *   allow the second (the prompt goes, the tool runs); then Esc in the client during a
 *   turn the server holds open leaves the lane "interrupted" in `laneboard --json` (the
 *   transcript marker, read by the board's transcript watch; no hook fires on Esc).
 * Skipped (loudly) only when the npm registry is unreachable.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { hostRuntime, type HostedRuntime } from '../../src/runtime/control/host.js';
import { pendingApproval } from '../../src/state/dialects/index.js';
import { selectLaneView } from '../../src/state/selectors.js';
import {
  held,
  lastBlocks,
  startScriptedServer,
  text,
  toolResults,
  toolUse,
  type Reply,
  type ScriptedServer,
} from '../helpers/anthropic-server.js';
import { ensureClaudeClient, runClaudeP } from '../helpers/claude-client.js';
import { startClaudeTmux } from '../helpers/claude-tmux.js';
import { runCli, waitFor } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';
import { hasTmux, startBoard } from '../helpers/e2e-tmux.js';

const client = await ensureClaudeClient();
const LANES = ['allow', 'deny'] as const;

/** The fields of a `--json` lane this file reads. */
interface JsonLane {
  agent: { status: string | null; kind: string; source: { via?: string | null } | null };
  blockers: {
    failureClass: string;
    detail: string;
    source: { via?: string | null } | null;
    approval?: { id: string; until: string | null } | null;
  }[];
}

let p: Project;
let hosted: HostedRuntime;
const servers: ScriptedServer[] = [];
const wt: Record<string, string> = {};

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
const claudeP = (id: string, server: ScriptedServer, prompt: string) =>
  runClaudeP(client.bin ?? '', wt[id] ?? '', path.join(p.root, `home-${id}`), server.url, prompt);

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
    expect(toolResults(server)[0]?.isError).toBe(false);
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
    const result = toolResults(server)[0];
    expect(result?.isError).toBe(true);
    expect(result?.text).toContain('not in this lane');
  }, 180_000);

  it.skipIf(!hasTmux())(
    'interactive, board in tmux: a n denies with a message, a y allows (the tool runs), Esc mid-turn → interrupted',
    async () => {
      // A second project whose runtime is the board itself.
      const q = makeProject();
      const qwt = q.addLane('tty', 'lane/tty');
      mkdirSync(path.join(qwt, '.claude'), { recursive: true });
      writeFileSync(
        path.join(qwt, '.claude', 'settings.local.json'),
        JSON.stringify({ permissions: { defaultMode: 'default' } }),
      );
      q.writeConfig(
        [
          'version: 1',
          'defaults: { repo: repo, base: main, approvals: board }',
          'lanes:',
          '  - { id: tty, worktree: wt/tty, branch: lane/tty }',
        ].join('\n'),
      );
      const inst = await runCli(['hooks', 'install', '--all', '--config', q.config]);
      expect(inst.code, inst.stderr).toBe(0);
      const server = await startScriptedServer(text('ok'));
      servers.push(server);
      server.setScript((body): Reply => {
        if (!Array.isArray(body?.tools) || body.tools.length === 0) return text('ok');
        const msgs = Array.isArray(body.messages) ? body.messages : [];
        if (JSON.stringify(msgs[msgs.length - 1]).includes('keep going')) return held('thinking');
        const result = lastBlocks(body).find((b) => b.type === 'tool_result');
        if (result === undefined) return toolUse('Bash', { command: 'touch denied.txt' });
        if (result.is_error === true) return toolUse('Bash', { command: 'touch tty.txt' });
        return text('finished');
      });
      const lane = async (): Promise<JsonLane> => {
        const r = await runCli(['--json', '--config', q.config]);
        return (JSON.parse(r.stdout) as { lanes: JsonLane[] }).lanes[0]!;
      };
      const board = startBoard({ cwd: q.root, args: ['--config', q.config] });
      const cc = startClaudeTmux(
        client.bin ?? '',
        `approvals-${process.pid}`,
        qwt,
        path.join(q.root, 'home'),
        server.url,
        'make the file',
      );
      const until = <T>(cond: () => T | Promise<T>, what: string) =>
        waitFor(cond, what, {
          timeoutMs: 60_000,
          intervalMs: 200,
          detail: () => `${cc.screen()}\n--- board:\n${board.capture()}`,
        });
      const asked = (file: string) =>
        until(
          async () =>
            (await lane()).blockers.find(
              (b) => b.detail === `permission requested: Bash: touch ${file}`,
            ),
          `the request for ${file} on the lane`,
        );
      const OPEN = 'allow once? (y/n';
      try {
        await board.waitForFrame((f) => f.includes('tty'), 'the board');
        const first = await asked('denied.txt');
        expect(first.source?.via).toBe('hook');
        // The request id the hook waits on, as `laneboard deny --request` would name it.
        expect(first.approval?.id).toMatch(/^req-[0-9a-f]{16}$/);
        expect(Date.parse(first.approval?.until ?? '')).toBeGreaterThan(Date.now());
        await until(() => /Do you want to proceed\?/.test(cc.screen()), 'the client prompt');
        const opened = await board.press('a', (f) => f.includes(OPEN));
        expect(opened).toContain('tty: permission requested: Bash: touch denied.txt');
        const ask = 'deny tty: message for the agent (optional) › ';
        await board.press('n', (f) => f.includes(ask));
        await board.type('not in this lane', ask);
        await board.press('Enter', (f) => f.includes('denied: tty'));
        await until(() => toolResults(server)[0], 'the denied tool result');
        expect(toolResults(server)[0]).toMatchObject({ isError: true });
        expect(toolResults(server)[0]?.text).toContain('not in this lane');

        await asked('tty.txt');
        const again = await board.press('a', (f) => f.includes(OPEN));
        expect(again).toContain('tty: permission requested: Bash: touch tty.txt');
        await board.press('y', (f) => f.includes('allowed once: tty'));
        await until(() => existsSync(path.join(qwt, 'tty.txt')), 'tty.txt');
        await until(
          () => cc.screen().includes('Allowed by PermissionRequest hook'),
          'the client saying who allowed',
        );
        expect(cc.screen()).not.toMatch(/Do you want to proceed\?/);
        expect(existsSync(path.join(qwt, 'denied.txt'))).toBe(false);
        await until(() => toolResults(server)[1]?.isError === false, 'the successful tool result');
        await until(async () => (await lane()).agent.status === 'idle', 'the lane idle');

        // Esc while the server holds the turn open: no hook fires; the transcript says it.
        await cc.prompt('keep going');
        await until(() => server.held() > 0, 'the held request');
        cc.tmux('send-keys', '-t', 'cc', 'Escape');
        await until(() => server.held() === 0, 'the client to drop the held request');
        await until(
          async () => (await lane()).agent.status === 'interrupted',
          'the lane interrupted',
        );
        const done = await lane();
        expect(done.blockers).toEqual([]);
        expect(done.agent.kind).toBe('idle');
        // The board counts it as waiting for you, not as a failure.
        await board.waitForFrame((f) => /1 need you/.test(f) && /interrup/.test(f), 'need you');
        // Who said it, and how old it is: --json, laneboard why, the detail pane.
        expect(done.agent.source?.via).toBe('transcript');
        const why = await runCli(['why', 'tty', '--config', q.config]);
        expect(why.stdout).toMatch(
          /agent {3}interrupted \(idle, interrupted by the user\).*\n\s+source transcript: hook-events\.jsonl:\d+ \(hook\.Interrupt\), seen \d+s ago/,
        );
        await board.press('Enter', (f) =>
          /source: transcript: hook-events\.jsonl line \d+ \(hook\.Interrupt\), seen/.test(f),
        );
      } finally {
        await cc.stop();
        board.kill();
      }
    },
    240_000,
  );
});
