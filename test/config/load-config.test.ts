import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig, parseConfig } from '../../src/config/index.js';
import type { BoardConfig } from '../../src/state/config-types.js';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import {
  cleanupTempDirs,
  gitInit,
  makeTempDir,
  rejectsConfigError,
  writeFile,
} from '../helpers/config-fixtures.js';

let dir: string;

beforeEach(() => {
  dir = makeTempDir();
  gitInit(path.join(dir, 'app'));
});
afterEach(() => {
  cleanupTempDirs();
});

const FULL = `version: 1
settings:
  heartbeat: { warn: 10s, stale: 90s, dead: 10m }
  backoff: { initial: 500ms, max: 2m, factor: 1.5, jitter: 0 }
  crash_loop: { max_restarts: 3, window: 1h }
  stable_after: 45s
  stop_grace: 2500
  steer_timeout: 1.5m
  log: { max_size: 512KB, files: 4 }
  orphans: stop
  max_bridge_file: 1MB
  git_timeout: 7s
  diff_stats: false
defaults:
  repo: app
  base: develop
  env: { SHARED: 1, MODE: default }
  restart: always
lanes:
  - id: auth
    worktree: ../wt/auth
    branch: lane/auth
    command: [claude, -p, "fix the login bug", 3]
    env: { MODE: lane, DEBUG: true }
    steer: { command: [tmux, send-keys, -t, s1, "{message}", Enter] }
    dialect: claw-code
    required_level: merge_ready
  - id: billing.v2
    repo: ~/src/billing
    worktree: { path: wt/billing, create: true }
    branch: lane/billing
    base: origin/main
    command: npm test -- --watch=false
    bridge: /var/tmp/bridges/billing
    autostart: false
    restart: never
    steer: stdin
  - id: observer
    worktree: /abs/wt/observer
    branch: observer
`;

