import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { captureCommand } from '../../src/cli/hooks/capture.js';
import { mergeHooks, removeHooks } from '../../src/cli/hooks/merge.js';
import { settingsText } from '../../src/cli/hooks/settings-text.js';
import { runCli, waitFor } from '../helpers/e2e-cli.js';
import { cleanupProjects, git, makeProject, type Project } from '../helpers/e2e-project.js';

const exec = promisify(execFile);
afterAll(cleanupProjects);

function project(): { p: Project; wt: string } {
  const p = makeProject();
  const wt = p.addLane('a', 'lane/a');
  p.addLane('b', 'lane/b');
  p.writeConfig(
    ['version: 1', 'defaults:', '  repo: repo', '  base: main', 'lanes:']
      .concat(
        ['a', 'b'].flatMap((id) => [
          `  - id: ${id}`,
          `    worktree: wt/${id}`,
          `    branch: lane/${id}`,
        ]),
      )
      .join('\n'),
  );
  return { p, wt };
}

type Settings = {
  hooks: Record<string, { matcher?: string; hooks: { command: string; timeout: number }[] }[]>;
};
const read = (f: string): Settings => JSON.parse(readFileSync(f, 'utf8')) as Settings;

describe('laneboard hooks install / uninstall / status (claude)', () => {
  it('merges with a user hook, is idempotent, keeps the worktree clean, and uninstall removes only ours', async () => {
    const { p, wt } = project();
    const file = path.join(wt, '.claude', 'settings.local.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const user = { type: 'command', command: 'echo mine >> /tmp/never', timeout: 5 };
    writeFileSync(file, JSON.stringify({ model: 'x', hooks: { Stop: [{ hooks: [user] }] } }));

    const dry = await runCli(['hooks', 'install', '--lane', 'a', '--config', p.config]);
    expect(dry.code).toBe(0);
    const dry2 = await runCli([
      'hooks',
      'install',
      '--lane',
      'a',
      '--dry-run',
      '--config',
      p.config,
    ]);
    expect(dry2.stdout).toContain('already up to date');

    const s = read(file);
    expect((s as unknown as { model: string }).model).toBe('x');
    expect(s.hooks.Stop?.[0]?.hooks).toEqual([user]);
    expect(s.hooks.Stop?.[1]?.hooks[0]?.command).toMatch(
      /laneboard\.js' hook --config .* --lane 'a'$/,
    );
    expect(s.hooks.StopFailure?.[0]?.hooks[0]?.command).toContain('laneboard-capture');
    expect(s.hooks.PreToolUse?.[0]?.matcher).toBe('*');
    expect(git(wt, 'status', '--porcelain')).toBe('');
    expect(existsSync(p.bridge('a'))).toBe(true);

    const st = await runCli(['hooks', 'status', '--config', p.config]);
    expect(st.stdout).toMatch(/^a\tclaude\tinstalled\t.*no hook event yet$/m);
    expect(st.stdout).toMatch(/^b\tclaude\tnot installed\t/m);

    const un = await runCli(['hooks', 'uninstall', '--all', '--config', p.config]);
    expect(un.code).toBe(0);
    expect(read(file)).toEqual({ model: 'x', hooks: { Stop: [{ hooks: [user] }] } });
  });

  it('uninstall removes a settings file it created once nothing else is in it; a user file comes back byte for byte', async () => {
    const { p, wt } = project();
    const wtB = path.join(p.root, 'wt', 'b');
    const mine = path.join(wt, '.claude', 'settings.local.json');
    const made = path.join(wtB, '.claude', 'settings.local.json');
    const gemini = path.join(wt, '.gemini', 'settings.json');
    mkdirSync(path.dirname(mine), { recursive: true });
    mkdirSync(path.dirname(gemini), { recursive: true });
    // The user's own layouts: tabs and a one-line array; an empty object.
    const text = '{\n\t"model": "x",\n\t"permissions": { "allow": ["Bash(npm test)"] }\n}';
    writeFileSync(mine, text);
    writeFileSync(gemini, '{}\n');
    const cli = (...args: string[]) => runCli(['hooks', ...args, '--config', p.config]);

    expect((await cli('install', '--all')).code).toBe(0);
    expect((await cli('install', '--agent', 'gemini', '--lane', 'a')).code).toBe(0);
    expect(read(made).hooks.Stop).toHaveLength(1);
    expect(read(mine).hooks.Stop).toHaveLength(1);
    expect(readFileSync(mine, 'utf8')).toContain(
      '\t"permissions": { "allow": ["Bash(npm test)"] },\n',
    );

    const un = await cli('uninstall', '--all');
    expect(un.code).toBe(0);
    expect(un.stdout).toContain(`${made}: removed (laneboard created it; nothing else was in it)`);
    expect(readFileSync(mine, 'utf8')).toBe(text);
    expect(existsSync(made)).toBe(false);
    expect(existsSync(path.dirname(made))).toBe(false);
    expect((await cli('uninstall', '--agent', 'gemini', '--lane', 'a')).code).toBe(0);
    expect(readFileSync(gemini, 'utf8')).toBe('{}\n');
    expect(git(wtB, 'status', '--porcelain')).toBe('');

    // A created file the user has since put a key into keeps that key.
    expect((await cli('install', '--lane', 'b')).code).toBe(0);
    writeFileSync(made, JSON.stringify({ ...read(made), model: 'y' }, null, 2));
    expect((await cli('uninstall', '--lane', 'b')).code).toBe(0);
    expect(JSON.parse(readFileSync(made, 'utf8'))).toEqual({ model: 'y' });
  });

  it('refuses to touch a settings file that is not JSON, exit 1; no lane chosen is exit 2', async () => {
    const { p, wt } = project();
    const file = path.join(wt, '.claude', 'settings.local.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{ not json');
    const r = await runCli(['hooks', 'install', '--all', '--config', p.config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
    expect(
      read(path.join(p.root, 'wt', 'b', '.claude', 'settings.local.json')).hooks.Stop,
    ).toHaveLength(1);
    const u = await runCli(['hooks', 'install', '--config', p.config]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--lane <id>');
  });

  it('gemini: .gemini/settings.json with ms timeouts; codex: $CODEX_HOME/hooks.json and the trust step', async () => {
    const { p, wt } = project();
    expect(
      (await runCli(['hooks', 'install', '--agent', 'gemini', '--lane', 'a', '--config', p.config]))
        .code,
    ).toBe(0);
    const g = read(path.join(wt, '.gemini', 'settings.json'));
    expect(Object.keys(g.hooks)).toContain('BeforeTool');
    expect(g.hooks.AfterAgent?.[0]?.hooks[0]?.timeout).toBe(10_000);
    const codexHome = path.join(p.root, 'codex-home');
    const c = await runCli(
      ['hooks', 'install', '--agent', 'codex', '--all', '--config', p.config],
      {
        env: { CODEX_HOME: codexHome },
      },
    );
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('trust');
    const h = read(path.join(codexHome, 'hooks.json'));
    expect(h.hooks.Interrupt?.[0]?.hooks[0]?.command).toMatch(/hook --config '.*lanes\.yaml'$/);
  });
});

describe('settings text: install then uninstall gives the file back byte for byte', () => {
  const wanted = {
    Stop: {
      hooks: [{ type: 'command' as const, command: "'node' 'laneboard.js' hook", timeout: 10 }],
    },
    PreToolUse: {
      matcher: '*',
      hooks: [{ type: 'command' as const, command: 'x laneboard-capture', timeout: 10 }],
    },
  };
  const user = '{"type":"command","command":"mine","timeout":5}';
  it.each([
    ['one line', '{"model":"x"}'],
    ['empty object', '{}\n'],
    ['two spaces', '{\n  "model": "x"\n}\n'],
    ['tabs, one-line array', '{\n\t"model": "x",\n\t"n": [1, 2]\n}'],
    ['CRLF, four spaces', '{\r\n    "model": "x"\r\n}\r\n'],
    ['a user hook, compact', `{"hooks":{"Stop":[{"hooks":[${user}]}]},"model":"x"}`],
    [
      'a user hook on one line',
      `{\n  "hooks": {\n    "Stop": [{ "hooks": [${user}] }]\n  },\n  "env": {}\n}\n`,
    ],
  ])('%s', (_name, text) => {
    const doc = JSON.parse(text) as unknown;
    const merged = mergeHooks(doc, wanted).doc;
    const installed = settingsText(text, doc, merged);
    expect(JSON.parse(installed)).toEqual(merged);
    const back = JSON.parse(installed) as unknown;
    expect(settingsText(installed, back, removeHooks(back).doc)).toBe(text);
  });
});

describe('capture command', () => {
  it('appends one line per payload; 40 concurrent large payloads never tear a line', async () => {
    const { p } = project();
    const file = path.join(p.bridge('a'), 'hook-events.jsonl');
    const cmd = captureCommand(file);
    const payload = (i: number): string =>
      `${JSON.stringify({ hook_event_name: 'PostToolUse', i, tool_response: 'x'.repeat(20_000 + i), nl: 'a\nb' })}\n`;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const child = exec('sh', ['-c', cmd]);
        child.child.stdin?.end(payload(i));
        return child;
      }),
    );
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(40);
    const seen = lines.map(
      (l) => JSON.parse(l) as { received_at: string; payload: { i: number; nl: string } },
    );
    expect(seen.map((s) => s.payload.i).sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
    expect(
      seen.every((s) => s.payload.nl === 'a\nb' && /^\d{4}-\d\d-\d\dT.*Z$/.test(s.received_at)),
    ).toBe(true);
  });
  it('survives a SIGTERM to its process group mid-read (Claude Code teardown) and still appends', async () => {
    const { p } = project();
    const file = path.join(p.bridge('a'), 'hook-events.jsonl');
    // Like Claude Code: `/bin/sh -c <command>` in its own process group, payload on stdin.
    const child = spawn('/bin/sh', ['-c', captureCommand(file)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const pgid = child.pid ?? 0;
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // Once `tr` is reading stdin, the traps are set: SIGTERM the whole group as the client does.
    const inGroup = (comm: string): boolean =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .some((d) => {
          try {
            const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
            const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            return stat.includes(`(${comm})`) && Number(rest[2]) === pgid;
          } catch {
            return false;
          }
        });
    await waitFor(() => inGroup('tr'), 'the capture reading stdin');
    process.kill(-pgid, 'SIGTERM');
    child.stdin?.end(
      `${JSON.stringify({ hook_event_name: 'StopFailure', error: 'rate_limit' })}\n`,
    );
    await exited;
    const line = JSON.parse(readFileSync(file, 'utf8')) as { payload: { error: string } };
    expect(line.payload.error).toBe('rate_limit');
  });
});
