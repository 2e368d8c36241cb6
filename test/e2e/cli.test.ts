/**
 * The CLI surface end to end (the built `bin/laneboard.js` as a child process): --help,
 * --version, bad and missing lanes.yaml, unknown options, --watch without --json, the
 * board refusing a non-TTY stdout (without starting workers), and the `--json --watch`
 * NDJSON stream reacting to a bridge file change and exiting 0 on SIGINT.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  laneboardInstall,
  runCli,
  startCli,
  waitFor,
  type RunningCli,
} from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, tempRoot, type Project } from '../helpers/e2e-project.js';
import { loadSnapshotValidator, type SnapshotValidator } from '../helpers/e2e-schema.js';
import { exitCodesHelp } from '../../src/cli/commands/help.js';

let validate: SnapshotValidator;
const running: RunningCli[] = [];
beforeAll(() => {
  validate = loadSnapshotValidator(path.join(laneboardInstall(), 'schema', 'snapshot.schema.json'));
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.kill();
    await r.exited;
  }
  cleanupProjects();
});

/** A project with one observe-only lane `obs` and, when `marker` is given, a lane whose worker would create it. */
function simpleProject(marker?: string): Project {
  const p = makeProject(1);
  p.addLane('obs', 'lane/obs', { ahead: 1 });
  const lines = [
    'version: 1',
    'defaults: { repo: repo }',
    'lanes:',
    '  - id: obs',
    '    worktree: wt/obs',
    '    branch: lane/obs',
  ];
  if (marker !== undefined) {
    p.addLane('cmd', 'lane/cmd');
    lines.push(
      '  - id: cmd',
      '    worktree: wt/cmd',
      '    branch: lane/cmd',
      `    command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`)}]`,
    );
  }
  p.writeConfig(`${lines.join('\n')}\n`);
  return p;
}

describe('laneboard CLI surface', () => {
  it('--help exits 0 and documents --json, --config and the keys', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('--config');
    expect(r.stdout).toContain('--watch');
    expect(r.stdout).toMatch(/Keys/);
    // What a user runs comes first; the commands agent hooks run (hook, crew-steer) last.
    const at = (name: string): number => r.stdout.indexOf(`\n  ${name} `);
    expect(at('serve')).toBeGreaterThan(0);
    expect(at('hooks')).toBeGreaterThan(at('serve'));
    expect(at('hook')).toBeGreaterThan(at('hooks'));
    expect(at('crew-steer')).toBeGreaterThan(at('hooks'));
    for (const key of [
      'r restart',
      's steer',
      'x stop',
      'm mute',
      'o sort',
      'q/Ctrl-C quit',
      '? help',
    ]) {
      expect(r.stdout).toContain(key);
    }
  });

  it('a mistyped command is named as such (exit 2, nearest command); help [command [subcommand]] prints help', async () => {
    const typo = await runCli(['statsu']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("laneboard: unknown command 'statsu' (did you mean status?)");
    expect(typo.stderr).not.toContain('too many arguments');
    const help = await runCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: laneboard [options] [command]');
    expect(help.stdout).toContain('Exit codes:');
    const steer = await runCli(['help', 'steer']);
    expect(steer.stdout).toContain('Usage: laneboard steer [options] <lane> <message...>');
    // A subcommand's own help, not its parent's; an unknown last word stops at the parent.
    const install = await runCli(['help', 'hooks', 'install']);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('Usage: laneboard hooks install [options]');
    const hooks = await runCli(['help', 'hooks', 'nosuch']);
    expect(hooks.stdout).toContain('Usage: laneboard hooks [options] [command]');
  });

  it("every command's --help lists only the global options it takes and ends with the README's exit-code table", async () => {
    const table = exitCodesHelp().trim();
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(table);
    /** Command names listed under "Commands:" in a help text (without `help`). */
    const commandsOf = (help: string): string[] =>
      Array.from(
        (help.split('\nCommands:\n')[1] ?? '').split('\n\n')[0]?.matchAll(/^ {2}([a-z][\w-]*)/gm) ??
          [],
        (m) => m[1] ?? '',
      ).filter((n) => n !== 'help');
    /** The flags under "Global Options:" (none: the section is absent). */
    const globalsOf = (help: string): string[] =>
      Array.from(
        (help.split('\nGlobal Options:\n')[1] ?? '')
          .split('\n\n')[0]
          ?.matchAll(/^ {2}(-[^ ]+(?: [^ ]+)*?)(?= {2})/gm) ?? [],
        (m) => m[1] ?? '',
      );
    const root = await runCli(['--help']);
    const hooks = commandsOf((await runCli(['hooks', '--help'])).stdout);
    expect(hooks).toEqual(['install', 'uninstall', 'status']);
    const all = [[], ...commandsOf(root.stdout).map((c) => [c]), ...hooks.map((h) => ['hooks', h])];
    expect(all.length).toBeGreaterThan(18);
    const helps: Awaited<ReturnType<typeof runCli>>[] = [];
    // Four at a time: the machine runs other tests beside.
    for (let i = 0; i < all.length; i += 4)
      helps.push(...(await Promise.all(all.slice(i, i + 4).map((c) => runCli([...c, '--help'])))));
    const globals: Record<string, string[]> = {};
    all.forEach((c, i) => {
      const r = helps[i];
      expect(r?.code, c.join(' ')).toBe(0);
      expect(r?.stdout.trimEnd().endsWith(table), c.join(' ')).toBe(true);
      globals[c.join(' ')] = globalsOf(r?.stdout ?? '');
    });
    const config = '-c, --config <path>';
    const fleet = ['--nats <url>', '--host <name>', '--creds <file>'];
    expect(globals.restart).toEqual([config, ...fleet]);
    expect(globals.steer).toEqual([config, ...fleet]);
    expect(globals.serve).toEqual([config, '--no-autostart', ...fleet]);
    for (const c of ['status', 'why', 'approve', 'init', 'add', 'remove', 'hook'])
      expect(globals[c], c).toEqual([config]);
    for (const c of ['crew-steer', 'hooks', 'hooks install', 'hooks status', ''])
      expect(globals[c], c).toEqual([]);
  }, 90_000);

  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(laneboardInstall(), 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('a bad lanes.yaml exits 2 with file:line:col: and the key for each problem', async () => {
    const p = makeProject(1);
    p.writeConfig(
      [
        'version: 1',
        'lanes:',
        '  - id: a',
        '    repo: repo',
        '    worktree: wt/a',
        '    branch: lane/a',
        '    restart: sometimes',
        '    comand: [agent]',
        '',
      ].join('\n'),
    );
    for (const mode of [['--json'], []]) {
      const r = await runCli([...mode, '--config', p.config], { cwd: p.root });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /lanes\.yaml:7:\d+: lanes\[0\]\.restart: .*never \| on-failure \| always/,
      );
      expect(r.stderr).toMatch(/lanes\.yaml:8:\d+: .*comand.*did you mean "command"/);
    }
  });

  it('a YAML syntax error exits 2 with its position', async () => {
    const dir = tempRoot();
    const file = path.join(dir, 'lanes.yaml');
    writeFileSync(file, 'lanes: [\n  - id: a\n');
    const r = await runCli(['--json', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lanes\.yaml:\d+:\d+: /);
  });

  it('a missing config file exits 2 with a clear message naming it', async () => {
    const dir = tempRoot();
    const r = await runCli(['--json', '--config', path.join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nope.yaml');
    expect(r.stderr).toMatch(/not found|no such file|does not exist/i);
    // The default ./lanes.yaml, absent from a cwd outside any repository (no zero-config
    // discovery possible): exit 2 naming the missing file and both ways forward.
    const d = await runCli(['--json'], { cwd: dir });
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/no lanes\.yaml in .*not inside a git repository/s);
  });

  it('an unknown option exits 2 and points to --help', async () => {
    const r = await runCli(['--jsno']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsno'");
    expect(r.stderr).toContain('--help');
  });

  it('--watch without --json exits 2', async () => {
    const p = simpleProject();
    const r = await runCli(['--watch', '--config', p.config], { cwd: p.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--watch needs --json');
  });

  it('the board with stdout not a TTY exits 2, hints at --json and starts no worker', async () => {
    const marker = path.join(tempRoot(), 'worker-ran.marker');
    const p = simpleProject(marker);
    const r = await runCli(['--config', p.config], { cwd: p.root });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/terminal|TTY/);
    expect(r.stderr).toContain('--json');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(p.root, '.laneboard', 'supervisor.json'))).toBe(false);
  });
});

describe('laneboard --json --watch', () => {
  it('streams schema-valid NDJSON lines, one more after a bridge file changes, and exits 0 on SIGINT', async () => {
    const p = simpleProject();
    p.writeDoc('obs', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'running',
      phase: 'phase one',
      updatedAt: new Date().toISOString(),
    });
    const cli = startCli(['--json', '--watch', '--config', p.config], { cwd: p.root });
    running.push(cli);
    const parse = (line: string): { lanes: { id: string; agent: { status: string | null } }[] } =>
      JSON.parse(line) as { lanes: { id: string; agent: { status: string | null } }[] };
    const statusOf = (line: string): string | null | undefined =>
      parse(line).lanes.find((l) => l.id === 'obs')?.agent.status;
    const detail = (): string => `stdout lines: ${cli.lines.length}\nstderr: ${cli.stderr()}`;

    await waitFor(() => cli.lines.some((l) => statusOf(l) === 'running'), 'a first snapshot line', {
      detail,
    });
    const before = cli.lines.length;
    p.writeDoc('obs', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'blocked',
      phase: 'phase two',
      updatedAt: new Date().toISOString(),
      blocker: { failureClass: 'permission', detail: 'may I run rm?', nextAction: 'answer it' },
    });
    await waitFor(
      () => cli.lines.slice(before).some((l) => statusOf(l) === 'blocked'),
      'a snapshot line showing the new state.json',
      { detail },
    );

    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.lines.length).toBeGreaterThanOrEqual(2);
    for (const [i, line] of cli.lines.entries()) {
      expect(line.startsWith('{'), `line ${i + 1} is one JSON object`).toBe(true);
      expect(validate(JSON.parse(line)), `line ${i + 1} validates`).toEqual([]);
    }
  });
});
