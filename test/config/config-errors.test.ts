import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssue, loadConfig, parseConfig } from '../../src/config/index.js';
import type { ConfigError } from '../../src/config/index.js';
import {
  cleanupTempDirs,
  expectConfigError,
  gitInit,
  makeTempDir,
  rejectsConfigError,
  writeFile,
} from '../helpers/config-fixtures.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  gitInit(path.join(dir, 'app'));
  file = path.join(dir, 'lanes.yaml');
});
afterEach(() => {
  cleanupTempDirs();
});

/** Issues of a failing parse as `line:column: path: message` (file omitted). */
function lines(err: ConfigError): string[] {
  return err.issues.map((i) => formatIssue(i, false).slice(file.length + 1));
}
function parseErr(text: string): string[] {
  return lines(expectConfigError(() => parseConfig(text, file)));
}
const lane = (extra = ''): string =>
  `  - id: a\n    repo: app\n    worktree: w\n    branch: b\n${extra}`;

describe('shape errors', () => {
  it('reports a wrong type with what was expected', () => {
    expect(parseErr(`lanes:\n${lane('    autostart: "yes"\n    env: [1]\n')}`)).toEqual([
      '6:16: lanes[0].autostart: expected true or false, got "yes"',
      '7:10: lanes[0].env: expected a map of environment variables, got a list',
    ]);
  });

  it('points a missing required key at the parent map', () => {
    expect(parseErr('lanes:\n  - id: a\n    repo: app\n    branch: b\n')).toEqual([
      '2:5: lanes[0]: missing required key "worktree"',
    ]);
    expect(parseErr('settings: {}\n')).toEqual(['1:1: missing required key "lanes"']);
    expect(parseErr('lanes:\n  - { id: a, worktree: w, branch: b }\n')).toEqual([
      '2:5: lanes[0]: missing required key "repo" (set it on the lane or under defaults)',
    ]);
  });

  it('rejects unknown keys at every level, with a did-you-mean when close', () => {
    const text = [
      'versoin: 1', // 1
      'settings:', // 2
      '  heartbeat: { warn: 1s, stal: 2s }', // 3
      '  zzz: 1', // 4
      'defaults:', // 5
      '  worktree: x', // 6
      '  requiredLevel: none', // 7
      'lanes:', // 8
      '  - id: a', // 9
      '    repo: app', // 10
      '    worktree: { path: w, craete: true }', // 11
      '    branch: b', // 12
      '    steer: { command: [x], mode: inbox }', // 13
    ].join('\n');
    expect(parseErr(text)).toEqual([
      '1:1: versoin: unknown key "versoin" (did you mean "version"?)',
      '3:26: settings.heartbeat.stal: unknown key "stal" (did you mean "stale"?)',
      '4:3: settings.zzz: unknown key "zzz"; expected one of heartbeat, backoff, crash_loop, stable_after, stop_grace, steer_timeout, log, orphans, max_bridge_file, git_timeout, diff_stats, worktree_setup, fleet, notify, on_timeout',
      '6:3: defaults.worktree: "worktree" is per-lane and cannot be set in defaults',
      '7:3: defaults.requiredLevel: unknown key "requiredLevel" (did you mean "required_level"?)',
      '11:26: lanes[0].worktree.craete: unknown key "craete" (did you mean "create"?)',
      '13:28: lanes[0].steer.mode: unknown key "mode"; expected one of command',
    ]);
  });

  it('requires steer.command to be a non-empty list of strings', () => {
    expect(parseErr(`lanes:\n${lane('    steer: { command: [] }\n')}`)).toEqual([
      '6:23: lanes[0].steer.command: expected a non-empty list of strings (argv, run without a shell), got an empty list',
    ]);
    expect(parseErr(`lanes:\n${lane('    steer: { command: "tmux send-keys" }\n')}`)).toEqual([
      '6:23: lanes[0].steer.command: expected a non-empty list of strings (argv, run without a shell), got "tmux send-keys"',
    ]);
    expect(parseErr(`lanes:\n${lane('    steer: { command: [tmux, [nested]] }\n')}`)).toHaveLength(
      1,
    );
    expect(parseErr(`lanes:\n${lane('    steer: sideways\n')}`)).toEqual([
      '6:12: lanes[0].steer: expected one of inbox | stdin, or a map { command: [...] }, got "sideways"',
    ]);
  });

  it('refuses an empty lanes list, and a top level that is not a map', () => {
    expect(parseErr('lanes: []\n')).toEqual([
      '1:8: lanes: expected a non-empty list of lanes, got an empty list',
    ]);
    expect(parseErr('lanes:\n')).toEqual([
      '1:7: lanes: expected a non-empty list of lanes, got an empty value',
    ]);
    expect(parseErr('')).toEqual(['1:1: the file is empty; expected a map with a "lanes" list']);
    expect(parseErr('- a\n- b\n')).toEqual([
      '1:1: the top level is not a map; expected a map with a "lanes" list',
    ]);
  });

  it('checks lane ids, branch names, durations, sizes and orderings', () => {
    const text = [
      'settings:', // 1
      '  heartbeat: { warn: 2m }', // 2
      '  stop_grace: 3 seconds', // 3
      '  log: { max_size: 0 }', // 4
      '  steer_timeout: 30d', // 5
      'lanes:', // 6
      '  - { id: "..", repo: app, worktree: w, branch: "--force" }', // 7
      '  - { id: "a b", repo: app, worktree: w2, branch: b, base: "-x" }', // 8
    ].join('\n');
    expect(parseErr(text)).toEqual([
      '3:15: settings.stop_grace: expected a duration (milliseconds, or a string like "500ms", "30s", "5m", "1h"; at most 24 days), got "3 seconds"',
      '4:20: settings.log.max_size: expected a size (bytes, or a string like "512KB", "5MB"), got 0',
      '5:18: settings.steer_timeout: expected a duration (milliseconds, or a string like "500ms", "30s", "5m", "1h"; at most 24 days), got "30d"',
      '7:11: lanes[0].id: expected a lane id: 1-64 characters from A-Z a-z 0-9 . _ - (not "." or ".."), got ".."',
      '7:49: lanes[0].branch: expected a git branch name (no spaces, no leading "-", none of ~ ^ : ? * [ \\ ..), got "--force"',
      '8:11: lanes[1].id: expected a lane id: 1-64 characters from A-Z a-z 0-9 . _ - (not "." or ".."), got "a b"',
      '8:60: lanes[1].base: expected a git ref (no spaces, no leading "-"), got "-x"',
    ]);
  });

  it('checks heartbeat and backoff orderings once the values themselves are valid', () => {
    const text =
      'settings:\n  heartbeat: { warn: 2m }\n  backoff: { initial: 5m, max: 1m }\nlanes:\n' +
      lane();
    expect(parseErr(text)).toEqual([
      '2:22: settings.heartbeat.warn: heartbeat warn (120000 ms) must not exceed stale (60000 ms)',
      '3:32: settings.backoff.max: backoff initial (300000 ms) must not exceed max (60000 ms)',
    ]);
  });

  it('collects issues from every lane and section in one error', () => {
    const text = `version: 2\nlanes:\n${lane('    restart: 1\n')}  - { id: b, repo: app, worktree: w2, branch: c, dialect: klingon }\n`;
    expect(parseErr(text)).toEqual([
      '1:10: version: expected 1 (the only config version this laneboard reads), got 2',
      '7:14: lanes[0].restart: expected one of never | on-failure | always, or a map { policy, on_rate_limit, resume_command, resume_message, probe, probe_max, jitter }, got 1',
      '8:59: lanes[1].dialect: expected one of auto | native | claw-code | live-bridge | claude-hooks, got "klingon"',
    ]);
  });
});

