/**
 * Fault 6 (issue #12): bridge directories that would dirty a repository (or write into the
 * system) are refused in lanes.yaml with file:line:column, and the CLI exits 2. Real temp
 * git repositories with a real linked worktree; the real built CLI as a child process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssue, parseConfig } from '../../src/config/index.js';
import {
  cleanupTempDirs,
  expectConfigError,
  gitInit,
  makeTempDir,
  writeFile,
} from '../helpers/config-fixtures.js';
import { runCli } from '../helpers/e2e-cli.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  const app = gitInit(path.join(dir, 'app'));
  execFileSync('git', ['-C', app, 'commit', '-q', '--allow-empty', '-m', 'init'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
  execFileSync(
    'git',
    ['-C', app, 'worktree', 'add', '-q', '-b', 'side', path.join(dir, 'linked')],
    {
      stdio: 'ignore',
    },
  );
  file = path.join(dir, 'lanes.yaml');
});
afterEach(() => {
  cleanupTempDirs();
});

const lane = (id: string, bridge: string): string =>
  `  - { id: ${id}, repo: app, worktree: wt/${id}, branch: ${id}, bridge: ${JSON.stringify(bridge)} }\n`;

function problems(text: string): string[] {
  const err = expectConfigError(() => parseConfig(text, file));
  return err.issues.map((i) => formatIssue(i, false).slice(file.length + 1));
}

describe('bridge paths that would dirty a repository', () => {
  it('refuses /, /etc, the lane worktree, the main worktree and a linked worktree, each at its position', () => {
    const text =
      'lanes:\n' +
      lane('a', '/') +
      lane('b', '/etc') +
      lane('c', 'wt/c/bridge') +
      lane('d', 'app') +
      lane('e', 'app/sub/dir') +
      lane('f', 'linked/.bridge') +
      lane('g', 'wt/a') +
      lane('ok', 'bridges/ok') +
      lane('git', 'app/.git/laneboard');
    const got = problems(text);
    expect(got).toHaveLength(7);
    expect(got[0]).toMatch(/^2:\d+: lanes\[0\]\.bridge: bridge "\/" is the filesystem root/);
    expect(got[1]).toMatch(
      /^3:\d+: lanes\[1\]\.bridge: bridge "\/etc" is in the system directory \/etc/,
    );
    expect(got[2]).toMatch(
      /^4:\d+: lanes\[2\]\.bridge: .* is inside the worktree of lane "c", and would make it dirty/,
    );
    expect(got[3]).toMatch(/^5:\d+: lanes\[3\]\.bridge: .* is inside the repository/);
    expect(got[4]).toMatch(/^6:\d+: lanes\[4\]\.bridge: .* is inside the repository/);
    expect(got[5]).toMatch(/^7:\d+: lanes\[5\]\.bridge: .* is inside a worktree of the repository/);
    expect(got[6]).toMatch(/^8:\d+: lanes\[6\]\.bridge: .* is inside the worktree of lane "a"/);
    // The column is the one of the written bridge value.
    const col = Number(/^2:(\d+):/.exec(got[0]!)?.[1]);
    expect(text.split('\n')[1]!.slice(col - 1)).toMatch(/^"\/"/);
  });

  it('follows a symlink into a worktree, and checks defaults.bridge once', () => {
    fs.symlinkSync(path.join(dir, 'app'), path.join(dir, 'innocent'));
    const got = problems(
      'defaults: { repo: app, bridge: innocent/x }\nlanes:\n  - { id: a, worktree: wt/a, branch: a }\n',
    );
    expect(got).toEqual([
      expect.stringMatching(
        /^1:32: defaults\.bridge: bridge ".*innocent\/x" is inside the repository/,
      ),
    ]);
  });

  it('the CLI exits 2 with file:line:column and writes nothing into the repository', async () => {
    writeFile(dir, 'lanes.yaml', 'lanes:\n' + lane('a', 'app'));
    const r = await runCli(['--config', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /lanes\.yaml:2:\d+: lanes\[0\]\.bridge: bridge ".*app" is inside the repository/,
    );
    const status = execFileSync('git', ['-C', path.join(dir, 'app'), 'status', '--porcelain'], {
      encoding: 'utf8',
    });
    expect(status).toBe('');
  });
});
