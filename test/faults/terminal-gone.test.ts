/**
 * Fault 3 (issue #12): closing the board's terminal. The board runs in a real tmux pane
 * (a real pty) under a wrapper shell; `tmux kill-server` makes its terminal go away.
 * - With SIGHUP (what an interactive shell passes on to its jobs): the board must stop its
 *   worker and exit 129 — before the fix Node aborted in its exit-time terminal reset (139).
 * - Without SIGHUP (the wrapper ignores it, as `nohup` or a script would; the kernel sends
 *   the hangup only to the session leader): the board sees its stdin end or fail with EIO
 *   and must leave the same way instead of running on with no terminal.
 * - Attached to `laneboard serve`: the board just leaves (129) and the workers keep running
 *   under serve.
 * The wrapper shell ignores SIGHUP so it survives to record the exit code in a file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { laneboardBin, runCli, startCli, type RunningCli } from '../helpers/e2e-cli.js';
import { controlProject, reapProject, recordedPids } from '../helpers/control-project.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
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
      if (argv.includes(laneboardBin()) && argv.includes(config) && !argv.includes('serve')) {
        return Number(name);
      }
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A board in a tmux pane under `sh` that ignores SIGHUP and writes the exit code to a file. */
interface WrappedBoard {
  readonly capture: () => string;
  /** Kill the tmux server (the terminal goes away). */
  readonly hangUp: () => void;
  /** The board's exit code, once it exited. */
  readonly code: () => string | null;
  readonly dispose: () => void;
}

function wrappedBoard(root: string, config: string): WrappedBoard {
  const codeFile = join(root, `code-${Date.now()}`);
  const script = join(root, 'run.sh');
  writeFileSync(
    script,
    `trap '' HUP\nenv -u CI -u CONTINUOUS_INTEGRATION -u LANEBOARD_RESPECT_CI '${process.execPath}' '${laneboardBin()}' --config '${config}'\necho $? > '${codeFile}'\n`,
  );
  const socket = `faults-hup-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'b', '-c', root, '-x', '120', '-y', '30', `sh '${script}'`);
  return {
    capture: () => {
      try {
        return tmux('capture-pane', '-p', '-t', 'b');
      } catch {
        return '';
      }
    },
    hangUp: () => void tmux('kill-server'),
    code: () => (existsSync(codeFile) ? readFileSync(codeFile, 'utf8').trim() : null),
    dispose: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
  };
}

/** A one-lane project whose worker sleeps; returns its root and lanes.yaml. */
function sleepProject(): { root: string; config: string } {
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
  return { root, config };
}

/**
 * SIGHUP `pid`, as a terminal's hang-up would. The board may have left already (the ended
 * stdin of the killed tmux server can win the race): ESRCH is then not an error.
 */
function sighup(pid: number): void {
  try {
    process.kill(pid, 'SIGHUP');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

const boards: WrappedBoard[] = [];
const served: RunningCli[] = [];
let project: Project | null = null;

afterEach(async () => {
  for (const b of boards.splice(0)) b.dispose();
  for (const c of served.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
  if (project) await reapProject(project);
  project = null;
  cleanupProjects();
});

describe.skipIf(!hasTmux)('the board whose terminal goes away (fault 3)', () => {
  for (const hup of [true, false]) {
    it(`stops its worker and exits 129 after tmux kill-server ${hup ? 'and SIGHUP' : 'without a SIGHUP (stdin ends)'}`, async () => {
      const { root, config } = sleepProject();
      const board = wrappedBoard(root, config);
      boards.push(board);
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
      const pid = await waitFor(() => boardPid(config), 5000, 'the board pid');
      await waitFor(
        () => board.capture().includes(`run ${worker}`),
        20_000,
        'the board to show the running worker',
      );
      board.hangUp();
      if (hup) sighup(pid);
      await waitFor(() => board.code(), 20_000, 'the board to exit');
      expect(board.code()).toBe('129');
      await waitFor(() => !pidAlive(worker), 5000, 'the worker to be stopped');
    });
  }

  for (const hup of [true, false]) {
    it(`attached to serve: leaves with 129 ${hup ? 'after SIGHUP' : 'without a SIGHUP'}, the workers keep running`, async () => {
      const p = (project = controlProject(['alpha']));
      const serve = startCli(['serve', '--config', p.config], { cwd: p.root });
      served.push(serve);
      await waitFor(
        () => /lane alpha: worker running pid \d+/.test(serve.stderr()),
        15_000,
        'serve to run the worker',
      );
      const worker = recordedPids(p, ['alpha'])[0] ?? null;
      const board = wrappedBoard(p.root, p.config);
      boards.push(board);
      await waitFor(
        () => board.capture().includes(`attached to pid ${serve.child.pid}`),
        15_000,
        'the attached board',
      );
      const pid = await waitFor(() => boardPid(p.config), 5000, 'the board pid');
      board.hangUp();
      if (hup) sighup(pid);
      await waitFor(() => board.code(), 20_000, 'the board to exit');
      expect(board.code()).toBe('129');
      expect(pidAlive(pid)).toBe(false);
      expect(serve.child.exitCode).toBeNull();
      if (worker !== null) expect(pidAlive(worker)).toBe(true);
      const status = await runCli(['status', '--config', p.config]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/alpha\s+running \d+/);
    });
  }
});
