/**
 * `laneboard --json` end to end: the built CLI on a real temp project (a git repo with lane
 * branches ahead of, behind and diverged from main in linked worktrees, bridge files
 * written like a worker writes them). Checks the exit code, that stdout is one JSON
 * document valid against the shipped schema with every field issue #2 names, that
 * ahead/behind equal `git rev-list --left-right --count`, and that --json is read-only:
 * it starts no worker and creates no worktree.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { laneboardInstall, runCli } from '../helpers/e2e-cli.js';
import {
  cleanupProjects,
  commit,
  git,
  makeProject,
  revListCounts,
  type Project,
} from '../helpers/e2e-project.js';
import {
  isDateTime,
  loadSnapshotValidator,
  type SnapshotValidator,
} from '../helpers/e2e-schema.js';

/** Field paths every lane must carry (issue #2, "Headless"). */
const LANE_FIELDS = [
  'id',
  'repo',
  'worktree',
  'branch',
  'git.head',
  'git.ahead',
  'git.behind',
  'git.dirty',
  'git.freshness',
  'git.base',
  'worker.state',
  'worker.pid',
  'worker.restarts',
  'worker.exitCode',
  'agent.status',
  'agent.sessionId',
  'agent.heartbeat',
  'tests.status',
  'tests.level',
  'tests.stale',
  'tests.commit',
  'blockers',
  'mergeReady',
  'lastEvent',
];

interface LaneJson {
  id: string;
  repo: string;
  worktree: string;
  branch: string;
  git: {
    head: string | null;
    ahead: number | null;
    behind: number | null;
    dirty: number | null;
    freshness: string;
    base: string;
  };
  worker: { state: string; pid: number | null; restarts: number; exitCode: number | null };
  agent: { status: string | null; sessionId: string | null; heartbeat: unknown };
  tests: { status: string; level: string | null; stale: boolean; commit: string | null };
  blockers: { failureClass: string; detail: string; source: unknown; nextAction: string }[];
  mergeReady: boolean;
  lastEvent: { name: string; detail: string | null } | null;
}

let validate: SnapshotValidator;
beforeAll(() => {
  validate = loadSnapshotValidator(path.join(laneboardInstall(), 'schema', 'snapshot.schema.json'));
});
afterEach(() => cleanupProjects());

/**
 * main has 4 commits; lanes: `ahead` (from main, +2), `behind` (from main~2, +0),
 * `diverged` (from main~1, +1, plus one untracked file), and `cmd`: a lane with a
 * command that would create a marker file and a worktree that may be created.
 */
