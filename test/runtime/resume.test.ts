/**
 * Resume at usage-limit reset (restart.on_rate_limit), with a real runtime (supervisor,
 * bridge watcher, store) and real worker processes: a stand-in for a headless Claude Code
 * (test/fixtures/workers/headless-429.cjs) that exits on a 429 and succeeds when resumed.
 * Probe intervals are configured short, so no fake time is needed.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import {
  DEFAULT_RATE_LIMIT,
  type LaneConfig,
  type RateLimitConfig,
} from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import type { LaneView } from '../../src/state/view-types.js';
import {
  makeTempDir,
  removeDir,
  testConfig,
  testLane,
  waitFor,
  workerFixture,
} from '../helpers/supervisor-helpers.js';

const FAKE = workerFixture('headless-429.cjs');
const RECORD = workerFixture('record-args.cjs');

const dirs: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.dispose();
  for (const d of dirs.splice(0)) removeDir(d);
});

function lane(
  root: string,
  id: string,
  rl: Partial<RateLimitConfig>,
  over: Partial<LaneConfig> = {},
) {
  return testLane(root, id, {
    command: [process.execPath, FAKE],
    restart: 'on-failure',
    autostart: true,
    rateLimit: { ...DEFAULT_RATE_LIMIT, jitterMs: 0, ...rl },
    ...over,
  });
}

async function run(lanes: (root: string) => LaneConfig[]): Promise<{ rt: Runtime; root: string }> {
  const root = makeTempDir('lb-resume-');
  dirs.push(root);
  const rt = await createRuntime(testConfig(root, lanes(root)), { mode: 'supervise', tickMs: 100 });
  runtimes.push(rt);
  await rt.start();
  return { rt, root };
}

const view = (rt: Runtime, id: string): LaneView => selectLaneView(rt.store.getState(), id);

function runs(root: string, id: string): { at: number; argv: string[] }[] {
  const f = join(root, 'bridge', id, 'argv.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { at: number; argv: string[] });
}

const rateLimited = (v: LaneView): boolean =>
  v.blockers.some((b) => b.failureClass === 'rate_limit');

describe('restart.on_rate_limit: resume', () => {
  it('parks a 429 exit (no policy restart), then resumes the session with its resume command', async () => {
    const { rt, root } = await run((root) => [
      lane(root, 'a', {
        action: 'resume',
        resumeCommand: [process.execPath, FAKE, '--resume', '{session}'],
        probeMs: 1_500,
        probeMaxMs: 1_500,
      }),
    ]);
    // Parked: the 429 came from the worker's own output (no StopFailure hook line).
    const parked = await waitFor(
      () => {
        const v = view(rt, 'a');
        const ok = v.worker.state === 'parked' && v.worker.nextStartInMs !== null;
        return ok && rateLimited(v) ? v : null;
      },
      10_000,
      'the lane parked with a resume time',
    );
    expect(parked.worker.exitCode).toBe(1);
    expect(parked.agent.status).toBe('blocked');
    const hooks = readFileSync(join(root, 'bridge', 'a', 'hook-events.jsonl'), 'utf8');
    expect(hooks).toMatch(/"hook_event_name":"StopFailure"[^\n]*"source":"worker output"/);
    expect(runs(root, 'a')).toHaveLength(1);

    // Resumed after the probe interval: `--resume <session id of the failed run>`.
    const done = await waitFor(
      () => {
        const v = view(rt, 'a');
        return v.worker.state === 'exited' &&
          v.worker.exitCode === 0 &&
          v.agent.status === 'finished'
          ? v
          : null;
      },
      10_000,
      'the resumed run to finish',
    );
    const r = runs(root, 'a');
    expect(r).toHaveLength(2);
    expect(r[1]?.argv).toEqual(['--resume', 'sess-1']);
    expect((r[1]?.at ?? 0) - (r[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_400);
    expect(done.agent.status).toBe('finished');
    expect(rateLimited(done)).toBe(false);
    expect(done.worker.restarts).toBe(1);
  }, 30_000);

  it('resumes at the reset time from the worker output, lanes at least 1 s apart', async () => {
    const rl = { action: 'resume' as const, probeMs: 60_000, probeMaxMs: 60_000 };
    const env = { RESET_IN_S: '2' };
    const { rt, root } = await run((root) => [
      lane(root, 'a', rl, { env }),
      lane(root, 'b', rl, { env }),
    ]);
    const v = await waitFor(
      () => {
        const a = view(rt, 'a');
        return a.worker.state === 'parked'
          ? a.blockers.find((b) => b.failureClass === 'rate_limit')
          : undefined;
      },
      10_000,
      'a parked rate limit',
    );
    expect(v.resetAt).toEqual(expect.any(Number));
    await waitFor(
      () => runs(root, 'a').length === 2 && runs(root, 'b').length === 2,
      15_000,
      'both resumed',
    );
    // The planned times (the notices) are at least 1 s apart; the runs' own start times
    // follow them (process start-up varies by a few hundred ms on a shared machine).
    const due = rt.store
      .getState()
      .notices.flatMap((n) => /resuming at (\S+)/.exec(n.message)?.[1] ?? [])
      .map((t) => Date.parse(t));
    expect(due).toHaveLength(2);
    expect(Math.abs((due[0] ?? 0) - (due[1] ?? 0))).toBeGreaterThanOrEqual(1_000);
    const [a, b] = [runs(root, 'a')[1]?.at ?? 0, runs(root, 'b')[1]?.at ?? 0];
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(500);
    // Not before the reset time (resetsAt is whole seconds: at most 1 s early).
    expect(Math.min(a, b)).toBeGreaterThanOrEqual((v.resetAt ?? 0) - 50);
    // No resume command: the lane's own command started again.
    expect(runs(root, 'a')[1]?.argv).toEqual([]);
  }, 30_000);

  it('sends "continue" through the steering channel to a worker that still runs', async () => {
    const { rt, root } = await run((root) => [
      lane(
        root,
        's',
        { action: 'resume', probeMs: 500, probeMaxMs: 500, resumeMessage: 'continue please' },
        {
          env: { STAY: '1' },
          steer: {
            mode: 'command',
            argv: [process.execPath, RECORD, join(root, 'steered.json'), '{message}'],
          },
        },
      ),
    ]);
    await waitFor(() => rateLimited(view(rt, 's')), 10_000, 'the rate limit');
    expect(view(rt, 's').worker.state).toBe('running');
    const sent = await waitFor(
      () => {
        // The recorder writes the file in one call, but a read can land between the
        // create and the write: only a complete JSON document counts.
        if (!existsSync(join(root, 'steered.json'))) return null;
        const text = readFileSync(join(root, 'steered.json'), 'utf8');
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return null;
        }
      },
      10_000,
      'the steering command',
    );
    expect(sent).toEqual(['continue please']);
    expect(runs(root, 's')).toHaveLength(1);
  }, 30_000);

  it('on_rate_limit: park never restarts into the window, even with restart: always', async () => {
    const { rt, root } = await run((root) => [
      lane(root, 'p', { action: 'park', probeMs: 200, probeMaxMs: 200 }, { restart: 'always' }),
    ]);
    await waitFor(() => view(rt, 'p').worker.state === 'parked', 10_000, 'parked');
    // Several probe intervals and backoff delays later, still one run and still parked.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(runs(root, 'p')).toHaveLength(1);
    expect(view(rt, 'p').worker.state).toBe('parked');
    expect(view(rt, 'p').worker.error).toMatch(/parked until you start it/);
  }, 30_000);
});
