/**
 * The real Gemini CLI (pinned, test/helpers/gemini-client.ts), interactive in tmux (own
 * socket), against a scripted Gemini API server on loopback, with the hooks from
 * `laneboard hooks install --agent gemini`: the prompt asks to run `touch gem.txt`; the
 * client's confirmation dialog fires its `Notification` hook (`notification_type:
 * "ToolPermission"`, `details.type: "exec"`) and the lane shows the permission blocker
 * naming the command; allowing it in the client's terminal runs the tool, and the turn's
 * `AfterAgent` leaves the lane idle with the model's answer. Every captured line parses
 * (Gemini CLI expands `$name` / `${…}` in its settings strings: the capture command must
 * survive that). Skipped without tmux, or (loudly) when the npm registry is unreachable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureGeminiClient, geminiEnv } from '../helpers/gemini-client.js';
import { startGeminiServer, type Part } from '../helpers/gemini-server.js';
import { runCli, waitFor } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject } from '../helpers/e2e-project.js';
import { hasTmux, killTmuxClient } from '../helpers/e2e-tmux.js';

const client = hasTmux() ? await ensureGeminiClient() : { bin: null, skip: 'no tmux' };
const socket = `gemini-lb-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const pane = (): string => {
  try {
    return tmux('capture-pane', '-p', '-t', 'gm');
  } catch {
    return '';
  }
};

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // not started
  }
  cleanupProjects();
});

interface JsonLane {
  agent: { status: string | null; notes: Record<string, string> };
  blockers: { failureClass: string; detail: string; source: { via?: string } | null }[];
  problems: string[];
}

describe.skipIf(client.bin === null)('real Gemini CLI, interactive in tmux', () => {
  it('ToolPermission → permission blocker with the command; allowed → the tool runs, idle with the answer', async () => {
    const server = await startGeminiServer((body): Part[] => {
      const contents = Array.isArray(body?.contents) ? body.contents : [];
      const last = JSON.stringify(contents[contents.length - 1] ?? null);
      if (last.includes('functionResponse')) return [{ text: 'made it' }];
      if (last.includes('make the file'))
        return [
          {
            functionCall: {
              name: 'run_shell_command',
              args: { command: 'touch gem.txt', description: 'make the file' },
            },
          },
        ];
      return [{ text: 'hello' }];
    });
    try {
      const p = makeProject();
      const wt = p.addLane('g', 'lane/g');
      p.writeConfig(
        [
          'version: 1',
          'defaults: { repo: repo, base: main }',
          'lanes:',
          '  - { id: g, worktree: wt/g, branch: lane/g }',
        ].join('\n'),
      );
      const inst = await runCli([
        'hooks',
        'install',
        '--agent',
        'gemini',
        '--all',
        '--config',
        p.config,
      ]);
      expect(inst.code, inst.stderr).toBe(0);
      const env = geminiEnv(path.join(p.root, 'home'), server.url);
      const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v ?? ''}`]);
      tmux(
        'new-session',
        '-d',
        '-s',
        'gm',
        '-x',
        '120',
        '-y',
        '40',
        '-c',
        wt,
        ...envArgs,
        process.execPath,
        client.bin ?? '',
        '-i',
        'make the file',
      );
      const lane = async (): Promise<JsonLane> => {
        const r = await runCli(['--json', '--config', p.config]);
        return (JSON.parse(r.stdout) as { lanes: JsonLane[] }).lanes[0]!;
      };
      const opts = { timeoutMs: 60_000, intervalMs: 200, detail: pane };

      const asked = await waitFor(
        async () => (await lane()).blockers.find((b) => b.failureClass === 'permission'),
        'the permission blocker',
        opts,
      );
      expect(asked.detail).toBe('permission requested: Confirm Shell Command: touch gem.txt');
      expect(asked.source?.via).toBe('hook');
      // The Notification hook runs before Gemini draws its dialog: await the prompt.
      await waitFor(
        () => /Allow execution of \[Shell\]\?/.test(pane()),
        'the Allow execution prompt in the pane',
        opts,
      );
      expect(existsSync(path.join(wt, 'gem.txt'))).toBe(false);

      tmux('send-keys', '-t', 'gm', 'Enter'); // "1. Allow once"
      const done = await waitFor(
        async () => {
          const l = await lane();
          return l.agent.status === 'idle' ? l : null;
        },
        'the lane idle after the turn',
        opts,
      );
      expect(existsSync(path.join(wt, 'gem.txt'))).toBe(true);
      expect(done.blockers).toEqual([]);
      expect(done.agent.notes.lastMessage).toBe('made it');
      expect(done.problems).toEqual([]);
      // Every hook line carries its payload (none recorded as null).
      const lines = readFileSync(path.join(p.bridge('g'), 'hook-events.jsonl'), 'utf8');
      const names = lines
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const o = JSON.parse(l) as { payload?: { hook_event_name?: string } | null };
          return o.payload === undefined ? 'flat' : (o.payload?.hook_event_name ?? 'null');
        });
      expect(names).not.toContain('null');
      for (const h of ['SessionStart', 'BeforeAgent', 'BeforeTool', 'Notification', 'AfterTool'])
        expect(names).toContain(h);
    } finally {
      await killTmuxClient(tmux, 'gm');
      await server.close();
    }
  }, 120_000);
});