describe('cross-lane and repository checks', () => {
  it('points a duplicate lane id at the second, naming the first line', () => {
    const text = `lanes:\n${lane()}  - id: b\n    repo: app\n    worktree: w2\n    branch: c\n  - id: a\n    repo: app\n    worktree: w3\n    branch: d\n`;
    expect(parseErr(text)).toEqual([
      '10:9: lanes[2].id: duplicate lane id "a" (first defined at line 2)',
    ]);
  });

  it('refuses two lanes sharing a worktree or a bridge', () => {
    const text = `lanes:\n  - { id: a, repo: app, worktree: w, branch: a, bridge: br }\n  - { id: b, repo: app, worktree: ./w/, branch: b, bridge: br }\n`;
    expect(parseErr(text)).toEqual([
      `3:35: lanes[1].worktree: worktree "${path.join(dir, 'w')}" is also used by lane "a"`,
      `3:60: lanes[1].bridge: bridge "${path.join(dir, 'br')}" is also used by lane "a"`,
    ]);
  });

  it('reports a repo that does not exist or is not a git repository', () => {
    fs.mkdirSync(path.join(dir, 'plain'));
    writeFile(dir, 'afile', 'x');
    const text = [
      'lanes:',
      '  - { id: a, repo: missing, worktree: w1, branch: a }',
      '  - { id: b, repo: plain, worktree: w2, branch: b }',
      '  - { id: c, repo: afile, worktree: w3, branch: c }',
      '  - { id: d, repo: app, worktree: w4, branch: d }',
    ].join('\n');
    expect(parseErr(text)).toEqual([
      `2:20: lanes[0].repo: repo "missing" ("${path.join(dir, 'missing')}") does not exist`,
      `3:20: lanes[1].repo: repo "plain" ("${path.join(dir, 'plain')}") is not a git repository (no .git, and not a bare repository)`,
      `4:20: lanes[2].repo: repo "afile" ("${path.join(dir, 'afile')}") is not a directory`,
    ]);
  });

  it('reports a bad repo from defaults once, at defaults.repo', () => {
    const text =
      'defaults:\n  repo: gone\nlanes:\n  - { id: a, worktree: w1, branch: a }\n  - { id: b, worktree: w2, branch: b }\n';
    expect(parseErr(text)).toEqual([
      `2:9: defaults.repo: repo "gone" ("${path.join(dir, 'gone')}") does not exist`,
    ]);
  });

  it('still checks the repo of a lane that has other errors', () => {
    const text = 'lanes:\n  - { id: a, repo: gone, worktree: w1, branch: a, restart: maybe }\n';
    expect(parseErr(text)).toEqual([
      `2:20: lanes[0].repo: repo "gone" ("${path.join(dir, 'gone')}") does not exist`,
      '2:60: lanes[0].restart: expected one of never | on-failure | always, got "maybe"',
    ]);
  });
});

