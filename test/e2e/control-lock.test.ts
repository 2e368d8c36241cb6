/**
 * The one-runtime lock under pressure, with the built CLI as real processes on real Unix
 * sockets: two `laneboard serve` started at the same instant on one lanes.yaml (fresh, and
 * over a stale socket left by SIGKILL) — exactly one wins, the other exits 1 naming it,
 * and every lane has exactly one worker; and a state dir too deep for a Unix socket path
 * (over 107 bytes), whose socket lives in a short private directory with
 * `.laneboard/control.sock` a symlink to it; and two config files in one directory, each
 * with its own runtime (socket and supervisor record keyed by the file name; a request
 * naming the other file is refused with 409 `wrong_config`).
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestJson } from '../../src/runtime/control/client.js';
import { CONFIG_HEADER } from '../../src/runtime/control/protocol.js';
import { runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, tempRoot, type Project } from '../helpers/e2e-project.js';
import {
  WORKER,
  alive,
  controlProject,
  reapProject,
  recordedPids,
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
}

function serve(p: Project, config = p.config, env?: Record<string, string>): RunningCli {
  const s = startCli(['serve', '--config', config], { cwd: p.root, env });
  running.push(s);
  return s;
}

async function lanesOf(config: string, env?: Record<string, string>): Promise<Lane[] | null> {
  const r = await runCli(['status', '--json', '--config', config], { env });
  return r.code === 0 ? (JSON.parse(r.stdout) as { lanes: Lane[] }).lanes : null;
}

/** Start two serves at once; resolves with [winner, loser] once the loser has exited. */
async function race(p: Project): Promise<[RunningCli, RunningCli]> {
  const a = serve(p);
  const b = serve(p);
  const loser = await Promise.race([a.exited.then(() => a), b.exited.then(() => b)]);
  const winner = loser === a ? b : a;
  expect(await loser.exited, loser.stderr()).toEqual({ code: 1, signal: null });
  expect(loser.stderr()).toContain(`already running for ${p.config} (pid ${winner.child.pid}`);
  await waitFor(
    async () => (await lanesOf(p.config))?.every((l) => l.worker.state === 'running') === true,
    'the winner to run every worker',
    { timeoutMs: 15_000, intervalMs: 200, detail: () => winner.stderr() },
  );
  expect(winner.child.exitCode).toBe(null);
  return [winner, loser];
}

describe('one runtime per lanes.yaml under a race', () => {
  it('two serves started together: exactly one wins, fresh and over a stale socket', async () => {
    const ids = ['alpha', 'beta'];
    const p = (project = controlProject(ids));
    let [winner] = await race(p);
    for (let round = 0; round < 2; round++) {
      // SIGKILL leaves the socket file (stale) and the workers (adopted by the next winner).
      winner.child.kill('SIGKILL');
      await winner.exited;
      expect(existsSync(path.join(p.root, '.laneboard', 'control.sock'))).toBe(true);
      [winner] = await race(p);
      const lanes = (await lanesOf(p.config)) ?? [];
      const workers = lanes.map((l) => l.worker.pid);
      // One worker per lane: the live worker pids recorded by the fixture are the lanes'.
      const live = alive(recordedPids(p, ids)).filter((pid) => workers.includes(pid));
      expect(live.sort()).toEqual([...workers].sort());
      expect(new Set(workers).size).toBe(ids.length);
    }
    winner.child.kill('SIGTERM');
    expect(await winner.exited).toEqual({ code: 0, signal: null });
    expect(alive(recordedPids(p, ids))).toEqual([]);
  });
});

