/**
 * The control endpoint and the board in a real terminal (tmux), real sockets, real
 * workers: verbs against a board that runs its own runtime (it serves the endpoint), and
 * an attached board whose runtime dies (it says so, keeps its last state, waits, and
 * shows the next runtime), with `m` (mute) going through the endpoint.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { pidOf, rowOf } from '../helpers/e2e-frame.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';
import { controlProject, reapProject } from '../helpers/control-project.js';

const running: RunningCli[] = [];
const terms: BoardTerm[] = [];
let project: Project | null = null;

beforeAll(() => {
  if (!hasTmux()) throw new Error('the control board e2e tests need tmux on PATH');
});

afterEach(async () => {
  for (const t of terms.splice(0)) t.kill();
  for (const c of running.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
  if (project) await reapProject(project);
  project = null;
  cleanupProjects();
});

const cli = (p: Project, ...args: string[]) =>
  runCli([...args, '--config', p.config], { cwd: p.root });

function serve(p: Project): RunningCli {
  const s = startCli(['serve', '--config', p.config], { cwd: p.root });
  running.push(s);
  return s;
}

describe('the board serves the endpoint while it runs its own runtime', () => {
  it('status, --json and restart reach the board; a second serve refuses naming it', async () => {
    const p = (project = controlProject());
    const board = startBoard({ cwd: p.root, args: ['--config', p.config] });
    terms.push(board);
    const frame = await board.waitForFrame(
      (f) => pidOf(f, 'alpha') !== null && pidOf(f, 'beta') !== null && f,
      'the own board with both workers',
      15_000,
    );
    const pid = pidOf(frame, 'alpha');

    const status = await cli(p, 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^runtime pid \d+ \(board\)/);
    expect(status.stdout).toMatch(new RegExp(`alpha\\s+running ${pid}`));
    const json = await cli(p, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ origin: 'runtime' });

    const restart = await cli(p, 'restart', 'alpha');
    expect(restart.code, restart.stderr).toBe(0);
    const newPid = Number(/alpha: running pid (\d+)/.exec(restart.stdout)?.[1]);
    expect(newPid).not.toBe(pid);
    await board.waitForFrame((f) => pidOf(f, 'alpha') === newPid, 'the new pid on the board');

    const second = await cli(p, 'serve');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already running .*\(pid \d+, board\)/);
  });
});

describe('an attached board whose runtime dies', () => {
  it('says so, keeps its last state, waits, and attaches to the next runtime (header names it); m mutes through it and survives the restart', async () => {
    const p = (project = controlProject());
    const first = serve(p);
    await waitFor(() => /lane beta: worker running pid \d+/.test(first.stderr()), 'serve', {
      timeoutMs: 15_000,
      detail: () => first.stderr(),
    });
    const board = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 160 });
    terms.push(board);
    const frame = await board.waitForFrame(
      (f) => f.includes(`attached to pid ${first.child.pid}`) && pidOf(f, 'alpha') !== null && f,
      'the attached board',
      15_000,
    );
    const pid = pidOf(frame, 'alpha');

    // m on the selected lane (alpha) is kept by the runtime and replayed to the board.
    await board.press('m', (f) => (rowOf(f, 'alpha') ?? '').includes('(muted)'), 'alpha muted');

    first.child.kill('SIGKILL');
    await first.exited;
    const gone = await board.waitForFrame(
      (f) => f.includes(`runtime (pid ${first.child.pid}) stopped`) && f,
      'the board saying its runtime stopped',
      10_000,
    );
    // Its last state stays on screen.
    expect(pidOf(gone, 'alpha')).toBe(pid);
    expect(board.exitCode()).toBe(null);

    // A new runtime adopts the workers (the record survives SIGKILL); the board shows it.
    const second = serve(p);
    await board.waitForFrame(
      (f) =>
        f.includes(`attached to the runtime pid ${second.child.pid}`) &&
        !f.includes('stopped: this board') &&
        pidOf(f, 'alpha') === pid,
      'the board attached to the new runtime',
      20_000,
    );
    // The header names the new runtime, and the mute survived the runtime's restart
    // (kept in the state dir, not only in the killed runtime's memory).
    const after = await board.waitForFrame(
      (f) => f.includes(`attached to pid ${second.child.pid}`) && f,
      'the header naming the new runtime',
    );
    expect(after).not.toContain(`attached to pid ${first.child.pid}`);
    expect(rowOf(after, 'alpha') ?? '').toContain('(muted)');
    expect(rowOf(after, 'beta') ?? '').not.toContain('(muted)');
    board.send('q');
    await board.waitForFrame((f) => f.includes('[laneboard exited 0]'), 'the board to exit');
    expect(board.capture()).toContain(`keep running under pid ${second.child.pid}`);
    const status = await cli(p, 'status');
    expect(status.stdout).toMatch(new RegExp(`alpha\\s+running ${pid}`));
  });
});
