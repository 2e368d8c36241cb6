/**
 * Fault 3 (issue #12): closing the board's terminal. The board runs in a real tmux pane;
 * `tmux kill-session` makes its terminal go away, then the board gets the SIGHUP a
 * shell passes on to its jobs. It must stop its worker and exit 129 — before the fix
 * Node aborted in its exit-time terminal reset (exit 139). The wrapper shell ignores
 * SIGHUP only to record the exit code in a file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laneboardBin } from '../helpers/e2e-cli.js';
import {
  pidAlive,
  supervisorHarness,
  waitFor,
  workerFixture,
} from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();

/** Pid of the node process running the built board with `config` (from /proc cmdlines). */
function boardPid(config: string): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.includes(laneboardBin()) && argv.includes(config)) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('the board whose terminal goes away (fault 3)', () => {
  it('stops its worker and exits 129 after tmux kill-session and SIGHUP', async () => {
    const root = harness.tempRoot();
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    };
    execFileSync('git', ['init', '-q', '-b', 'main', join(root, 'repo')], { env });
    execFileSync('git', ['-C', join(root, 'repo'), 'commit', '-q', '--allow-empty', '-m', 'i'], {
      env,
    });
    execFileSync(
      'git',
      ['-C', join(root, 'repo'), 'worktree', 'add', '-q', '-b', 'a', join(root, 'wt')],
      { env },
    );
    const config = join(root, 'lanes.yaml');
    writeFileSync(
      config,
      `lanes:\n  - { id: a, repo: ./repo, worktree: ./wt, branch: a, command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(workerFixture('sleep.cjs'))}] }\n`,
    );
    const codeFile = join(root, 'code');
    const script = join(root, 'run.sh');
    writeFileSync(
      script,
      `trap '' HUP\nenv -u CI -u CONTINUOUS_INTEGRATION -u LANEBOARD_RESPECT_CI '${process.execPath}' '${laneboardBin()}' --config '${config}'\necho $? > '${codeFile}'\n`,
    );
    const socket = `faults-hup-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '30', `sh '${script}'`);
    try {
      const record = join(root, '.laneboard', 'supervisor.json');
      const worker = await waitFor(
        () => {
          if (!existsSync(record)) return null;
          const r = JSON.parse(readFileSync(record, 'utf8')) as {
            lanes: { a?: { pid: number | null } };
          };
          return r.lanes.a?.pid ?? null;
        },
        20_000,
        'the worker to run',
      );
      harness.trackPid(worker);
      const board = await waitFor(() => boardPid(config), 5000, 'the board pid');
      await waitFor(
        () => tmux('capture-pane', '-p', '-t', 'b').includes(`run ${worker}`),
        20_000,
        'the board to show the running worker',
      );
      expect(board).not.toBeNull();
      tmux('kill-server');
      process.kill(board, 'SIGHUP');
      await waitFor(() => existsSync(codeFile), 20_000, 'the board to exit');
      expect(readFileSync(codeFile, 'utf8').trim()).toBe('129');
      await waitFor(() => !pidAlive(worker), 5000, 'the worker to be stopped');
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    }
  });
});
