/**
 * Streams and exit codes of the verbs against a real `laneboard serve` (built CLI, real
 * Unix socket, real fixture workers): `logs -f` follows the worker log across a restart
 * and exits 1 when its runtime dies; `--json --watch` streams the runtime's snapshots
 * (`"origin": "runtime"`) and exits 0 on SIGTERM, 1 when the runtime stops; and the exit
 * codes of every verb: 2 for a bad lanes.yaml and for an unknown lane, 1 for a start or
 * restart that leaves a lane without a worker and for `steer --wait` not delivered.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import { controlProject, reapProject } from '../helpers/control-project.js';

const running: RunningCli[] = [];
let project: Project | null = null;

afterEach(async () => {
  for (const c of running.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
  if (project) await reapProject(project);
  project = null;
  cleanupProjects();
});

interface Lane {
  id: string;
  worker: { state: string; pid: number | null };
}

const cli = (p: Project, ...args: string[]) =>
  runCli([...args, '--config', p.config], { cwd: p.root });

function start(p: Project, ...args: string[]): RunningCli {
  const c = startCli([...args, '--config', p.config], { cwd: p.root });
  running.push(c);
  return c;
}

async function serve(p: Project, supervised: readonly string[]): Promise<RunningCli> {
  const s = start(p, 'serve');
  await waitFor(
    async () => {
      const r = await cli(p, 'status', '--json');
      if (r.code !== 0) return false;
      const lanes = (JSON.parse(r.stdout) as { lanes: Lane[] }).lanes;
      return supervised.every((id) => lanes.find((l) => l.id === id)?.worker.state === 'running');
    },
    'serve to run the workers',
    { timeoutMs: 15_000, intervalMs: 200, detail: () => s.stderr() },
  );
  return s;
}

async function restartPid(p: Project, id: string): Promise<number> {
  const r = await cli(p, 'restart', id);
  expect(r.code, r.stderr).toBe(0);
  return Number(new RegExp(`${id}: running pid (\\d+)`).exec(r.stdout)?.[1]);
}

describe('streams from the runtime', () => {
  it('logs -f follows the worker log across a restart, exits 0 on SIGINT and 1 when the runtime dies', async () => {
    const p = (project = controlProject(['alpha']));
    const s = await serve(p, ['alpha']);
    const follow = start(p, 'logs', 'alpha', '-f');
    await waitFor(
      () => follow.lines.some((l) => /worker alpha started, pid \d+/.test(l)),
      'the log so far',
      { detail: () => follow.lines.join('\n') + follow.stderr() },
    );
    const pid = await restartPid(p, 'alpha');
    await waitFor(
      () => follow.lines.some((l) => l.includes(`worker alpha started, pid ${pid}`)),
      'the new run in the followed log',
      { timeoutMs: 10_000, detail: () => follow.lines.join('\n') + follow.stderr() },
    );
    follow.child.kill('SIGINT');
    expect(await follow.exited).toEqual({ code: 0, signal: null });

    const orphan = start(p, 'logs', 'alpha', '-f');
    await waitFor(() => orphan.lines.length > 0, 'the second follower');
    s.child.kill('SIGKILL');
    expect(await orphan.exited).toEqual({ code: 1, signal: null });
    expect(orphan.stderr()).toContain('the runtime stopped');
  });

  it('--json --watch streams the runtime’s snapshots; SIGTERM exits 0, the runtime stopping 1', async () => {
    const p = (project = controlProject(['alpha']));
    const s = await serve(p, ['alpha']);
    const watch = start(p, '--json', '--watch');
    const snaps = () => watch.lines.map((l) => JSON.parse(l) as { origin: string; lanes: Lane[] });
    await waitFor(() => watch.lines.length > 0, 'the first snapshot line');
    expect(snaps()[0]).toMatchObject({ origin: 'runtime', schema: 'laneboard.snapshot/1' });
    const pid = await restartPid(p, 'alpha');
    await waitFor(
      () => snaps().some((x) => x.lanes.find((l) => l.id === 'alpha')?.worker.pid === pid),
      'a snapshot with the new pid',
      { timeoutMs: 10_000 },
    );
    expect(snaps().every((x) => x.origin === 'runtime')).toBe(true);
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toEqual({ code: 0, signal: null });

    const second = start(p, '--json', '--watch');
    await waitFor(() => second.lines.length > 0, 'the second watcher');
    s.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.stderr()).toContain('the runtime stopped');
  });
});

describe('exit codes of every verb', () => {
  const laneVerbs = [
    ['restart'],
    ['stop'],
    ['start'],
    ['clear'],
    ['steer'],
    ['wait', '--for', 'running', '--timeout', '1s'],
    ['logs'],
    ['why'],
  ];

  it('2 for a bad lanes.yaml and an unknown lane; 1 when start/restart leaves no worker or steer --wait is not delivered', async () => {
    const p = (project = controlProject(['alpha']));
    // gamma: observe-only (no command), so start/restart cannot give it a worker.
    appendFileSync(
      p.config,
      '  - id: gamma\n    worktree: wt/alpha-view\n    branch: lane/gamma\n    command: null\n',
    );
    p.addLane('alpha-view', 'lane/gamma');
    const s = await serve(p, ['alpha']);

    for (const [verb, ...rest] of laneVerbs) {
      const args = verb === 'steer' ? [verb, 'nope', 'hello'] : [verb!, 'nope', ...rest];
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('"nope"');
    }
    expect((await cli(p, 'status', 'extra')).code).toBe(2);

    for (const op of ['start', 'restart']) {
      const r = await cli(p, op, 'gamma', 'alpha');
      expect(r.code, `${op}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`${op} gamma: no worker running: observe-only lane`);
      // The other lane was still acted on.
      expect(r.stdout).toMatch(/alpha: running pid \d+/);
    }

    expect((await cli(p, 'stop', 'alpha')).code).toBe(0);
    const steer = await cli(p, 'steer', 'alpha', 'are you there', '--wait', '--timeout', '1s');
    expect(steer.code, steer.stderr).toBe(1);

    // A lanes.yaml that does not parse (and no runtime running it): exit 2 naming the file.
    // (While a runtime runs the file, the verbs talk to it without re-reading lanes.yaml.)
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    writeFileSync(p.config, 'version: 1\nlanes: [\n');
    for (const [verb, ...rest] of [['status'], ...laneVerbs]) {
      const args =
        verb === 'status' ? [verb] : [verb!, 'alpha', ...(verb === 'steer' ? ['hi'] : rest)];
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('lanes.yaml');
    }
  });
});
