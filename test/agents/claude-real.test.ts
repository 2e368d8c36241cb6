/**
 * The real Claude Code client (npm @anthropic-ai/claude-code 2.1.330, the native binary
 * from its platform package) against a scripted Messages API server on loopback, with the
 * hooks set up by `laneboard hooks install`. The client is looked for in
 * node_modules/.cache/claude-code-2.1.330 (install it there with
 * `npm install --no-save --prefix node_modules/.cache/claude-code-2.1.330
 * @anthropic-ai/claude-code@2.1.330`); without it this suite is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, text, type ScriptedServer } from '../helpers/anthropic-server.js';
import { REPO_ROOT } from '../helpers/hook-cli.js';
import { runCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';

const exec = promisify(execFile);
const CLAUDE = path.join(
  REPO_ROOT,
  'node_modules/.cache/claude-code-2.1.330/node_modules/@anthropic-ai/claude-code/bin/claude.exe',
);
const have = existsSync(CLAUDE);

let server: ScriptedServer;
let p: Project;
let wt: string;
beforeAll(async () => {
  if (!have) return;
  server = await startScriptedServer(text('all done'));
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
  mkdirSync(path.join(wt, '.claude'), { recursive: true });
  const mine = path.join(p.root, 'user-hook.log');
  writeFileSync(
    path.join(wt, '.claude', 'settings.local.json'),
    JSON.stringify({
      hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: `echo user >> '${mine}'` }] }] },
    }),
  );
  const r = await runCli(['hooks', 'install', '--lane', 'a', '--config', p.config]);
  expect(r.code).toBe(0);
});
afterAll(async () => {
  if (have) await server.close();
  cleanupProjects();
});

async function claudeP(prompt: string): Promise<{ code: number; out: Record<string, unknown> }> {
  const home = path.join(p.root, 'home');
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ANTHROPIC_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'test',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '0',
  };
  const r = await exec(CLAUDE, ['-p', prompt, '--output-format', 'json'], {
    cwd: wt,
    env,
    timeout: 30_000,
  }).then(
    (x) => ({ code: 0, stdout: x.stdout }),
    (e: { code?: number; stdout?: string }) => ({
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
    }),
  );
  return { code: r.code, out: JSON.parse(r.stdout) as Record<string, unknown> };
}

async function snapshot(): Promise<{
  agent: { status: string };
  blockers: { failureClass: string }[];
}> {
  const r = await runCli(['--json', '--config', p.config]);
  const snap = JSON.parse(r.stdout) as {
    lanes: { agent: { status: string }; blockers: { failureClass: string }[] }[];
  };
  const lane = snap.lanes[0];
  if (!lane) throw new Error('no lane in the snapshot');
  return lane;
}

describe.skipIf(!have)('real Claude Code 2.1.330, headless', () => {
  it('a full turn is recorded: finished, no blockers; the user hook fires too', async () => {
    const r = await claudeP('say hi');
    expect(r.out.terminal_reason).toBe('completed');
    const lines = readFileSync(path.join(p.bridge('a'), 'hook-events.jsonl'), 'utf8');
    for (const e of ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'])
      expect(lines).toContain(`"hook_event_name":"${e}"`);
    const s = await snapshot();
    expect(s.agent.status).toBe('finished');
    expect(s.blockers).toEqual([]);
    expect(readFileSync(path.join(p.root, 'user-hook.log'), 'utf8')).toContain('user');
  });
});
