/**
 * Verdicts that need a real git worktree: stale green (result commit ≠ HEAD), "red, but N
 * commits behind main", and workspace mismatches (hook cwd, native workspaceRoot,
 * claw-code event) that keep an otherwise merge-ready lane from being merge-ready until
 * the operator clears them. Real temp repos, the real git probe and bridge reader.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFixtureLines } from '../helpers/dialect-fixtures.js';
import {
  appendBridgeLines,
  bridgeReader,
  cleanupLaneEnvs,
  copyFixture,
  laneSnap,
  makeLaneEnv,
  probeInto,
  readInto,
  writeBridgeJson,
  type LaneEnv,
} from '../helpers/dialects-e2e-env.js';
import { commitFile, git } from '../helpers/git-fixtures.js';

afterEach(cleanupLaneEnvs);

const T = Date.parse('2026-11-20T10:15:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function head(env: LaneEnv): string {
  return git(env.worktree, 'rev-parse', 'HEAD');
}

/** A native green result for `commit` at level `package`. */
function greenResult(commit: string): Record<string, unknown> {
  return {
    schema: 'laneboard.result/1',
    ok: true,
    finishedAt: iso(T),
    summary: 'done',
    tests: { status: 'green', level: 'package', passed: 3, failed: 0, skipped: 0, commit },
    commit: { commit, branch: 'lane/x' },
  };
}

/** A native finished state reporting `workspaceRoot`. */
function finishedState(workspaceRoot: string, at = T): Record<string, unknown> {
  return {
    schema: 'laneboard.state/1',
    status: 'finished',
    phase: 'done',
    workspaceRoot,
    updatedAt: iso(at),
  };
}

describe('stale green', () => {
  it('a green result on HEAD is merge-ready; after a new commit it is stale and never merge-ready', async () => {
    const env = makeLaneEnv('green', T);
    writeBridgeJson(env, 'state.json', finishedState(env.worktree));
    writeBridgeJson(env, 'result.json', greenResult(head(env)));
    await readInto(env, T);
    await probeInto(env, T);
    let s = laneSnap(env);
    expect(s.tests).toMatchObject({ status: 'green', level: 'package', stale: false });
    expect(s.mergeReasons).toEqual([]);
    expect(s.mergeReady).toBe(true);

    commitFile(env.worktree, 'more work', 'work.txt');
    await probeInto(env, T + 1_000);
    s = laneSnap(env);
    expect(s.tests).toMatchObject({ status: 'green', stale: true });
    expect(s.tests.commit).not.toBe(head(env));
    expect(s.mergeReady).toBe(false);
    expect(s.mergeReasons).toEqual(['green result is not for the current HEAD']);
  });
});

describe('stale branch before blame', () => {
  it('red and 3 commits behind main says "rebase before debugging", with git as the source', async () => {
    const env = makeLaneEnv('red', T);
    for (const subject of ['fix: flaky socket', 'fix: retry cap', 'docs: usage'])
      commitFile(env.repo, subject, `${subject.replace(/\W+/g, '-')}.txt`);
    writeBridgeJson(env, 'result.json', {
      ...greenResult(head(env)),
      ok: false,
      tests: { status: 'red', level: 'package', passed: 1, failed: 2, commit: head(env) },
      failureClass: 'test',
    });
    await readInto(env, T);
    await probeInto(env, T);
    const s = laneSnap(env);
    expect(s.tests).toMatchObject({ status: 'red', stale: false });
    expect(s.blockers.find((b) => b.failureClass === 'stale_branch')).toEqual({
      failureClass: 'stale_branch',
      detail: 'red, but 3 commits behind main: rebase before debugging',
      nextAction: 'rebase onto main (or merge it) before trusting test results',
      source: { file: 'git', at: iso(T), line: null, event: null },
      since: null,
      resetAt: null,
    });
    const snap = s as unknown as { git: { behind: number; missingCommits: string[] } };
    expect(snap.git.behind).toBe(3);
    expect(snap.git.missingCommits).toEqual(['fix: flaky socket', 'fix: retry cap', 'docs: usage']);
    expect(s.mergeReady).toBe(false);
  });
});

