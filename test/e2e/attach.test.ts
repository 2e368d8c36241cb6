/**
 * The attached board in a real terminal (tmux): with `laneboard serve` running, `laneboard`
 * attaches (header says so, lanes show the runtime's pids), `r` restarts through the
 * endpoint, and `q` quits at once leaving the workers running, saying so in one line.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { pidOf } from '../helpers/e2e-frame.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';
import { controlProject, reapProject } from '../helpers/control-project.js';

const running: RunningCli[] = [];
const terms: BoardTerm[] = [];
let project: Project | null = null;

beforeAll(() => {
  if (!hasTmux()) throw new Error('the attach e2e test needs tmux on PATH');
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

describe('the board attached to laneboard serve', () => {
  it('shows the runtime, restarts through it, and q leaves the workers running', async () => {
    const p = (project = controlProject());
    const serve = startCli(['serve', '--config', p.config], { cwd: p.root });
    running.push(serve);
    await waitFor(() => /lane beta: worker running pid \d+/.test(serve.stderr()), 'serve workers', {
      timeoutMs: 15_000,
      detail: () => serve.stderr(),
    });
    const board = startBoard({ cwd: p.root, args: ['--config', p.config] });
    terms.push(board);
    const frame = await board.waitForFrame(
      (f) => f.includes(`attached to pid ${serve.child.pid}`) && pidOf(f, 'alpha') !== null && f,
      'the attached board with pids',
      15_000,
    );
    const pid = pidOf(frame, 'alpha');
    await board.press(
      'r',
      (f) => pidOf(f, 'alpha') !== null && pidOf(f, 'alpha') !== pid,
      'a new pid',
    );
    const newPid = pidOf(board.capture(), 'alpha');
    board.send('q');
    await board.waitForFrame(
      (f) => f.includes('[laneboard exited 0]'),
      'the board to exit',
      10_000,
    );
    expect(board.capture()).toContain('detached; the workers keep running');
    expect(newPid !== null && isAlive(newPid)).toBe(true);
    const status = await runCli(['status', '--config', p.config]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`alpha\\s+running ${newPid}`));
  });
});