describe('a state dir too deep for a Unix socket path', () => {
  it('serves on a short socket in XDG_RUNTIME_DIR, linked from .laneboard/control.sock', async () => {
    const p = (project = controlProject(['alpha']));
    const deep = path.join(p.root, 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const config = path.join(deep, 'lanes.yaml');
    writeFileSync(
      config,
      [
        'version: 1',
        'settings:',
        '  stop_grace: 2s',
        'lanes:',
        `  - id: alpha`,
        `    repo: ${JSON.stringify(p.repo)}`,
        `    worktree: ${JSON.stringify(path.join(p.root, 'wt', 'alpha'))}`,
        '    branch: lane/alpha',
        `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(WORKER)}]`,
        '',
      ].join('\n'),
    );
    const runtimeDir = tempRoot('lb-xdg-');
    const env = { XDG_RUNTIME_DIR: runtimeDir };
    const link = path.join(deep, '.laneboard', 'control.sock');
    expect(Buffer.byteLength(link)).toBeGreaterThan(107);

    const s = serve(p, config, env);
    await waitFor(
      async () => (await lanesOf(config))?.[0]?.worker.state === 'running',
      'serve on the deep config',
      { timeoutMs: 15_000, intervalMs: 200, detail: () => s.stderr() },
    );
    // The link points into <XDG_RUNTIME_DIR>/laneboard (0700); the socket is 0600.
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const target = readlinkSync(link);
    expect(path.dirname(target)).toBe(path.join(runtimeDir, 'laneboard'));
    expect(statSync(path.dirname(target)).mode & 0o777).toBe(0o700);
    expect(statSync(target).mode & 0o777).toBe(0o600);

    // Verbs (without the variable: they follow the link), --json, and curl-style clients
    // using the short relative path all reach it.
    const restart = await runCli(['restart', 'alpha', '--config', config]);
    expect(restart.code, restart.stderr).toBe(0);
    const json = await runCli(['--json', '--config', config]);
    expect(JSON.parse(json.stdout)).toMatchObject({ origin: 'runtime' });
    const health = execFileSync(
      process.execPath,
      [
        '-e',
        "require('http').get({ socketPath: '.laneboard/control.sock', path: '/v1/health' }, (r) => r.pipe(process.stdout))",
      ],
      { cwd: deep, encoding: 'utf8' },
    );
    expect(JSON.parse(health)).toMatchObject({ pid: s.child.pid, config });

    // A second serve finds it through the link, even with another runtime dir.
    const second = await runCli(['serve', '--config', config], {
      env: { XDG_RUNTIME_DIR: tempRoot('lb-xdg-') },
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${s.child.pid}`);

    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(target)).toBe(false);
    expect(() => lstatSync(link)).toThrow();
  });
});

describe('two config files in one directory', () => {
  it('each gets its own runtime: own socket and record, both serve, each refuses a second', async () => {
    const p = (project = controlProject(['alpha', 'beta']));
    const configFor = (id: string): string => {
      const file = path.join(p.root, `${id === 'alpha' ? 'a' : 'b'}.yaml`);
      writeFileSync(
        file,
        [
          'version: 1',
          'settings:',
          '  stop_grace: 2s',
          'lanes:',
          `  - id: ${id}`,
          '    repo: repo',
          `    worktree: wt/${id}`,
          `    branch: lane/${id}`,
          `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(WORKER)}]`,
          '',
        ].join('\n'),
      );
      return file;
    };
    const a = configFor('alpha');
    const b = configFor('beta');
    const sa = serve(p, a);
    const sb = serve(p, b);
    for (const [config, s, id] of [
      [a, sa, 'alpha'],
      [b, sb, 'beta'],
    ] as const) {
      await waitFor(
        async () => (await lanesOf(config))?.[0]?.worker.state === 'running',
        `serve on ${path.basename(config)}`,
        { timeoutMs: 15_000, intervalMs: 200, detail: () => s.stderr() },
      );
      const lanes = (await lanesOf(config)) ?? [];
      expect(lanes.map((l) => l.id)).toEqual([id]);
    }
    expect(sa.child.exitCode).toBe(null);
    expect(sb.child.exitCode).toBe(null);
    const dir = path.join(p.root, '.laneboard');
    for (const name of ['a.yaml', 'b.yaml']) {
      expect(existsSync(path.join(dir, `control.${name}.sock`))).toBe(true);
      expect(existsSync(path.join(dir, `supervisor.${name}.json`))).toBe(true);
    }
    expect(existsSync(path.join(dir, 'control.sock'))).toBe(false);

    // A second serve of a.yaml refuses naming a.yaml's runtime, not b.yaml's.
    const again = await runCli(['serve', '--config', a], { cwd: p.root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`already running for ${a} (pid ${sa.child.pid}`);

    // A request that names another lanes.yaml is refused before anything is done; the lane
    // verbs name their file (and ask no health first).
    const betaPid = (await lanesOf(b))?.[0]?.worker.pid;
    const refused = await requestJson(
      path.join(dir, 'control.b.yaml.sock'),
      'POST',
      '/v1/lanes/beta/restart',
      undefined,
      10_000,
      { [CONFIG_HEADER]: encodeURIComponent(a) },
    );
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'wrong_config' } } });
    expect((await lanesOf(b))?.[0]?.worker.pid).toBe(betaPid);
    const alphaPid = (await lanesOf(a))?.[0]?.worker.pid;
    const restarted = await runCli(['restart', 'alpha', '--config', a], { cwd: p.root });
    expect(restarted.code, restarted.stderr).toBe(0);
    expect((await lanesOf(a))?.[0]?.worker.pid).not.toBe(alphaPid);

    // Stopping one leaves the other running.
    sa.child.kill('SIGTERM');
    expect(await sa.exited).toEqual({ code: 0, signal: null });
    expect((await lanesOf(b))?.[0]?.worker.state).toBe('running');
    const noRuntime = await runCli(['status', '--config', a], { cwd: p.root });
    expect(noRuntime.code).toBe(3);
    sb.child.kill('SIGTERM');
    expect(await sb.exited).toEqual({ code: 0, signal: null });
    expect(alive(recordedPids(p))).toEqual([]);
  });
});
