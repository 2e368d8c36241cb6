/**
 * claw-code and live-bridge fixtures end to end: copied into a real bridge dir / the lane
 * worktree's `.claw/worker-state.json`, read by the real bridge reader into a real store,
 * asserted via the selectors and the --json snapshot (including clock-driven changes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/dialect-fixtures.js';
import {
  cleanupLaneEnvs,
  copyFixture,
  freshStore,
  laneSnap,
  makeLaneEnv,
  readInto,
  tick,
} from '../helpers/dialects-e2e-env.js';

afterEach(cleanupLaneEnvs);

const iso = (ms: number): string => new Date(ms).toISOString();
const fixtureJson = (rel: string): unknown =>
  JSON.parse(readFileSync(path.join(FIXTURES, rel), 'utf8')) as unknown;

describe('claw-code worker-state.json in <worktree>/.claw/', () => {
  const UPDATED = 1775280637_000;

  it('trust_required becomes a trust_gate stall only after 60 s, with its source', async () => {
    const env = makeLaneEnv('lane-a', UPDATED);
    copyFixture(
      env,
      'claw-code/worker-state.json',
      path.join(env.worktree, '.claw/worker-state.json'),
    );
    const readAt = UPDATED + 50_000;
    await readInto(env, readAt);
    let s = laneSnap(env);
    const source = { file: '.claw/worker-state.json', at: iso(readAt), line: null, event: null };
    expect(s.agent).toMatchObject({
      status: 'trust_required',
      kind: 'blocked',
      dialect: 'claw-code',
      phase: 'trust prompt detected',
      heartbeat: { at: iso(UPDATED), ageMs: 50_000, liveness: 'warn' },
      notes: {
        workerId: 'worker_69d0a1fd_1',
        ready: 'false',
        trustGateCleared: 'false',
        promptInFlight: 'false',
        lastEvent: 'trust_required: trust prompt detected',
        since: iso(UPDATED),
      },
      source,
    });
    expect(s.blockers).toEqual([]);
    // The whole file verbatim (with the placeholder worktree path mapped), payload included.
    expect(s.raw.claw).toEqual(
      JSON.parse(
        readFileSync(path.join(FIXTURES, 'claw-code/worker-state.json'), 'utf8').replaceAll(
          '/home/dev/wt/',
          `${env.root}/wt/`,
        ),
      ),
    );
    expect(s.raw.claw).toMatchObject({
      last_event: { payload: { type: 'trust_prompt', cwd: env.worktree } },
    });

    tick(env, UPDATED + 74_000); // the fixture's seconds_since_update
    s = laneSnap(env);
    expect(s.agent).toMatchObject({ heartbeat: { ageMs: 74_000, liveness: 'stale' } });
    expect(s.blockers).toEqual([
      {
        failureClass: 'trust_gate',
        detail: 'trust prompt unanswered for 74 s',
        nextAction: "answer the trust prompt in the agent's session (or allowlist the worktree)",
        source,
        since: iso(UPDATED),
        resetAt: null,
      },
    ]);
    expect(s.mergeReady).toBe(false);
  });
});

describe('claw-code lane-events.jsonl', () => {
  const REL = 'claw-code/lane-events.jsonl';
  // emittedAt of each fixture line (RFC 3339 or epoch seconds as a string), epoch ms.
  const AT = [
    1775230717, 1775260800, 1775260900, 1775260800, 1775260860, 1775261000, 1775262000,
  ].map((s) => s * 1000);

  it('each LaneEvent line lands as the contract says (status, blockers, next actions, sources)', async () => {
    const env = makeLaneEnv('lane-a', AT[0] ?? 0);
    const step = async (n: number) => {
      const now = Math.max(...AT.slice(0, n)) + 5_000;
      freshStore(env, now);
      copyFixture(env, REL, path.join(env.bridge, 'events.jsonl'), n);
      await readInto(env, now);
      return { s: laneSnap(env), now };
    };
    const src = (line: number, event: string, now: number) => ({
      file: 'events.jsonl',
      at: iso(now),
      line,
      event,
    });

    let { s, now } = await step(1);
    expect(s.agent).toMatchObject({
      status: 'running',
      kind: 'running',
      dialect: 'claw-code',
      heartbeat: { at: iso(AT[0] ?? 0) },
      source: src(1, 'lane.started', now),
    });
    expect(s.blockers).toEqual([]);

    ({ s, now } = await step(2));
    expect(s.agent).toMatchObject({ status: 'blocked', kind: 'blocked' });
    expect(s.blockers).toEqual([
      {
        failureClass: 'mcp_startup',
        detail: 'MCP handshake failed: test-server (attempt 1) — broken server',
        nextAction: 'check the MCP server configuration, then restart the worker (r)',
        source: src(2, 'lane.blocked', now),
        since: '2026-04-04T00:00:00.000Z',
        resetAt: null,
      },
    ]);

    ({ s, now } = await step(3));
    expect(s.blockers.find((b) => b.failureClass === 'branch_divergence')).toEqual({
      failureClass: 'branch_divergence',
      detail: 'behind main by 3 (missing: fix: flaky socket; fix: retry cap; docs: usage)',
      nextAction: 'merge or rebase main before workspace tests',
      source: src(3, 'branch.stale_against_main', now),
      since: iso(1775260900_000),
      resetAt: null,
    });

    ({ s } = await step(4));
    expect(s.lastEvent).toMatchObject({ name: 'lane.commit.created', detail: 'commit created' });
    expect(s.blockers.map((b) => b.failureClass).sort()).toEqual([
      'branch_divergence',
      'mcp_startup',
    ]);

    ({ s, now } = await step(5));
    expect(s.blockers[0]).toEqual({
      failureClass: 'workspace_mismatch',
      detail: 'agent works in /tmp/repo-b, expected /tmp/repo-a',
      nextAction:
        "check what the agent changed outside the lane's worktree, restart it in the worktree, then clear (c)",
      source: src(5, 'branch.workspace_mismatch', now),
      since: '2026-04-04T00:01:00.000Z',
      resetAt: null,
    });

    ({ s, now } = await step(6));
    expect(s.agent).toMatchObject({ status: 'failed', kind: 'failed' });
    expect(s.blockers.find((b) => b.failureClass === 'test')).toMatchObject({
      detail: '2 tests failed',
      nextAction: 'fix the failing tests, then rerun them',
      source: src(6, 'lane.failed', now),
    });

    ({ s, now } = await step(7));
    expect(s.agent).toMatchObject({
      status: 'finished',
      kind: 'finished',
      phase: 'Finished successfully in commit abc123',
      source: src(7, 'lane.finished', now),
    });
    // Finishing clears everything but the sticky workspace mismatch.
    expect(s.blockers.map((b) => b.failureClass)).toEqual(['workspace_mismatch']);
    expect(s.lastEvent).toMatchObject({ name: 'lane.finished' });
    expect(s.raw.extras.lastEvent).toMatchObject({ name: 'lane.finished', data: { result: 'ok' } });
    env.store.dispatch({ type: 'lane/clearBlockers', laneId: 'lane-a', at: now + 1 });
    expect(laneSnap(env).blockers).toEqual([]);
  });
});

describe('live-bridge state.json + result.json', () => {
  const T = Date.parse('2026-11-20T10:15:00Z');
  const RESET = Date.parse('2026-11-20T11:00:00Z');

  it('a usage-limit block counts down to its reset as the clock ticks; unknown fields stay under raw', async () => {
    const env = makeLaneEnv('develop', T);
    copyFixture(env, 'live-bridge/state.json', path.join(env.bridge, 'state.json'));
    copyFixture(env, 'live-bridge/result.json', path.join(env.bridge, 'result.json'));
    await readInto(env, T);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({
      status: 'blocked',
      kind: 'blocked',
      dialect: 'live-bridge',
      phase: 'claude_usage_limit',
      sessionId: '5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11',
      heartbeat: { at: '2026-11-20T10:14:02.000Z', ageMs: 58_000, liveness: 'warn' },
      notes: {
        tmuxSession: 'slop-develop',
        transcriptPath:
          '/home/dev/.claude/projects/-home-dev-repo/5f0c2a7e-3b1d-4a8e-9c7f-2d1e0b6a9c11.jsonl',
        lane: 'develop',
        reason: 'claude_usage_limit',
        turn: '#7 waiting_reset since 2026-11-20T10:02:11.000Z',
      },
      source: { file: 'state.json', at: iso(T), line: null, event: null },
    });
    const limit = {
      failureClass: 'rate_limit',
      nextAction: 'wait for the limit to reset, then resume the same session',
      source: { file: 'state.json', at: iso(T), line: null, event: null },
      since: '2026-11-20T10:14:02.000Z',
      resetAt: iso(RESET),
    };
    expect(s.blockers).toEqual([{ ...limit, detail: 'usage limit; resets in 45m 0s' }]);

    tick(env, Date.parse('2026-11-20T10:30:00Z'));
    s = laneSnap(env);
    expect(s.blockers.find((b) => b.failureClass === 'rate_limit')).toEqual({
      ...limit,
      detail: 'usage limit; resets in 30m 0s',
    });

    tick(env, RESET + 125_000);
    expect(laneSnap(env).blockers.find((b) => b.failureClass === 'rate_limit')).toEqual({
      ...limit,
      detail: 'usage limit; reset time passed 2m 5s ago',
      nextAction:
        'the limit should have reset: resume the same session (s to steer) or restart (r)',
    });

    // Raw documents verbatim, and the fields the board does not interpret.
    expect(s.raw.state).toEqual(fixtureJson('live-bridge/state.json'));
    expect(s.raw.result).toEqual(fixtureJson('live-bridge/result.json'));
    expect(s.raw.extras).toEqual({
      state: { turn: { id: 7, state: 'waiting_reset', started_at: '2026-11-20T10:02:11Z' } },
      result: { turn: 6 },
    });
    expect(s.problems).toEqual([]);
  });
});
