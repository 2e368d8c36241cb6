/**
 * A pi-crew run as a lane, end to end through the built CLI: the lane's bridge is the run's
 * state root, so laneboard reads pi-crew's own events.jsonl (TeamEvent lines) as the
 * lane's events; steering goes through `laneboard crew-steer` as the lane's steer command,
 * which writes the task's mailbox inbox and confirms delivery from pi-crew's
 * mailbox/delivery.json (written here by a stand-in for pi-crew's runner: pi-crew itself is
 * an extension of the pi agent and does not run without it).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { laneboardBin, runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { cleanupProjects, makeProject, type Project } from '../helpers/e2e-project.js';

const running: RunningCli[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.kill();
    await r.exited;
  }
  cleanupProjects();
});

function crewProject(): { p: Project; run: string } {
  const p = makeProject();
  p.addLane('crew', 'lane/crew');
  const run = path.join(p.root, 'crew-state', 'runs', 'run_7f3a');
  mkdirSync(run, { recursive: true });
  writeFileSync(
    path.join(run, 'manifest.json'),
    JSON.stringify({ schemaVersion: 1, runId: 'run_7f3a', status: 'running' }),
  );
  const argv = [
    process.execPath,
    laneboardBin(),
    'crew-steer',
    '--state-root',
    '{bridge}',
    '--task',
    'impl-1',
    '--id',
    '{id}',
    '--wait',
    '5s',
    '{message}',
  ];
  p.writeConfig(
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      'lanes:',
      '  - id: crew',
      '    worktree: wt/crew',
      '    branch: lane/crew',
      `    bridge: ${JSON.stringify(run)}`,
      `    steer: { command: ${JSON.stringify(argv)} }`,
      '',
    ].join('\n'),
  );
  return { p, run };
}

let seq = 0;
const teamEvent = (run: string, type: string, extra: Record<string, unknown> = {}): void =>
  appendFileSync(
    path.join(run, 'events.jsonl'),
    `${JSON.stringify({ time: new Date().toISOString(), type, runId: 'run_7f3a', metadata: { seq: ++seq }, ...extra })}\n`,
  );

async function lane(
  p: Project,
): Promise<{ agent: { status: string } | null; blockers: { failureClass: string }[] }> {
  const r = await runCli(['--json', '--config', p.config]);
  expect(r.code, r.stderr).toBe(0);
  return (
    JSON.parse(r.stdout) as {
      lanes: { agent: { status: string } | null; blockers: { failureClass: string }[] }[];
    }
  ).lanes[0]!;
}

describe('pi-crew run as a lane', () => {
  it('run and task outcomes from its events.jsonl become the lane state', async () => {
    const { p, run } = crewProject();
    teamEvent(run, 'run.running');
    teamEvent(run, 'task.started', { taskId: 'impl-1' });
    expect((await lane(p)).agent?.status).toBe('running');
    teamEvent(run, 'run.failed', { message: 'worker exceeded 20m', data: { outcome: 'timeout' } });
    const failed = await lane(p);
    expect(failed.agent?.status).toBe('failed');
    expect(failed.blockers.map((b) => b.failureClass)).toEqual(['timeout']);
    teamEvent(run, 'run.running');
    teamEvent(run, 'run.completed', { data: { outcome: 'ok' } });
    const done = await lane(p);
    expect(done.agent?.status).toBe('finished');
    expect(done.blockers).toEqual([]);
  });

  it('steering lands in the task mailbox and is confirmed from delivery.json', async () => {
    const { p, run } = crewProject();
    const serve = startCli(['serve', '--config', p.config], { cwd: p.root });
    running.push(serve);
    await waitFor(
      async () => (await runCli(['status', '--json', '--config', p.config])).code === 0,
      'serve',
      {
        timeoutMs: 20_000,
        intervalMs: 200,
        detail: () => serve.stderr(),
      },
    );
    const steer = runCli(
      [
        'steer',
        'crew',
        'also',
        'cover',
        'HTTP',
        '503',
        '--wait',
        '--timeout',
        '20s',
        '--config',
        p.config,
      ],
      {
        timeoutMs: 30_000,
      },
    );
    // Stand-in for pi-crew's runner: it reads the inbox and records the delivery.
    const inbox = path.join(run, 'mailbox', 'tasks', 'impl-1', 'inbox.jsonl');
    // The line counts once it is whole: the file can exist, empty or mid-line, before the
    // append that writes it has finished.
    const msg = await waitFor(() => {
      const text = existsSync(inbox) ? readFileSync(inbox, 'utf8') : '';
      return text.endsWith('\n') ? (JSON.parse(text.trim()) as Record<string, unknown>) : null;
    }, 'the mailbox message');
    expect(msg).toMatchObject({
      runId: 'run_7f3a',
      direction: 'inbox',
      from: 'laneboard',
      to: 'impl-1',
      body: 'also cover HTTP 503',
      status: 'queued',
      kind: 'steer',
      taskId: 'impl-1',
    });
    writeFileSync(
      path.join(run, 'mailbox', 'delivery.json'),
      JSON.stringify({
        messages: { [String(msg.id)]: 'delivered' },
        updatedAt: new Date().toISOString(),
      }),
    );
    const r = await steer;
    expect(r.code, r.stderr).toBe(0);
    const acks = readFileSync(path.join(run, 'hook-events.jsonl'), 'utf8');
    expect(acks).toContain('"event":"steer.acknowledged"');
    expect(acks).toContain(String(msg.id));
  });
});
