/**
 * Faults 5 and 6, the directory half (issue #12): a bridge directory that a worker
 * replaces by a symlink (or whose parent it swaps for one) never leads the board's writes
 * out of the bridge, and laneboard's own `.laneboard/` dir (the default bridges) never
 * makes the repository around lanes.yaml dirty. Real supervisor with real worker
 * processes, the real built CLI (`laneboard hook`), a real git repository and worktree.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { laneboardBin } from '../helpers/e2e-cli.js';
import { cleanupTempDirs, git, makeRepo } from '../helpers/git-fixtures.js';
import {
  supervisorHarness,
  testConfig,
  testLane,
  waitFor,
  writeProblems,
} from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();
afterEach(cleanupTempDirs);

describe('bridge dir replaced by a symlink (fault 5, directory)', () => {
  it('steering: the bridge dir or its parent swapped for a symlink while the board runs is refused and reported', async () => {
    const root = harness.tempRoot();
    const lane = testLane(root, 'a');
    const { rec, sup } = harness.board(testConfig(root, [lane]));
    await sup.start();
    expect(await sup.steer('a', 'first')).toMatchObject({ state: 'pending', error: null });
    const outside = join(root, 'outside');
    mkdirSync(outside);
    // The worker deletes its bridge dir and puts a symlink to elsewhere in its place.
    rmSync(lane.bridge, { recursive: true });
    symlinkSync(outside, lane.bridge);
    const m2 = await sup.steer('a', 'second');
    expect(m2.state).toBe('failed');
    expect(m2.error).toMatch(
      /bridge dir .*\/bridge\/a now leads to ".*\/outside", not ".*\/bridge\/a"/,
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(writeProblems(rec.actions, 'a')).toEqual([
      expect.stringMatching(/replaced by a symlink; nothing written there$/),
    ]);
    // A parent swapped for a symlink to a tree with the same names.
    rmSync(lane.bridge);
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(elsewhere, 'a'), { recursive: true });
    renameSync(join(root, 'bridge'), join(root, 'bridge-old'));
    symlinkSync(elsewhere, join(root, 'bridge'));
    const m3 = await sup.steer('a', 'third');
    expect(m3.state).toBe('failed');
    expect(m3.error).toMatch(/now leads to ".*\/elsewhere\/a"/);
    expect(readdirSync(join(elsewhere, 'a'))).toEqual([]);
    // …and without them: no directory is made through the swapped parent either.
    rmSync(join(elsewhere, 'a'), { recursive: true });
    expect((await sup.steer('a', 'fourth')).state).toBe('failed');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a worker that swaps its bridge dir for a symlink: its restart opens no worker.log there; the lane says why', async () => {
    const root = harness.tempRoot();
    const outside = join(root, 'outside');
    mkdirSync(outside);
    const swap = `rm -rf "$LANEBOARD_BRIDGE_DIR" && ln -s "${outside}" "$LANEBOARD_BRIDGE_DIR"`;
    const lane = testLane(root, 'a', { command: ['/bin/sh', '-c', `echo hi; ${swap}`] });
    const { rec, sup } = harness.board(testConfig(root, [lane]));
    await sup.start();
    await sup.start('a');
    await rec.waitWorker('a', (w) => w.phase === 'exited');
    await sup.start('a');
    const w = await rec.waitWorker('a', (s) => s.phase === 'failed_to_start');
    expect(w.error).toMatch(/cannot open .*worker\.log: bridge dir .* now leads to ".*\/outside"/);
    expect(readdirSync(outside)).toEqual([]);
    expect(writeProblems(rec.actions, 'a')[0]).toMatch(/nothing written there$/);
  });

  it('the default bridge place as a symlink (planted before the board or hook started) is never written', () => {
    const root = harness.tempRoot();
    const outside = join(root, 'outside');
    mkdirSync(outside);
    mkdirSync(join(root, '.laneboard', 'lanes'), { recursive: true });
    const bridge = join(root, '.laneboard', 'lanes', 'x');
    symlinkSync(outside, bridge);
    const r = spawnSync(process.execPath, [laneboardBin(), 'hook'], {
      input: JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's1', cwd: root }),
      env: { ...process.env, LANEBOARD_BRIDGE_DIR: bridge },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(0); // a hook never fails the agent
    expect(r.stderr).toMatch(
      /is a symlink to ".*\/outside", at laneboard's own place; nothing written there/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe("laneboard's own dir inside a worktree (fault 6, default bridges)", () => {
  it('lanes.yaml at the root of the main worktree: worker.log, inbox.jsonl, supervisor.json and hook events leave git status clean', async () => {
    const { root, repo } = makeRepo();
    const wt = join(root, 'wt-a');
    git(repo, 'worktree', 'add', '-q', '-b', 'lane/a', wt);
    const own = join(repo, '.laneboard');
    const lane = testLane(root, 'a', {
      worktree: wt,
      repo,
      bridge: join(own, 'lanes', 'a'),
      command: ['/bin/sh', '-c', 'echo working; exec sleep 30'],
    });
    const config = { ...testConfig(root, [lane]), stateDir: own };
    const { rec, sup } = harness.board(config);
    await sup.start();
    await sup.start('a');
    await rec.waitWorker('a', (w) => w.phase === 'running');
    await sup.steer('a', 'hello');
    await waitFor(
      () => existsSync(join(own, 'lanes', 'a', 'worker.log')),
      10_000,
      'worker.log written',
    );
    const hook = spawnSync(process.execPath, [laneboardBin(), 'hook'], {
      input: JSON.stringify({ hook_event_name: 'Stop', session_id: 's1', cwd: wt }),
      env: { ...process.env, LANEBOARD_BRIDGE_DIR: join(own, 'lanes', 'b') },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(hook.status).toBe(0);
    expect(existsSync(join(own, 'lanes', 'b', 'hook-events.jsonl'))).toBe(true);
    expect(readFileSync(join(own, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    // Without the marker the same files would show: the check above is not vacuous.
    rmSync(join(own, '.gitignore'));
    expect(git(repo, 'status', '--porcelain')).toBe('?? .laneboard/');
    await sup.stop('a');
  });
});
