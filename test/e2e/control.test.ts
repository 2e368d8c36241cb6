/**
 * The control endpoint and its verbs end to end: the built CLI as real processes, a real
 * `laneboard serve` on a real Unix socket, real fixture workers. Covers every verb and
 * exit code (0/1/2/3), the socket's modes, a second runtime refusing, a stale socket
 * after SIGKILL (replaced, and the old workers adopted), and `--json` answered by the
 * runtime (`"origin": "runtime"`) versus computed (`"probe"`).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, type Project } from '../helpers/e2e-project.js';
import {
  alive,
  controlProject,
  reapProject,
  recordedPids,
  projectCli,
  serveProject,
} from '../helpers/control-project.js';

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
  steering: { id: string; delivery: string }[];
}

const cli = projectCli;
const serve = (p: Project): Promise<RunningCli> => serveProject(p, running);

async function lanes(p: Project): Promise<Lane[]> {
  const r = await cli(p, 'status', '--json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { lanes: Lane[] }).lanes;
}

describe('control verbs against laneboard serve', () => {
  it('exit 3 without a runtime, for every verb that needs one', async () => {
    const p = (project = controlProject());
    for (const args of [
      ['status'],
      ['restart', 'alpha'],
      ['steer', 'alpha', 'hi'],
      ['why', 'alpha'],
      ['logs', 'alpha'],
      ['wait', 'alpha', '--for', 'running'],
    ]) {
      const r = await cli(p, ...args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain('laneboard serve');
    }
    const probe = await cli(p, '--json');
    expect(JSON.parse(probe.stdout)).toMatchObject({ origin: 'probe' });
  });

  it('status, restart, stop, start, clear, steer --wait, wait, logs, why; exit codes 0/1/2', async () => {
    const p = (project = controlProject());
    await serve(p);
    const sock = path.join(p.root, '.laneboard', 'control.sock');
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(sock)).mode & 0o777).toBe(0o700);

    const status = await cli(p, 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/alpha\s+running \d+/);

    const json = await cli(p, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      origin: 'runtime',
      schema: 'laneboard.snapshot/1',
    });

    const before = (await lanes(p)).find((l) => l.id === 'alpha')?.worker.pid;
    const restart = await cli(p, 'restart', 'alpha');
    expect(restart.code, restart.stderr).toBe(0);
    const newPid = Number(/alpha: running pid (\d+)/.exec(restart.stdout)?.[1]);
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(before);
    // The new pid is in the runtime's snapshot once restart returned.
    expect((await lanes(p)).find((l) => l.id === 'alpha')?.worker.pid).toBe(newPid);

    const stop = await cli(p, 'stop', '--all');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/alpha: stopped[\s\S]*beta: stopped/);
    expect((await cli(p, 'wait', 'alpha', 'beta', '--for', 'exited', '--timeout', '5s')).code).toBe(
      0,
    );
    const start = await cli(p, 'start', 'a*');
    expect(start.stdout).toMatch(/^alpha: running pid \d+\n$/);
    expect((await cli(p, 'wait', 'alpha', '--for', 'running', '--timeout', '5s')).code).toBe(0);
    expect((await cli(p, 'clear', 'beta')).code).toBe(0);

    const steer = await cli(
      p,
      'steer',
      'alpha',
      'take',
      'the',
      'left',
      'branch',
      '--wait',
      '--timeout',
      '15s',
    );
    expect(steer.code, steer.stderr).toBe(0);
    const id = steer.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await lanes(p)).find((l) => l.id === 'alpha')?.steering.find((m) => m.id === id)?.delivery,
    ).toBe('delivered');

    const timedOut = await cli(p, 'wait', 'beta', '--for', 'finished', '--timeout', '300ms');
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain('timed out waiting for finished: beta');

    const logs = await cli(p, 'logs', 'alpha');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/worker alpha started, pid \d+/);
    const why = await cli(p, 'why', 'alpha');
    expect(why.code).toBe(0);
    expect(why.stdout).toMatch(/agent\s+running/);

    // Exit 2: unknown lane, glob matching nothing, bad condition, bad duration, no lane.
    for (const args of [
      ['restart', 'nope'],
      ['stop', 'zz*'],
      ['wait', 'alpha', '--for', 'soon'],
      ['wait', 'alpha', '--for', 'running', '--timeout', 'later'],
      ['start'],
    ]) {
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    expect((await cli(p, 'why', 'nope')).stderr).toContain('unknown lane "nope"');
  });

  it('a second serve refuses naming the pid; a stale socket after SIGKILL is replaced and the workers adopted', async () => {
    const p = (project = controlProject());
    const first = await serve(p);
    const second = await cli(p, 'serve');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);

    const pids = (await lanes(p)).map((l) => l.worker.pid);
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await cli(p, 'status')).code).toBe(3);
    // The lane verbs send their request without asking who serves first: refused ⇒ exit 3.
    expect((await cli(p, 'restart', 'alpha')).code).toBe(3);
    const next = await serve(p);
    expect((await lanes(p)).map((l) => l.worker.pid)).toEqual(pids);
    const all = recordedPids(p);
    next.child.kill('SIGTERM');
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(alive(all)).toEqual([]);
    expect(pids.every((pid) => pid !== null && !isAlive(pid))).toBe(true);
  });
});