describe('YAML-level and hostile input', () => {
  it('reports YAML syntax errors with their line and column', () => {
    expect(parseErr('lanes:\n  - id: a\n    repo: [app\n  branch: b\n')).toEqual([
      '4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '4:3: YAML syntax error: All mapping items must start at the same column',
    ]);
    expect(parseErr('lanes: 1\nlanes: 2\n')).toEqual([
      '2:1: YAML syntax error: Map keys must be unique',
    ]);
  });

  it('refuses an alias bomb quickly with a positioned error', () => {
    const rows = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 12; i++)
      rows.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    rows.push('lanes: [*a12]');
    expect(parseErr(rows.join('\n'))).toEqual([
      '2:10: too many YAML alias expansions (more than 50); refusing a possible alias bomb',
    ]);
  });

  it('still allows a few ordinary aliases', () => {
    const text =
      'x: &cmd [run, --fast]\nlanes:\n  - { id: a, repo: app, worktree: w, branch: a, command: *cmd }\n';
    const err = expectConfigError(() => parseConfig(text, file));
    // The alias itself resolves; the only problem is the unknown top-level key.
    expect(lines(err)).toEqual([
      '1:1: x: unknown key "x"; expected one of version, settings, defaults, lanes',
    ]);
  });

  it('refuses files over 1 MiB before parsing', async () => {
    writeFile(dir, 'lanes.yaml', `# ${'x'.repeat(1024 * 1024)}\nlanes: []\n`);
    const err = await rejectsConfigError(loadConfig(file));
    expect(lines(err)).toEqual([
      '1:1: config is 1048589 bytes; files larger than 1048576 bytes (1 MiB) are refused',
    ]);
    expect(parseErr(`# ${'é'.repeat(600 * 1024)}\n`)[0]).toMatch(
      /^1:1: config is \d+ bytes; files larger than/,
    );
  });

  it('gives a clear error for a missing file, a directory, a FIFO and non-UTF-8 bytes', async () => {
    expect(lines(await rejectsConfigError(loadConfig(file)))).toEqual([
      '1:1: config file not found',
    ]);
    fs.mkdirSync(file);
    expect(lines(await rejectsConfigError(loadConfig(file)))).toEqual([
      '1:1: is a directory; expected a lanes.yaml file',
    ]);
    fs.rmdirSync(file);
    writeFile(
      dir,
      'lanes.yaml',
      Buffer.from([0x6c, 0x61, 0x6e, 0x65, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    );
    expect(lines(await rejectsConfigError(loadConfig(file)))).toEqual([
      '1:1: config is not valid UTF-8 text',
    ]);
    const fifo = path.join(dir, 'fifo.yaml');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const err = await rejectsConfigError(loadConfig(fifo));
    expect(err.issues[0]?.message).toBe('is not a regular file; expected a lanes.yaml file');
  });

  it('shows hostile text as escaped data, never raw control characters', () => {
    const err = expectConfigError(() =>
      parseConfig(
        `lanes:\n${lane('    restart: "\\e[2J\\u009b31m"\n    "\\e]0;x\\a": 1\n')}`,
        file,
      ),
    );
    const out = err.issues.map((i) => formatIssue(i, false)).join('\n');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('got "\\u001b[2J\\u009b31m"');
  });

  it('caps a flood of issues and refuses NUL bytes in argv and env', () => {
    const many = ['lanes:'];
    for (let i = 0; i < 80; i++)
      many.push(`  - { id: l${i}, repo: app, worktree: w${i}, branch: b, restart: x }`);
    const err = expectConfigError(() => parseConfig(many.join('\n'), file));
    expect(err.issues).toHaveLength(51);
    expect(err.issues[50]?.message).toBe('… and 30 more problems not shown');
    expect(
      parseErr(`lanes:\n${lane('    command: [run, "a\\0b"]\n    env: { X: "\\0" }\n')}`),
    ).toEqual([
      '6:20: lanes[0].command[1]: expected a string or number (no NUL), got "a\\u0000b"',
      '7:15: lanes[0].env.X: expected a string, number or boolean (no NUL), got "\\u0000"',
    ]);
  });
});
