/**
 * The exit-code table of the verbs (docs/control.md), verb by verb, through the built CLI
 * as real processes: 3 without a runtime, 2 for bad usage / bad lanes.yaml / an unknown
 * lane (named in the message), 1 for a runtime error (a runtime on the real socket that
 * answers every route but health with HTTP 500 `internal`), a wait that timed out, a
 * steer --wait not delivered (a worker that never reads its inbox), `start` leaving an
 * observe-only lane without a worker, and `logs -f` losing its runtime.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';
import { WORKER, reapProject, projectCli, serveProject } from '../helpers/control-project.js';

const running: RunningCli[] = [];
const servers: Server[] = [];
let project: Project | null = null;

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const c of running.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
  if (project) await reapProject(project, ['alpha', 'deaf', 'watch']);
  project = null;
  cleanupProjects();
});

/** alpha: the fixture worker (acks steering); deaf: never reads its inbox; watch: observe-only. */
function project3(): Project {
  const p = makeProject(1);
  for (const id of ['alpha', 'deaf', 'watch']) p.addLane(id, `lane/${id}`);
  p.writeConfig(
    [
      'version: 1',
      'settings:',
      '  stop_grace: 2s',
      'defaults:',
      '  repo: repo',
      'lanes:',
      '  - id: alpha',
      '    worktree: wt/alpha',
      '    branch: lane/alpha',
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(WORKER)}]`,
      '  - id: deaf',
      '    worktree: wt/deaf',
      '    branch: lane/deaf',
      '    command: exec sleep 600',
      '  - id: watch',
      '    worktree: wt/watch',
      '    branch: lane/watch',
      '',
    ].join('\n'),
  );
  return p;
}

const cli = projectCli;
const serve = (p: Project): Promise<RunningCli> => serveProject(p, running, ['watch']);

/** Every verb that needs a runtime, with a known lane. */
const VERBS: readonly (readonly string[])[] = [
  ['status'],
  ['status', '--json'],
  ['start', 'alpha'],
  ['stop', 'alpha'],
  ['restart', 'alpha'],
  ['clear', 'alpha'],
  ['steer', 'alpha', 'hi'],
  ['wait', 'alpha', '--for', 'running'],
  ['logs', 'alpha'],
  ['logs', 'alpha', '-f'],
  ['why', 'alpha'],
];

describe('exit codes of every verb', () => {
  it('3: no runtime running for this lanes.yaml — each verb says how to start one', async () => {
    const p = (project = project3());
    for (const args of VERBS) {
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr, args.join(' ')).toContain(`laneboard serve --config ${p.config}`);
    }
  }, 90_000);

  it('2: bad usage, bad lanes.yaml, unknown lane (named) — for each verb', async () => {
    const p = (project = project3());
    await serve(p);
    // An unknown lane, named in the message, for every verb that takes lanes.
    for (const args of [
      ['start', 'nope'],
      ['stop', 'nope'],
      ['restart', 'nope'],
      ['clear', 'nope'],
      ['steer', 'nope', 'hi'],
      ['wait', 'nope', '--for', 'running'],
      ['logs', 'nope'],
      ['why', 'nope'],
    ]) {
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/"?nope"?/);
    }
    // Bad usage: missing arguments, unknown options, bad values.
    for (const args of [
      ['status', '--bogus'],
      ['start'],
      ['steer', 'alpha'],
      ['wait', 'alpha'],
      ['wait', 'alpha', '--for', 'soon'],
      ['steer', 'alpha', 'hi', '--wait', '--timeout', 'later'],
      ['logs'],
      ['why'],
    ]) {
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    // A bad lanes.yaml: every verb exits 2 naming the file, line and key.
    const bad = path.join(p.root, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nlanes:\n  - id: x\n    restart: sometimes\n');
    for (const args of VERBS) {
      const r = await runCli([...args, '--config', bad], { cwd: p.root });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('bad.yaml:');
    }
  }, 180_000);

  it('1: wait timed out, steer --wait not delivered, start without a worker, logs -f losing its runtime', async () => {
    const p = (project = project3());
    const s = await serve(p);
    const timedOut = await cli(p, 'wait', 'alpha', '--for', 'finished', '--timeout', '300ms');
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain('timed out waiting for finished: alpha');
    // deaf never reads its inbox: accepted (an id on stdout) but not delivered.
    const steer = await cli(p, 'steer', 'deaf', 'hello', '--wait', '--timeout', '1s');
    expect(steer.code, steer.stderr).toBe(1);
    expect(steer.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    // Without --wait the same message is accepted: exit 0.
    expect((await cli(p, 'steer', 'deaf', 'hello')).code).toBe(0);
    // watch is observe-only: start leaves it without a running worker.
    const start = await cli(p, 'start', 'watch');
    expect(start.code, start.stdout + start.stderr).toBe(1);
    // logs -f exits 1 when its runtime goes away.
    const follow = startCli(['logs', 'alpha', '-f', '--config', p.config], { cwd: p.root });
    running.push(follow);
    await waitFor(
      () => follow.lines.some((l) => /worker alpha started/.test(l)),
      'logs -f output',
      {
        timeoutMs: 10_000,
        detail: () => follow.stderr(),
      },
    );
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect((await follow.exited).code, follow.stderr()).toBe(1);
  }, 90_000);

  it('1: a runtime that fails (HTTP 500 internal) — status, why, logs and the lane verbs', async () => {
    const p = (project = project3());
    const dir = path.join(p.root, '.laneboard');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const sock = path.join(dir, 'control.sock');
    rmSync(sock, { force: true });
    const server = createServer((req, res) => {
      const api = 'laneboard.control/1';
      const body =
        req.url === '/v1/health'
          ? {
              api,
              pid: process.pid,
              config: p.config,
              kind: 'serve',
              startedAt: new Date().toISOString(),
            }
          : { api, error: { code: 'internal', message: 'the store is broken' } };
      res.writeHead(req.url === '/v1/health' ? 200 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(sock, r));
    for (const args of VERBS.filter((a) => a[0] !== 'wait' && !a.includes('-f'))) {
      const r = await cli(p, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('the store is broken');
    }
  }, 90_000);
});