function buildProject(): {
  p: Project;
  marker: string;
  wt: { ahead: string; behind: string; diverged: string };
} {
  const p = makeProject(2);
  const wt = {
    ahead: p.addLane('ahead', 'lane/ahead', { ahead: 2 }),
    behind: p.addLane('behind', 'lane/behind'),
    diverged: p.addLane('diverged', 'lane/diverged', { ahead: 1 }),
  };
  // Move main on so `behind` is 2 behind and `diverged` is 2 behind, 1 ahead...
  commit(p.repo, 'main 3');
  commit(p.repo, 'main 4');
  // ...and `ahead` catches up by merging main (fast-forward impossible: it has commits).
  git(wt.ahead, 'merge', '-q', '--no-edit', 'main');
  writeFileSync(path.join(wt.diverged, 'scratch.txt'), 'untracked\n');
  const marker = path.join(p.root, 'worker-ran.marker');
  p.writeConfig(
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      'lanes:',
      '  - id: ahead',
      '    worktree: wt/ahead',
      '    branch: lane/ahead',
      '  - id: behind',
      '    worktree: wt/behind',
      '    branch: lane/behind',
      '  - id: diverged',
      '    worktree: wt/diverged',
      '    branch: lane/diverged',
      '  - id: cmd',
      '    worktree: { path: wt/cmd, create: true }',
      '    branch: lane/cmd',
      `    command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`)}]`,
      '    autostart: true',
      '',
    ].join('\n'),
  );
  return { p, marker, wt };
}

describe('laneboard --json', () => {
  it('prints one schema-valid snapshot whose numbers match git, and starts nothing', async () => {
    const { p, marker, wt } = buildProject();
    const aheadHead = git(wt.ahead, 'rev-parse', 'HEAD');
    const now = new Date().toISOString();
    p.writeDoc('ahead', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'finished',
      sessionId: 'sess-ahead',
      workspaceRoot: wt.ahead,
      updatedAt: now,
    });
    p.writeDoc('ahead', 'result.json', {
      schema: 'laneboard.result/1',
      ok: true,
      finishedAt: now,
      tests: { status: 'green', level: 'package', passed: 3, failed: 0, commit: aheadHead },
    });
    p.appendEvent('ahead', {
      event: 'lane.green',
      status: 'green',
      emittedAt: now,
      detail: '3 passed',
    });
    p.writeDoc('behind', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'blocked',
      sessionId: 'sess-behind',
      updatedAt: now,
      blocker: {
        failureClass: 'input_required',
        detail: 'linear or exponential?',
        nextAction: 'answer with s',
      },
    });
    p.writeDoc('behind', 'result.json', {
      schema: 'laneboard.result/1',
      ok: false,
      tests: { status: 'red', level: 'targeted_tests', failed: 1, commit: 'deadbeef' },
    });
    const worktreesBefore = git(p.repo, 'worktree', 'list', '--porcelain');
    const branchesBefore = git(p.repo, 'branch', '--list');

    const r = await runCli(['--json', '--config', p.config], { cwd: p.root });

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // One JSON document on one line.
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const snap = JSON.parse(r.stdout) as { schema: string; generatedAt: string; lanes: LaneJson[] };
    expect(validate(snap)).toEqual([]);
    expect(snap.schema).toBe('laneboard.snapshot/1');
    expect(isDateTime(snap.generatedAt)).toBe(true);
    expect(Math.abs(Date.parse(snap.generatedAt) - Date.now())).toBeLessThan(60_000);
    expect(snap.lanes.map((l) => l.id)).toEqual(['ahead', 'behind', 'diverged', 'cmd']);
    for (const lane of snap.lanes) {
      for (const field of LANE_FIELDS) expect(lane, `${lane.id}.${field}`).toHaveProperty(field);
      for (const b of lane.blockers) {
        for (const f of ['failureClass', 'detail', 'source', 'nextAction']) {
          expect(b, `${lane.id} blocker ${b.failureClass}`).toHaveProperty(f);
        }
      }
    }
    const byId = new Map(snap.lanes.map((l) => [l.id, l]));
    const lane = (id: string): LaneJson => {
      const l = byId.get(id);
      if (!l) throw new Error(`lane ${id} missing from the snapshot`);
      return l;
    };

    // ahead/behind and HEAD are what git says, per lane.
    const expected = [
      ['ahead', 'fresh'],
      ['behind', 'stale'],
      ['diverged', 'diverged'],
    ] as const;
    for (const [id, freshness] of expected) {
      const l = lane(id);
      const counts = revListCounts(wt[id], 'main');
      expect({ id, ahead: l.git.ahead, behind: l.git.behind }).toEqual({ id, ...counts });
      expect(l.git.freshness).toBe(freshness);
      expect(l.git.head).toBe(git(wt[id], 'rev-parse', 'HEAD'));
      expect(l.git.base).toBe('main');
      expect(l.repo).toBe(p.repo);
      expect(l.worktree).toBe(wt[id]);
    }
    // The fixture really has each shape (guards the comparison above against 0 = 0).
    expect(revListCounts(wt.ahead, 'main')).toEqual({ ahead: 3, behind: 0 });
    expect(revListCounts(wt.behind, 'main')).toEqual({ ahead: 0, behind: 2 });
    expect(revListCounts(wt.diverged, 'main')).toEqual({ ahead: 1, behind: 2 });
    expect(lane('diverged').git.dirty).toBe(1);
    expect(lane('ahead').git.dirty).toBe(0);

    // Bridge files: agent, tests (current vs stale), blockers, last event.
    const a = lane('ahead');
    expect(a.agent.status).toBe('finished');
    expect(a.agent.sessionId).toBe('sess-ahead');
    expect(a.tests).toMatchObject({
      status: 'green',
      level: 'package',
      stale: false,
      commit: aheadHead,
    });
    expect(a.lastEvent?.name).toBe('lane.green');
    expect(a.blockers).toEqual([]);
    expect(a.mergeReady).toBe(true);
    const b = lane('behind');
    expect(b.agent).toMatchObject({ status: 'blocked', sessionId: 'sess-behind' });
    expect(b.tests).toMatchObject({
      status: 'red',
      level: 'targeted_tests',
      stale: true,
      commit: 'deadbeef',
    });
    const classes = b.blockers.map((x) => x.failureClass);
    expect(classes).toContain('input_required');
    expect(classes).toContain('stale_branch');
    expect(b.blockers.find((x) => x.failureClass === 'input_required')?.nextAction).not.toBe('');
    expect(b.mergeReady).toBe(false);

    // Read-only: no worker ran, no worktree, branch or board state was created.
    const c = lane('cmd');
    expect(c.worker.pid).toBeNull();
    expect(c.git.freshness).toBe('unknown');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(p.root, 'wt', 'cmd'))).toBe(false);
    expect(git(p.repo, 'worktree', 'list', '--porcelain')).toBe(worktreesBefore);
    expect(git(p.repo, 'branch', '--list')).toBe(branchesBefore);
    expect(existsSync(path.join(p.root, '.laneboard', 'supervisor.json'))).toBe(false);
    expect(existsSync(p.bridge('cmd'))).toBe(false);
  });

  it('--pretty prints the same document indented', async () => {
    const { p } = buildProject();
    const r = await runCli(['--json', '--pretty', '--config', p.config], { cwd: p.root });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
    const snap = JSON.parse(r.stdout) as { lanes: LaneJson[] };
    expect(validate(snap)).toEqual([]);
    expect(snap.lanes).toHaveLength(4);
  });
});
