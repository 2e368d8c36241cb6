/**
 * `laneboard serve` end to end (the built CLI as a real child process): it starts the
 * workers, logs one line per lane event on stderr, and SIGTERM / SIGINT stop every worker
 * and every descendant (including a grandchild that left the process group) before it
 * exits 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { alive, controlProject, reapProject, recordedPids } from '../helpers/control-project.js';

const running: RunningCli[] = [];
let project: Project | null = null;

afterEach(async () => {
  for (const c of running.splice(0)) c.kill();
  if (project) await reapProject(project);
  project = null;
  cleanupProjects();
});

interface Snap {
  lanes: { id: string; worker: { state: string; pid: number | null } }[];
}

async function snapshot(p: Project): Promise<Snap> {
  const r = await runCli(['--json', '--config', p.config]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Snap;
}

describe('laneboard serve', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`runs the workers, logs lane events, and ${signal} leaves no descendant`, async () => {
      const p = (project = controlProject());
      const serve = startCli(['serve', '--config', p.config], { cwd: p.root });
      running.push(serve);
      await waitFor(
        () =>
          recordedPids(p).length === 6 && /lane beta: worker running pid \d+/.test(serve.stderr()),
        'both workers and their grandchildren',
        { timeoutMs: 15_000, detail: () => serve.stderr() },
      );
      expect(serve.stderr()).toMatch(/lane alpha: worker running pid \d+/);
      await waitFor(() => /lane alpha: event lane\.started/.test(serve.stderr()), 'an event line', {
        detail: () => serve.stderr(),
      });
      const snap = await snapshot(p);
      expect(snap.lanes.map((l) => l.worker.state)).toEqual(['running', 'running']);
      const pids = recordedPids(p);
      expect(alive(pids)).toHaveLength(6);

      serve.child.kill(signal);
      const exit = await serve.exited;
      expect(exit, serve.stderr()).toEqual({ code: 0, signal: null });
      expect(alive(pids)).toEqual([]);
      expect(serve.stderr()).toContain(`${signal}: stopping workers`);
    });
  }

  it('a bad lanes.yaml exits 2 with the problem named', async () => {
    const p = (project = controlProject());
    p.writeConfig('version: 1\nlanes: nope\n');
    const r = await runCli(['serve', '--config', p.config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lanes\.yaml/);
  });
});