describe('workspace mismatch is sticky and blocks merge readiness until cleared', () => {
  /** Green on HEAD, clean, fresh: merge-ready unless something blocks. */
  async function readyLane(name: string): Promise<LaneEnv> {
    const env = makeLaneEnv(name, T);
    writeBridgeJson(env, 'result.json', greenResult(head(env)));
    await probeInto(env, T);
    return env;
  }

  it('from a hook cwd outside the worktree (fixture line 8), through later events', async () => {
    const env = await readyLane('auth');
    const reader = bridgeReader(env);
    copyFixture(
      env,
      'claude-code-hooks/hook-events.jsonl',
      path.join(env.bridge, 'hook-events.jsonl'),
    );
    await reader.read(T);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'finished' });
    expect(s.blockers.map((b) => [b.failureClass, b.source.line])).toEqual([
      ['workspace_mismatch', 8],
    ]);
    expect(s.mergeReasons).toEqual(['blocked']);

    // A new session in the right worktree does not make the old phantom writes go away.
    const base = { session_id: 'next', transcript_path: '/t.jsonl', cwd: env.worktree };
    appendBridgeLines(
      env,
      'hook-events.jsonl',
      { ...base, hook_event_name: 'SessionStart', source: 'startup' },
      { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
    );
    await reader.read(T + 1_000);
    s = laneSnap(env);
    expect(s.blockers.map((b) => b.failureClass)).toEqual(['workspace_mismatch']);
    expect(s.mergeReady).toBe(false);

    env.store.dispatch({ type: 'lane/clearBlockers', laneId: 'auth', at: T + 2_000 });
    s = laneSnap(env);
    expect(s.blockers).toEqual([]);
    expect(s.mergeReady).toBe(true);
    reader.close();
  });

  it('from a native state.json workspaceRoot outside the worktree', async () => {
    const env = await readyLane('native');
    const reader = bridgeReader(env);
    writeBridgeJson(env, 'state.json', finishedState('/elsewhere/wt/native'));
    await reader.read(T);
    let s = laneSnap(env);
    expect(s.blockers).toEqual([
      {
        failureClass: 'workspace_mismatch',
        detail: `agent reports workspace /elsewhere/wt/native, outside the lane's worktree ${env.worktree}`,
        nextAction:
          'check where the agent is writing before trusting its result; c clears once resolved',
        source: { file: 'state.json', at: iso(T), line: null, event: null },
        since: iso(T),
        resetAt: null,
      },
    ]);
    expect(s.mergeReasons).toEqual(['blocked']);

    env.store.dispatch({ type: 'lane/clearBlockers', laneId: 'native', at: T + 1_000 });
    expect(laneSnap(env).mergeReady).toBe(true);

    // The agent reports the outside workspace again: a new fact, so the blocker is back.
    writeBridgeJson(env, 'state.json', finishedState('/elsewhere/wt/native', T + 2_000));
    await reader.read(T + 2_000);
    s = laneSnap(env);
    expect(s.blockers.map((b) => b.failureClass)).toEqual(['workspace_mismatch']);
    expect(s.mergeReady).toBe(false);

    // Reporting the lane's own worktree is not a mismatch.
    writeBridgeJson(env, 'state.json', finishedState(`${env.worktree}/src/..`, T + 3_000));
    await reader.read(T + 3_000);
    expect(laneSnap(env).mergeReady).toBe(true);
    reader.close();
  });

  it('from claw-code branch.workspace_mismatch, still standing after lane.finished', async () => {
    const env = await readyLane('claw');
    const reader = bridgeReader(env);
    const lines = readFixtureLines('claw-code/lane-events.jsonl').map((l) => l.value);
    appendBridgeLines(env, 'events.jsonl', lines[4]);
    await reader.read(T);
    expect(laneSnap(env).blockers.map((b) => b.failureClass)).toEqual(['workspace_mismatch']);

    appendBridgeLines(env, 'events.jsonl', lines[6]);
    await reader.read(T + 1_000);
    let s = laneSnap(env);
    expect(s.agent).toMatchObject({ status: 'finished' });
    expect(s.blockers.map((b) => [b.failureClass, b.detail, b.source.line])).toEqual([
      ['workspace_mismatch', 'agent works in /tmp/repo-b, expected /tmp/repo-a', 1],
    ]);
    expect(s.mergeReasons).toEqual(['blocked']);

    env.store.dispatch({ type: 'lane/clearBlockers', laneId: 'claw', at: T + 2_000 });
    s = laneSnap(env);
    expect(s.blockers).toEqual([]);
    expect(s.mergeReady).toBe(true);
    reader.close();
  });
});
