/**
 * The interactive fleet board in a real terminal (tmux) against a real nats-server and
 * two real `laneboard serve --nats` hosts: from a directory with no lanes.yaml the board
 * shows both hosts' lanes grouped by host, then repo; `r` restarts a remote lane (the
 * host's worker gets a new pid; the detail pane shows the worker log, read from the host
 * over NATS), `s` steers one (the text lands in the host's inbox, and
 * the status line turns "delivered" once the host's worker acknowledges it);
 * a host whose runtime is SIGKILLed turns offline (greyed, marked) with its lanes kept,
 * and a key on its lane ends "not delivered"; `q` leaves the remote workers running. A lane
 * removed from a host's lanes.yaml while its runtime was stopped is gone from `--json
 * --nats` and the board within seconds of the host's next start
 * (src/runtime/fleet/published-record.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';
import { fleetJson, serveHosts } from '../helpers/fleet-serve.js';
import { startNats, type TestNats } from '../helpers/nats-server.js';
import { waitFor, workerFixture } from '../helpers/supervisor-helpers.js';

const hosts = serveHosts();
let nats: TestNats;
let board: BoardTerm | null = null;

beforeEach(async () => {
  if (!hasTmux()) throw new Error('the fleet board e2e test needs tmux on PATH');
  nats = await startNats();
});
afterEach(async () => {
  board?.kill();
  board = null;
  await hosts.cleanup();
  await nats.dispose();
});

describe('fleet board (tmux, two serve hosts)', () => {
  it('two hosts on one board; remote restart and steer with receipts; host loss → offline, lanes kept', async () => {
    const alpha = await hosts.start('alpha', nats.url, ['a1']);
    const beta = await hosts.start('beta', nats.url, ['b1']);
    const probe = hosts.dir('lb-probe-');
    const before = await fleetJson(nats.url, probe);
    const pidOf = (s: typeof before, host: string, id: string) =>
      s.lanes.find((l) => l.host === host && l.id === id)?.worker.pid ?? null;
    const oldPid = pidOf(before, 'alpha', 'a1');
    hosts.track(pidOf(before, 'beta', 'b1'));

    board = startBoard({ cwd: hosts.dir('lb-fleet-board-'), args: ['--nats', nats.url] });
    const b = board;
    // Grouped by host, then repo: each host's heading names it before its repo (both
    // online: under heavy load a first frame may briefly judge a starved host offline).
    const first = await b.waitForFrame(
      (f) => /▸ alpha · .*repo[\s\S]*alpha\/a1[\s\S]*▸ beta · .*repo[\s\S]*beta\/b1/.test(f) && f,
      'both hosts online on the board, grouped by host then repo',
    );
    expect(first).toMatch(/laneboard — fleet nats:\/\/127\.0\.0\.1:\d+/);

    // r on the first lane (alpha/a1): pending (restarting…) → done (restarted), new pid.
    await b.press('r', (f) => /restarted alpha\/a1/.test(f), 'restart receipt');
    const after = await waitFor(
      async () => {
        const s = await fleetJson(nats.url, probe);
        const pid = pidOf(s, 'alpha', 'a1');
        return pid !== null && pid !== oldPid ? s : null;
      },
      10_000,
      'a new pid for alpha/a1 in the fleet',
    );
    hosts.track(pidOf(after, 'alpha', 'a1'));

    // Enter: the detail pane shows the remote worker's log tail, asked of alpha over NATS.
    await b.press(
      'Enter',
      (f) => /worker\.log \(tail\)\n\s+sleep worker \d+ started/.test(f),
      'the worker\u2019s log line in the detail pane',
    );
    await b.press('Escape', (f) => !/worker\.log/.test(f), 'the board again');

    // s: the steer prompt, typed text, Enter → the host wrote it into the lane's inbox.
    await b.press('s', (f) => f.includes('steer alpha/a1 › '), 'the steer prompt');
    await b.type('hello fleet', 'steer alpha/a1 › ');
    await b.press('Enter', (f) => /steer sent to alpha\/a1 \((pending|delivered)\)/.test(f));
    await waitFor(
      () => {
        try {
          return readFileSync(join(alpha.bridge('a1'), 'inbox.jsonl'), 'utf8').includes(
            'hello fleet',
          );
        } catch {
          return false;
        }
      },
      10_000,
      'the steering text in alpha/a1 inbox.jsonl',
    );
    // The worker on alpha acknowledges it: the board follows the host's published
    // steering list to the delivered step.
    const sent = readFileSync(join(alpha.bridge('a1'), 'inbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string })
      .find((m) => m.text === 'hello fleet');
    const ack = {
      event: 'steer.acknowledged',
      status: 'running',
      emittedAt: new Date().toISOString(),
      data: { id: sent?.id },
    };
    writeFileSync(join(alpha.bridge('a1'), 'events.jsonl'), `${JSON.stringify(ack)}\n`, {
      flag: 'a',
    });
    await b.waitForFrame(
      (f) => /steer sent to alpha\/a1 \(delivered\)/.test(f),
      'the steer shown delivered',
      15_000,
    );

    // beta's runtime dies: offline within 15 s, its lane kept (greyed and marked).
    beta.cli.child.kill('SIGKILL');
    const offline = await b.waitForFrame(
      (f) => /▸ beta \(offline\)/.test(f) && f,
      'beta offline on the board',
      16_000,
    );
    expect(offline).toMatch(/beta\/b1/);

    // A key on the offline host's lane: not delivered (expired, never runs late).
    await b.press('j', (f) => /› beta\/b1/.test(f), 'beta/b1 selected');
    await b.press('r', (f) => /restarting beta\/b1/.test(f), 'restart pending');
    await b.waitForFrame(
      (f) => /restart beta\/b1 failed: not delivered/.test(f),
      'not delivered',
      15_000,
    );

    // q: no local workers, so no confirmation; the remote workers keep running.
    await b.press('q', () => b.exitCode() !== null, 'the board to exit');
    expect(b.exitCode()).toBe(0);
    const end = await fleetJson(nats.url, probe);
    expect(end.lanes.find((l) => l.host === 'alpha')?.worker.state).toBe('running');
  }, 120_000);

  it('with a lanes.yaml: its lanes run here, shown first and published as this host (never other hosts\u2019 lanes)', async () => {
    await hosts.start('alpha', nats.url, ['a1']);
    const root = hosts.dir('lb-fleet-local-');
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    writeFileSync(
      join(root, 'lanes.yaml'),
      [
        'lanes:',
        '  - id: g1',
        `    repo: ${root}`,
        `    worktree: ${root}`,
        '    branch: main',
        `    command: ["${process.execPath}", "${workerFixture('sleep.cjs')}"]`,
        '    autostart: true',
        '',
      ].join('\n'),
    );
    board = startBoard({ cwd: root, args: ['--nats', nats.url, '--host', 'gamma'] });
    const b = board;
    const frame = await b.waitForFrame(
      (f) => /› g1 .*run \d+[\s\S]*▸ alpha · [\s\S]*alpha\/a1/.test(f) && f,
      'the local lane first, running, then alpha',
    );
    expect(frame).not.toMatch(/gamma\/g1/);
    const probe = hosts.dir('lb-probe-');
    const snap = await waitFor(
      async () => {
        const s = await fleetJson(nats.url, probe);
        return s.lanes.some((l) => l.host === 'gamma' && l.id === 'g1') ? s : null;
      },
      10_000,
      'gamma/g1 published',
    );
    hosts.track(snap.lanes.find((l) => l.id === 'g1')?.worker.pid ?? null);
    expect(snap.lanes.map((l) => `${l.host}/${l.id}`).sort()).toEqual(['alpha/a1', 'gamma/g1']);
    // Quitting stops this machine's worker (confirmation), not alpha's.
    await b.press('q', (f) => /\by\b/.test(f) && f !== frame, 'the quit confirmation');
    await b.press('y', () => b.exitCode() !== null, 'the board to exit');
    expect(b.exitCode()).toBe(0);
    const end = await fleetJson(nats.url, probe);
    expect(end.lanes.find((l) => l.host === 'alpha')?.worker.state).toBe('running');
  }, 90_000);

  it('a lane removed from lanes.yaml while its host was stopped is gone from --json --nats and the board once the host serves again', async () => {
    const alpha = await hosts.start('alpha', nats.url, ['keep', 'gone']);
    const probe = hosts.dir('lb-probe-');
    const before = await fleetJson(nats.url, probe);
    expect(before.lanes.map((l) => l.id).sort()).toEqual(['gone', 'keep']);
    for (const l of before.lanes) hosts.track(l.worker.pid);

    // Stopped, `gone` taken out of lanes.yaml, started again (waits until `keep` runs).
    await hosts.restart(alpha, nats.url, ['keep']);
    const after = await waitFor(
      async () => {
        const s = await fleetJson(nats.url, probe);
        return s.lanes.every((l) => l.id !== 'gone') ? s : null;
      },
      2_000,
      'gone to leave the fleet snapshot',
    );
    expect(after.lanes.map((l) => `${l.host}/${l.id}`)).toEqual(['alpha/keep']);

    board = startBoard({ cwd: hosts.dir('lb-fleet-board-'), args: ['--nats', nats.url] });
    const frame = await board.waitForFrame(
      (f) => /▸ alpha · [\s\S]*alpha\/keep/.test(f) && f,
      'alpha/keep on the fleet board',
    );
    expect(frame).not.toMatch(/gone/);
  }, 60_000);
});
