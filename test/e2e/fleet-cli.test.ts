/**
 * The fleet from the command line (the built CLI as a child process) against a real
 * nats-server: `--json --nats` answers from the bucket with every lane's host and the
 * hosts list; the verbs reach remote lanes with receipts and the documented exit codes;
 * `serve --nats` joins the fleet and leaves it offline when stopped. The lean `--json
 * --nats` (src/cli/fleet/json-lean.ts): which command lines it serves, the same snapshot
 * as the full command line, a fresh server, an unreachable one.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetHarness } from '../helpers/fleet-hosts.js';
import { freePort, startNats, type TestNats } from '../helpers/nats-server.js';
import { parseLeanFleetJson, parseLeanFleetVerb } from '../../src/cli/fleet/lean-args.js';
import { runCli, startCli } from '../helpers/e2e-cli.js';
import { loadSnapshotValidator } from '../helpers/e2e-schema.js';
import { makeTempDir, removeDir, waitFor, workerFixture } from '../helpers/supervisor-helpers.js';

const harness = fleetHarness();
let nats: TestNats;
const dirs: string[] = [];

beforeEach(async () => {
  nats = await startNats();
});
afterEach(async () => {
  await harness.cleanup();
  await nats.dispose();
  for (const d of dirs.splice(0)) removeDir(d);
});

type Snap = {
  lanes: {
    id: string;
    host: string;
    hostOnline: boolean;
    worker: { state: string; pid: number | null };
  }[];
  hosts: { id: string; online: boolean; lastSeen: string | null }[];
};

const fleetJson = async (more: readonly string[] = []): Promise<Snap> => {
  const r = await runCli(['--json', '--nats', nats.url, ...more], { cwd: makeDir() });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Snap;
};

function makeDir(): string {
  const d = makeTempDir('lb-fleet-cli-');
  dirs.push(d);
  return d;
}

describe('fleet CLI', () => {
  it('--json --nats: two hosts, every lane with its host, hosts listed; valid against the schema', async () => {
    await harness.host('alpha', nats.url, ['a1']);
    await harness.host('beta', nats.url, ['b1', 'b2']);
    const snap = await waitFor(async () => {
      const s = await fleetJson();
      return s.lanes.length === 3 ? s : null;
    }, 10_000);
    expect(snap.lanes.map((l) => `${l.host}/${l.id}`)).toEqual(['alpha/a1', 'beta/b1', 'beta/b2']);
    expect(snap.hosts.map((h) => [h.id, h.online])).toEqual([
      ['alpha', true],
      ['beta', true],
    ]);
    const validate = loadSnapshotValidator(
      new URL('../../schema/snapshot.schema.json', import.meta.url).pathname,
    );
    expect(validate(snap)).toEqual([]);
  });

  it('verbs: restart and steer a remote lane with receipts; exit codes 0, 2 (unknown lane / bad target), 3 (no runtime)', async () => {
    const alpha = await harness.host('alpha', nats.url, ['a1']);
    const start = await runCli(['start', 'alpha/a1', '--nats', nats.url]);
    expect(start.code).toBe(0);
    expect(start.stderr).toMatch(/start alpha\/a1: pending\n.*delivered\n.*done/);
    const restart = await runCli(['restart', 'alpha/a1', '--nats', nats.url]);
    expect(restart.code).toBe(0);
    const steer = await runCli(['steer', 'alpha/a1', 'look at the flaky test', '--nats', nats.url]);
    expect(steer.code).toBe(0);
    expect(alpha.calls.get('restart:a1')).toBe(1);
    expect(alpha.calls.get('steer:a1')).toBe(1);
    expect((await runCli(['stop', 'alpha/nope', '--nats', nats.url])).code).toBe(2);
    expect((await runCli(['stop', 'no-slash', '--nats', nats.url])).code).toBe(2);
    const ghost = await runCli(['stop', 'ghost/x', '--nats', nats.url, '--timeout', '300']);
    expect(ghost.code).toBe(3);
    expect(ghost.stderr).toMatch(/not delivered/);
  });

  it('logs <host>/<lane> --nats: the remote worker log, followed with -f across a restart; exit 2 / 3', async () => {
    await harness.host('alpha', nats.url, ['a1']);
    expect((await runCli(['start', 'alpha/a1', '--nats', nats.url])).code).toBe(0);
    const once = await waitFor(async () => {
      const r = await runCli(['logs', 'alpha/a1', '--nats', nats.url]);
      return r.code === 0 && /sleep worker \d+ started/.test(r.stdout) ? r : null;
    }, 5_000);
    expect(once.stderr).toBe('');
    const follow = startCli(['logs', 'alpha/a1', '-f', '--nats', nats.url]);
    try {
      await waitFor(() => follow.lines.length === 1, 5_000, 'the tail');
      expect((await runCli(['restart', 'alpha/a1', '--nats', nats.url])).code).toBe(0);
      await waitFor(() => follow.lines.length === 2, 5_000, 'the new worker line followed');
      expect(follow.lines[1]).toMatch(/sleep worker \d+ started/);
      expect(follow.lines[1]).not.toBe(follow.lines[0]);
      follow.child.kill('SIGTERM');
      expect((await follow.exited).code).toBe(0);
    } finally {
      follow.kill();
    }
    const unknown = await runCli(['logs', 'alpha/nope', '--nats', nats.url]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/no such lane/)]);
    const ghost = await runCli(['logs', 'ghost/x', '--nats', nats.url]);
    expect([ghost.code, ghost.stderr]).toEqual([
      3,
      expect.stringMatching(/no runtime of host ghost/),
    ]);
  });

  it('--json --watch --nats streams the fleet: a new host appears, a stopped one goes offline', async () => {
    await harness.host('alpha', nats.url, ['a1']);
    const watch = startCli(['--json', '--watch', '--nats', nats.url], { cwd: makeDir() });
    try {
      const last = (): Snap | null => {
        const line = watch.lines[watch.lines.length - 1];
        return line ? (JSON.parse(line) as Snap) : null;
      };
      await waitFor(() => last()?.lanes.length === 1, 10_000, 'alpha in the stream');
      const beta = await harness.host('beta', nats.url, ['b1']);
      await waitFor(() => last()?.lanes.length === 2, 5_000, 'beta in the stream');
      await beta.fleet.dispose();
      await waitFor(
        () => last()?.hosts.find((h) => h.id === 'beta')?.online === false,
        5_000,
        'beta offline in the stream',
      );
      expect(last()?.lanes.find((l) => l.id === 'b1')?.hostOnline).toBe(false);
    } finally {
      watch.child.kill('SIGTERM');
      await watch.exited;
    }
  });

  it('serve --nats joins the fleet; SIGTERM leaves it offline with its lanes kept', async () => {
    const root = makeDir();
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    writeFileSync(
      join(root, 'lanes.yaml'),
      [
        'lanes:',
        '  - id: s1',
        `    repo: ${root}`,
        `    worktree: ${root}`,
        '    branch: main',
        `    command: ["${process.execPath}", "${workerFixture('sleep.cjs')}"]`,
        '    autostart: true',
        '',
      ].join('\n'),
    );
    const serve = startCli(['serve', '--nats', nats.url, '--host', 'gamma'], { cwd: root });
    try {
      const up = await waitFor(
        async () => {
          const s = await fleetJson();
          const l = s.lanes.find((x) => x.host === 'gamma' && x.id === 's1');
          return l?.worker.state === 'running' ? s : null;
        },
        15_000,
        `gamma/s1 running (serve stderr: ${serve.stderr()})`,
      );
      expect(up.hosts.find((h) => h.id === 'gamma')?.online).toBe(true);
      expect(serve.stderr()).toMatch(/fleet: host gamma joined nats:\/\/127\.0\.0\.1:\d+/);
      serve.child.kill('SIGTERM');
      expect((await serve.exited).code).toBe(0);
      const down = await fleetJson();
      expect(down.hosts.find((h) => h.id === 'gamma')?.online).toBe(false);
      const lane = down.lanes.find((l) => l.id === 's1');
      expect(lane?.hostOnline).toBe(false);
      expect(lane?.worker.state).not.toBe('running');
    } finally {
      serve.kill();
    }
  }, 40_000);

  it('serve refuses an unreachable fleet server with exit 1 and no credentials in the message', async () => {
    const root = makeDir();
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    writeFileSync(
      join(root, 'lanes.yaml'),
      `lanes:\n  - id: s1\n    repo: ${root}\n    worktree: ${root}\n    branch: main\n    command: ["true"]\n`,
    );
    await nats.stop();
    const r = await runCli(['serve', '--nats', `nats://bob:hunter2@127.0.0.1:${nats.port}`], {
      cwd: root,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to NATS at nats:\/\/\*\*\*@127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(/hunter2/);
  });
});

describe('lean fleet --json', () => {
  it('serves only --json [--pretty] with --nats/--host/--creds (or LANEBOARD_NATS_URL) and no lanes.yaml', () => {
    const none = () => false;
    const url = 'nats://127.0.0.1:1';
    expect(parseLeanFleetJson(['--json', '--nats', url], {}, none)).toEqual({
      fleet: { url },
      pretty: false,
    });
    expect(
      parseLeanFleetJson(['--pretty', `--nats=${url}`, '--json', '--host', 'h'], {}, none),
    ).toEqual({ fleet: { url, host: 'h' }, pretty: true });
    expect(parseLeanFleetJson(['--json'], { LANEBOARD_NATS_URL: url }, none)).toEqual({
      fleet: { url },
      pretty: false,
    });
    expect(parseLeanFleetJson(['--json', '--nats', url], {}, () => true)).toBeNull();
    expect(parseLeanFleetJson(['--json', '--watch', '--nats', url], {}, none)).toBeNull();
    expect(parseLeanFleetJson(['--json', '-c', 'x.yaml', '--nats', url], {}, none)).toBeNull();
    expect(parseLeanFleetJson(['--nats', url], {}, none)).toBeNull();
    expect(parseLeanFleetJson(['--json'], {}, none)).toBeNull();
    expect(parseLeanFleetJson(['--json', '--nats'], {}, none)).toBeNull();
    expect(parseLeanFleetJson(['status', '--json', '--nats', url], {}, none)).toBeNull();
  });

  it('the lean verb serves restart|stop|start|clear <host>/<lane> in fleet mode only', () => {
    const url = 'nats://127.0.0.1:1';
    expect(parseLeanFleetVerb(['restart', 'a/l1', '--nats', url], {})).toEqual({
      verb: 'restart',
      target: 'a/l1',
      fleet: { url },
    });
    expect(
      parseLeanFleetVerb(['stop', '--timeout=2s', 'a/l1', '--creds', 'f'], {
        LANEBOARD_NATS_URL: url,
      }),
    ).toEqual({ verb: 'stop', target: 'a/l1', fleet: { url, creds: 'f' }, timeoutMs: 2_000 });
    expect(parseLeanFleetVerb(['clear', 'a/l1', '--timeout', '300', '--nats', url], {})).toEqual({
      verb: 'clear',
      target: 'a/l1',
      fleet: { url },
      timeoutMs: 300,
    });
    expect(parseLeanFleetVerb(['restart', 'l1', '--nats', url], {})).toBeNull();
    expect(parseLeanFleetVerb(['restart', 'a/l1'], {})).toBeNull();
    expect(parseLeanFleetVerb(['restart', 'a/l1', 'b/l2', '--nats', url], {})).toBeNull();
    expect(parseLeanFleetVerb(['restart', '--all', '--nats', url], {})).toBeNull();
    expect(parseLeanFleetVerb(['steer', 'a/l1', 'hi', '--nats', url], {})).toBeNull();
    expect(
      parseLeanFleetVerb(['restart', 'a/l1', '--timeout', '5m', '--nats', url], {}),
    ).toBeNull();
  });

  it('a fresh server: the first call creates the buckets; then the lean and the full path print the same fleet', async () => {
    // No buckets yet: the lean verb hands over to the full path, which creates them.
    const ghost = await runCli(['stop', 'ghost/x', '--nats', nats.url, '--timeout', '300']);
    expect([ghost.code, ghost.stderr]).toEqual([3, expect.stringMatching(/not delivered/)]);
    const empty = await fleetJson();
    expect(empty.lanes).toEqual([]);
    await harness.host('alpha', nats.url, ['a1']);
    await harness.host('beta', nats.url, ['b1', 'b2']);
    const lean = await waitFor(async () => {
      const s = await fleetJson();
      return s.lanes.length === 3 ? s : null;
    }, 10_000);
    // `-c` with a missing lanes.yaml: the full command line, nothing local to merge.
    const full = await fleetJson(['-c', 'missing.yaml']);
    expect(lean.lanes.map((l) => `${l.host}/${l.id}`)).toEqual(['alpha/a1', 'beta/b1', 'beta/b2']);
    // `lastSeen` moves with each host's heartbeat (3 s), which may fall between the calls.
    const seen = (s: Snap) => s.hosts.map((h) => ({ ...h, lastSeen: null }));
    expect(seen(lean)).toEqual(seen(full));
    for (const [i, h] of lean.hosts.entries())
      expect(Date.parse(h.lastSeen ?? '')).toBeLessThanOrEqual(
        Date.parse(full.hosts[i]?.lastSeen ?? ''),
      );
    expect(lean.lanes.map((l) => JSON.stringify(l))).toEqual(
      full.lanes.map((l) => JSON.stringify(l)),
    );
  });

  it('an unreachable server: exit 1, one line, no credentials', async () => {
    const port = await freePort();
    const r = await runCli(['--json', '--nats', `nats://op:s3cret@127.0.0.1:${port}`], {
      cwd: makeDir(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^laneboard: cannot connect to NATS at nats:\/\/\*\*\*@127\.0\.0\.1:\d+/,
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
