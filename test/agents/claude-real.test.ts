/**
 * The real Claude Code client (npm @anthropic-ai/claude-code, pinned in
 * test/helpers/claude-client.ts, installed by that helper into node_modules/.cache when
 * missing) in headless `-p` mode against scripted Messages API servers on loopback, with
 * the hooks set up by `laneboard hooks install` into settings files that already hold a
 * user's own hook. Skipped (loudly) only when the npm registry is unreachable.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rateLimited,
  startScriptedServer,
  text,
  type ScriptedServer,
} from '../helpers/anthropic-server.js';
import { ensureClaudeClient, runClaudeP } from '../helpers/claude-client.js';
import { runCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';

const client = await ensureClaudeClient();

/** 429 runs, and how many run at once (each client start costs ~1 s of CPU). */
const RUNS = 20;
const BATCH = 5;
const rl = Array.from({ length: RUNS }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);

let ok: ScriptedServer;
let limited: ScriptedServer;
let p: Project;
const wt: Record<string, string> = {};

beforeAll(async () => {
  if (client.bin === null) return;
  ok = await startScriptedServer(text('all done'));
  limited = await startScriptedServer(rateLimited());
  p = makeProject();
  const ids = ['a', 'lost', ...rl];
  for (const id of ids) {
    wt[id] = p.addLane(id, `lane/${id}`);
    // The user's own hook, on an event laneboard captures too: both must fire.
    mkdirSync(path.join(wt[id], '.claude'), { recursive: true });
    const mine = path.join(p.root, `user-hook-${id}.log`);
    writeFileSync(
      path.join(wt[id], '.claude', 'settings.local.json'),
      JSON.stringify({
        hooks: {
          SessionEnd: [{ hooks: [{ type: 'command', command: `echo user >> '${mine}'` }] }],
        },
      }),
    );
  }
  p.writeConfig(
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      'lanes:',
      ...ids.flatMap((id) => [`  - id: ${id}`, `    worktree: wt/${id}`, `    branch: lane/${id}`]),
    ].join('\n'),
  );
  const r = await runCli(['hooks', 'install', '--all', '--config', p.config]);
  expect(r.code, r.stderr).toBe(0);
  // Lane "lost": as if the client had killed the StopFailure hook — no capture at all.
  const f = path.join(wt.lost ?? '', '.claude', 'settings.local.json');
  const doc = JSON.parse(readFileSync(f, 'utf8')) as { hooks: Record<string, unknown> };
  delete doc.hooks.StopFailure;
  writeFileSync(f, JSON.stringify(doc));
}, 120_000);

afterAll(async () => {
  if (client.bin === null) return;
  await ok.close();
  await limited.close();
  cleanupProjects();
});

/** `claude -p <prompt> --output-format json` in lane `id`'s worktree against `server`. */
const claudeP = (id: string, server: ScriptedServer, prompt: string) =>
  runClaudeP(
    client.bin ?? '',
    wt[id] ?? '',
    path.join(p.root, `home-${id}`),
    server.url,
    prompt,
    60_000,
  );

interface LaneView {
  id: string;
  agent: { status: string };
  blockers: { failureClass: string }[];
}

async function snapshot(): Promise<Map<string, LaneView>> {
  const r = await runCli(['--json', '--config', p.config], { timeoutMs: 30_000 });
  const snap = JSON.parse(r.stdout) as { lanes: LaneView[] };
  return new Map(snap.lanes.map((l) => [l.id, l]));
}

const hookLines = (id: string): string =>
  readFileSync(path.join(p.bridge(id), 'hook-events.jsonl'), 'utf8');

describe.skipIf(client.bin === null)('real Claude Code, headless (-p)', () => {
  it('a full turn is recorded: finished, no blockers; the user hook fires too', async () => {
    const r = await claudeP('a', ok, 'say hi');
    expect(r.code).toBe(0);
    expect(r.out.terminal_reason).toBe('completed');
    const lines = hookLines('a');
    for (const e of ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'])
      expect(lines).toContain(`"hook_event_name":"${e}"`);
    const s = (await snapshot()).get('a');
    expect(s?.agent.status).toBe('finished');
    expect(s?.blockers).toEqual([]);
    expect(readFileSync(path.join(p.root, 'user-hook-a.log'), 'utf8')).toContain('user');
  }, 60_000);

  it(`a 429 is recorded as rate_limit in ${RUNS} of ${RUNS} runs; a later successful run clears it`, async () => {
    for (let i = 0; i < rl.length; i += BATCH) {
      const results = await Promise.all(
        rl.slice(i, i + BATCH).map((id) => claudeP(id, limited, 'hi')),
      );
      for (const r of results) {
        expect(r.code).toBe(1);
        expect(r.out.api_error_status).toBe(429);
      }
    }
    const lost = rl.filter((id) => !/"hook_event_name":"StopFailure"/.test(hookLines(id)));
    expect(lost, 'runs whose StopFailure capture was lost').toEqual([]);
    const snap = await snapshot();
    const wrong = rl
      .map((id) => snap.get(id))
      .filter(
        (l) =>
          !l ||
          l.agent.status !== 'blocked' ||
          !l.blockers.some((b) => b.failureClass === 'rate_limit'),
      );
    expect(wrong, 'lanes not parked as rate_limit').toEqual([]);
    // The captured StopFailure already reports the turn: the transcript adds no second line.
    expect(rl.filter((id) => hookLines(id).includes('"source":"transcript"'))).toEqual([]);
    for (const id of rl)
      expect(readFileSync(path.join(p.root, `user-hook-${id}.log`), 'utf8')).toContain('user');

    const again = await claudeP('r01', ok, 'try again');
    expect(again.code).toBe(0);
    const after = (await snapshot()).get('r01');
    expect(after?.agent.status).toBe('finished');
    expect(after?.blockers).toEqual([]);
  }, 240_000);

  it('a 429 whose StopFailure hook never ran is read from the transcript at SessionEnd', async () => {
    const r = await claudeP('lost', limited, 'hi');
    expect(r.code).toBe(1);
    const lines = hookLines('lost');
    expect(lines).toMatch(/"hook_event_name":"StopFailure"[^\n]*"source":"transcript"/);
    const s = (await snapshot()).get('lost');
    expect(s?.agent.status).toBe('blocked');
    expect(s?.blockers.map((b) => b.failureClass)).toContain('rate_limit');
  }, 60_000);
});
