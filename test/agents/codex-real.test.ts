/**
 * The real Codex CLI (npm @openai/codex, pinned in test/helpers/codex-client.ts, installed
 * into node_modules/.cache on first use) in `codex exec` against a scripted Responses API
 * server on loopback, with hooks from `laneboard hooks install --agent codex` in a private
 * CODEX_HOME, trusted the way a user does it in `/hooks` (through the app-server calls that
 * screen makes). Covers a full turn with a tool call, a 429 read from the rollout's
 * `task_complete.error` (rate_limit, also after the SessionEnd) cleared by a later
 * successful run, steering delivered by the Stop hook, and `notify` with its argv payload.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codexArgs, ensureCodexClient, type CodexClient } from '../helpers/codex-client.js';
import { codexProject } from '../helpers/codex-tmux.js';
import { laneboardBin, runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import {
  rateLimited,
  say,
  shell,
  startResponsesServer,
  type ResponsesServer,
} from '../helpers/responses-server.js';

let client: CodexClient = { bin: null, skip: 'not set up' };
let server: ResponsesServer;
let p: Project;
let wt: string;
let env: NodeJS.ProcessEnv;
const serving: RunningCli[] = [];

beforeAll(async () => {
  client = await ensureCodexClient();
  if (client.bin === null) return;
  server = await startResponsesServer(say('done'));
  const made = await codexProject(client.bin);
  ({ p, wt, env } = made);
  expect(made.install.stdout + made.install.stderr).toMatch(/trust/i);
  const trusted = made.trusted;
  expect(trusted.sort()).toEqual(
    [
      'permissionRequest',
      'postToolUse',
      'preToolUse',
      'sessionEnd',
      'sessionStart',
      'stop',
      'interrupt',
      'userPromptSubmit',
    ].sort(),
  );
}, 600_000);

// A test that failed half-way must not leave its 429 answer to the next one.
beforeEach(() => {
  if (client.bin !== null) server.setFallback(say('done'));
});

afterAll(async () => {
  for (const s of serving) s.kill();
  if (client.bin !== null) await server.close();
  cleanupProjects();
});

/** Run `codex exec <prompt>` in the lane's worktree (stdin closed); resolves its exit code and output. */
function codexExec(
  prompt: string,
  extra: readonly string[] = [],
): Promise<{ code: number; out: string }> {
  const bin = client.bin ?? '';
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, 'exec', ...codexArgs(server.url), ...extra, prompt],
      {
        cwd: wt,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

interface LaneView {
  agent: { status: string; phase: string | null } | null;
  blockers: { failureClass: string; detail: string }[];
}

async function lane(): Promise<LaneView> {
  const r = await runCli(['--json', '--config', p.config]);
  const snap = JSON.parse(r.stdout) as { lanes: LaneView[] };
  const l = snap.lanes[0];
  if (!l) throw new Error('no lane in the snapshot');
  return l;
}

const hookLines = (): Record<string, unknown>[] =>
  readFileSync(path.join(p.bridge('a'), 'hook-events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(process.env.LANEBOARD_SKIP_REAL_CODEX === '1')('real Codex CLI, headless', () => {
  it('a full turn with a tool call: hooks recorded, finished, no blockers', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    server.push(shell('ls'), say('all done'));
    const r = await codexExec('list the files');
    expect(r.code, r.out).toBe(0);
    const names = hookLines().map((l) => l.hook_event_name);
    for (const e of [
      'SessionStart',
      'UserPromptSubmit',
      'PreToolUse',
      'PostToolUse',
      'Stop',
      'SessionEnd',
    ])
      expect(names).toContain(e);
    const pre = hookLines().find((l) => l.hook_event_name === 'PreToolUse');
    expect(pre).toMatchObject({ tool_name: 'Bash', tool_input: { command: 'ls' } });
    const s = await lane();
    expect(s.agent?.status).toBe('finished');
    expect(s.blockers).toEqual([]);
  });

  it('a 429 is read from the rollout: rate_limit after the SessionEnd; a later good run clears it', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    for (let i = 0; i < 3; i++) {
      server.setFallback(rateLimited());
      const r = await codexExec('try');
      server.setFallback(say('done'));
      expect(r.out).toMatch(/429/);
      const s = await lane();
      expect(s.agent?.status, JSON.stringify(s)).toBe('blocked');
      const b = s.blockers.find((x) => x.failureClass === 'rate_limit');
      expect(b?.detail).toMatch(/429/);
      server.push(say('fine now'));
      const ok = await codexExec('again');
      expect(ok.code, ok.out).toBe(0);
      const after = await lane();
      expect(after.agent?.status).toBe('finished');
      expect(after.blockers).toEqual([]);
    }
    const failures = hookLines().filter((l) => l.event === 'lane.blocked');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({
      failureClass: 'rate_limit',
      data: { source: 'codex rollout task_complete.error', httpStatus: 429 },
    });
    // Six real runs, three of them through Codex's own retry backoff: slow on a loaded machine.
  }, 180_000);

  it('steering from laneboard steer is delivered by the Stop hook and the turn goes on', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    const s = startCli(['serve', '--config', p.config], { cwd: p.root });
    serving.push(s);
    await waitFor(
      async () => (await runCli(['status', '--json', '--config', p.config])).code === 0,
      'serve to answer',
      { timeoutMs: 20_000, intervalMs: 200, detail: () => s.stderr() },
    );
    const steer = await runCli(['steer', 'a', 'also', 'say', 'bye', '--config', p.config]);
    expect(steer.code, steer.stderr).toBe(0);
    const before = server.requests.length;
    server.push(say('first answer'), say('bye'));
    const r = await codexExec('say hi');
    expect(r.code, r.out).toBe(0);
    const later = server.requests.slice(before).map((q) => JSON.stringify(q.body));
    expect(later).toHaveLength(2);
    expect(later[1]).toContain('also say bye');
    expect(hookLines().some((l) => l.event === 'steer.acknowledged')).toBe(true);
    s.child.kill('SIGTERM');
    await s.exited;
  });

  it('notify: the argv payload is recorded and folds like Stop', async (t) => {
    if (client.bin === null) return t.skip(client.skip);
    const node = JSON.stringify(process.execPath);
    const notify = `notify=[${node}, ${JSON.stringify(laneboardBin())}, "hook", "--config", ${JSON.stringify(p.config)}]`;
    server.push(say('notified'));
    const r = await codexExec('ping', ['-c', notify]);
    expect(r.code, r.out).toBe(0);
    const n = await waitFor(
      () => hookLines().find((l) => l.hook_event_name === 'CodexNotify'),
      'the notify line',
    );
    expect(n).toMatchObject({
      notify_type: 'agent-turn-complete',
      last_assistant_message: 'notified',
      notify: { type: 'agent-turn-complete', client: 'codex_exec' },
    });
    const s = await lane();
    expect(s.blockers).toEqual([]);
  });
});