describe('parseConfig: a full, valid config', () => {
  it('resolves to exactly the expected BoardConfig', () => {
    const file = writeFile(dir, 'lanes.yaml', FULL);
    const home = path.join(dir, 'home');
    const billingRepo = gitInit(path.join(home, 'src/billing'));
    const cfg = parseConfig(FULL, file, { home });
    const expected: BoardConfig = {
      file,
      dir,
      stateDir: path.join(dir, '.laneboard'),
      settings: {
        heartbeat: { warnMs: 10_000, staleMs: 90_000, deadMs: 600_000 },
        backoff: { initialMs: 500, maxMs: 120_000, factor: 1.5, jitter: 0 },
        crashLoop: { maxRestarts: 3, windowMs: 3_600_000 },
        stableMs: 45_000,
        stopGraceMs: 2_500,
        steerTimeoutMs: 90_000,
        logMaxBytes: 512 * 1024,
        logFiles: 4,
        orphans: 'stop',
        maxBridgeFileBytes: 1024 * 1024,
        gitTimeoutMs: 7_000,
        diffStats: false,
        worktreeSetup: { command: null, copy: [] },
        notify: DEFAULT_SETTINGS.notify,
        onTimeoutMs: 30_000,
      },
      lanes: [
        {
          id: 'auth',
          repo: path.join(dir, 'app'),
          worktree: path.join(path.dirname(dir), 'wt/auth'),
          branch: 'lane/auth',
          base: 'develop',
          command: ['claude', '-p', 'fix the login bug', '3'],
          env: { SHARED: '1', MODE: 'lane', DEBUG: 'true' },
          bridge: path.join(dir, '.laneboard/lanes/auth'),
          autostart: true,
          restart: 'always',
          steer: { mode: 'command', argv: ['tmux', 'send-keys', '-t', 's1', '{message}', 'Enter'] },
          createWorktree: false,
          dialect: 'claw-code',
          requiredLevel: 'merge_ready',
        },
        {
          id: 'billing.v2',
          repo: billingRepo,
          worktree: path.join(dir, 'wt/billing'),
          branch: 'lane/billing',
          base: 'origin/main',
          command: ['/bin/sh', '-c', 'npm test -- --watch=false'],
          env: { SHARED: '1', MODE: 'default' },
          bridge: '/var/tmp/bridges/billing',
          autostart: false,
          restart: 'never',
          steer: { mode: 'stdin' },
          createWorktree: true,
          dialect: 'auto',
          requiredLevel: 'package',
        },
        {
          id: 'observer',
          repo: path.join(dir, 'app'),
          worktree: '/abs/wt/observer',
          branch: 'observer',
          base: 'develop',
          command: null,
          env: { SHARED: '1', MODE: 'default' },
          bridge: path.join(dir, '.laneboard/lanes/observer'),
          autostart: false,
          restart: 'always',
          steer: { mode: 'inbox' },
          createWorktree: false,
          dialect: 'auto',
          requiredLevel: 'package',
        },
      ],
    };
    expect(cfg).toEqual(expected);
  });

  it('applies every default for a minimal config, and a missing worktree is not an error', async () => {
    const file = writeFile(
      dir,
      'lanes.yaml',
      'lanes:\n  - { id: a, repo: app, worktree: nowhere/a, branch: a }\n',
    );
    const cfg = await loadConfig(file);
    expect(cfg.settings).toEqual(DEFAULT_SETTINGS);
    expect(cfg.lanes).toEqual([
      {
        id: 'a',
        repo: path.join(dir, 'app'),
        worktree: path.join(dir, 'nowhere/a'),
        branch: 'a',
        base: 'main',
        command: null,
        env: {},
        bridge: path.join(dir, '.laneboard/lanes/a'),
        autostart: false,
        restart: 'on-failure',
        steer: { mode: 'inbox' },
        createWorktree: false,
        dialect: 'auto',
        requiredLevel: 'package',
      },
    ]);
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it('turns a string command into /bin/sh -c argv and autostarts it by default', () => {
    const text =
      'lanes:\n  - id: a\n    repo: app\n    worktree: w\n    branch: b\n    command: "sleep 5 && echo \'done\'"\n';
    const cfg = parseConfig(text, path.join(dir, 'lanes.yaml'));
    expect(cfg.lanes[0]?.command).toEqual(['/bin/sh', '-c', "sleep 5 && echo 'done'"]);
    expect(cfg.lanes[0]?.autostart).toBe(true);
  });

  it('lets a lane clear a default command with command: null (observe-only)', () => {
    const text =
      'defaults: { repo: app, command: [run] }\nlanes:\n  - { id: a, worktree: w, branch: b, command: null }\n  - { id: c, worktree: x, branch: d }\n';
    const cfg = parseConfig(text, path.join(dir, 'lanes.yaml'));
    expect(cfg.lanes.map((l) => l.command)).toEqual([null, ['run']]);
    expect(cfg.lanes.map((l) => l.autostart)).toEqual([false, true]);
  });

  it('accepts a bare repository (HEAD + objects, no .git)', () => {
    gitInit(path.join(dir, 'bare.git'), true);
    const cfg = parseConfig(
      'lanes:\n  - { id: a, repo: bare.git, worktree: w, branch: b }\n',
      path.join(dir, 'l.yaml'),
    );
    expect(cfg.lanes[0]?.repo).toBe(path.join(dir, 'bare.git'));
  });

  it('skips repository checks with checkRepos: false', () => {
    const cfg = parseConfig(
      'lanes:\n  - { id: a, repo: nope, worktree: w, branch: b }\n',
      path.join(dir, 'l.yaml'),
      {
        checkRepos: false,
      },
    );
    expect(cfg.lanes[0]?.repo).toBe(path.join(dir, 'nope'));
  });
});

describe('formatConfigError', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = process.cwd();
  });
  afterEach(() => {
    process.chdir(cwd);
  });

  it('prints file:line:column: path: message, file relative to cwd', async () => {
    const text = [
      'lanes:', //  1
      '  - id: a', // 2
      '    repo: app', // 3
      '    worktree: w', // 4
      '    branch: b', // 5
      '    restart: sometimes', // 6
      '    restrat: never', // 7
    ].join('\n');
    const file = writeFile(dir, 'lanes.yaml', text);
    process.chdir(dir);
    const err = await rejectsConfigError(loadConfig(file));
    expect(formatConfigError(err)).toBe(
      [
        'lanes.yaml:6:14: lanes[0].restart: expected one of never | on-failure | always, got "sometimes"',
        'lanes.yaml:7:5: lanes[0].restrat: unknown key "restrat" (did you mean "restart"?)',
      ].join('\n'),
    );
    expect(err.issues[0]).toEqual({
      file,
      line: 6,
      column: 14,
      path: 'lanes[0].restart',
      message: 'expected one of never | on-failure | always, got "sometimes"',
      expected: 'one of never | on-failure | always',
    });
    // The error's own message uses absolute paths.
    expect(err.message.split('\n')[0]).toBe(
      `${file}:6:14: lanes[0].restart: expected one of never | on-failure | always, got "sometimes"`,
    );
  });

  it('keeps the absolute path when it is shorter than the relative one', () => {
    process.chdir(makeTempDir());
    const err = (() => {
      try {
        parseConfig('lanes: []\n', '/x.yaml');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(formatConfigError(err)).toBe(
      '/x.yaml:1:8: lanes: expected a non-empty list of lanes, got an empty list',
    );
  });

  it('formats non-config errors by message and never throws', () => {
    expect(formatConfigError(new Error('boom\u001b[2J'))).toBe('boom\\u001b[2J');
    expect(formatConfigError('plain')).toBe('plain');
  });
});
