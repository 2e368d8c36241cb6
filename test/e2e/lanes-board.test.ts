/**
 * Lanes without ceremony on the real board (tmux): a discovered board shows a
 * repository's worktrees with the discovered line and writes nothing into them; on a
 * lanes.yaml board, `laneboard add` from a second shell makes the lane appear and its
 * worker start at once (live lanes.yaml), `n` adds a lane from the board, `D` asks
 * (naming what would be lost) and `y` removes the lane, its worktree and its row, and a
 * broken edit shows file:line:column in the header until it is fixed; the main worktree
 * stays clean (the state dir ignores itself). The new user's path: a discovered board
 * follows the lanes.yaml `init` writes, `add` shows at once. A board attached to `serve`
 * (with no git on its PATH): `n` and `D` act through the runtime's endpoint, whose lane
 * routes refuse bad requests with stable codes; `remove` from a shell stops the worker
 * through the endpoint.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAlive, runCli, startCli, waitFor, type RunningCli } from '../helpers/e2e-cli.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';
import { cleanupTempDirs, git, makeRepo } from '../helpers/git-fixtures.js';
import { requestJson } from '../../src/runtime/control/client.js';

const terms: BoardTerm[] = [];
beforeAll(() => {
  if (!hasTmux()) throw new Error('the board e2e tests need tmux on PATH (apt-get install tmux)');
});
const running: RunningCli[] = [];
afterEach(async () => {
  for (const t of terms.splice(0)) t.kill();
  for (const c of running.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 8_000))]);
    c.kill();
  }
  cleanupTempDirs();
  for (const d of tempDirs.splice(0))
    rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});
const tempDirs: string[] = [];

const pidIn = (frame: string, id: string): number | null => {
  const m = new RegExp(`^[ ›]+${id}\\s.*?run (\\d+)`, 'm').exec(frame);
  return m ? Number(m[1]) : null;
};

describe('lanes on the board', () => {
  it('a discovered board shows every worktree and writes nothing into them', async () => {
    const { root, repo } = makeRepo();
    git(repo, 'worktree', 'add', '-q', '-b', 'feat', path.join(root, 'repo-feat'));
    const t = startBoard({ cwd: path.join(root, 'repo-feat'), args: [] });
    terms.push(t);
    const f = await t.waitForFrame(
      (fr) => /discovered 2 worktrees/.test(fr) && /repo-feat\s+feat/.test(fr) && fr,
      'discovered board',
    );
    expect(f).toMatch(/laneboard init/);
    expect(f).toMatch(/^[ ›]+repo\s+main/m);
    expect(git(repo, 'status', '--porcelain', '--ignored')).toBe('');
    expect(git(path.join(root, 'repo-feat'), 'status', '--porcelain', '--ignored')).toBe('');
    // Quit (no workers: no question) and let the board close its endpoint in .git/laneboard
    // before the temp repository is removed.
    t.send('q');
    await vi.waitFor(() => expect(t.exitCode()).toBe(0), { timeout: 10_000, interval: 50 });
  });

  it('add from a shell appears at once; n adds; D names the loss and y removes; a broken edit shows in the header', async () => {
    const { root, repo } = makeRepo();
    // lanes.yaml is the user's to commit; .laneboard/ needs no exclude (its own .gitignore).
    writeFileSync(path.join(repo, '.git', 'info', 'exclude'), 'lanes.yaml\n');
    expect((await runCli(['init'], { cwd: repo })).code).toBe(0);
    const file = path.join(repo, 'lanes.yaml');
    const t = startBoard({ cwd: repo, args: [] });
    terms.push(t);
    await t.waitForFrame((f) => /1 lanes/.test(f), 'board with one lane');

    const add = await runCli(['add', 'fix-login', '--command', 'exec sleep 600'], { cwd: repo });
    expect(add.code).toBe(0);
    // add waited for the board's runtime (over its endpoint) to start the lane.
    const picked = /picked up lane fix-login: worker running pid (\d+)/.exec(add.stderr);
    expect(picked, add.stderr).not.toBe(null);
    const f1 = await t.waitForFrame(
      (f) => pidIn(f, 'fix-login') !== null && f,
      'fix-login running',
    );
    const pid = pidIn(f1, 'fix-login') as number;
    expect(pid).toBe(Number(picked?.[1]));
    expect(isAlive(pid)).toBe(true);
    // A running board with workers and bridge dirs leaves the main worktree clean.
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // n: a new lane from the board (observe-only, default branch and sibling path).
    await t.press('n', (f) => f.includes('new lane id ›'));
    await t.type('docs', 'new lane id › ');
    await t.press('Enter', (f) => /^[ ›]+docs\s+docs/m.test(f), 'docs row');
    expect(existsSync(path.join(root, 'repo-docs'))).toBe(true);

    // A broken edit: the header names file:line:column; the board keeps running.
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}    restart: sometimes\n`);
    await t.waitForFrame((f) => /lanes\.yaml:\d+:\d+: lanes\[2\]\.restart/.test(f), 'error line');
    writeFileSync(file, good);
    await t.waitForFrame((f) => !/not applied \(last good/.test(f), 'error line gone');

    // D on fix-login: the question names the worktree; y removes lane, worker, worktree.
    writeFileSync(path.join(root, 'repo-fix-login', 'wip.txt'), 'x\n');
    await t.press('g');
    await t.press('j', (f) => /^›\s+fix-login/m.test(f), 'fix-login selected');
    await t.press(
      'D',
      (f) => /Remove lane fix-login\?.*LOSES 1 uncommitted change/.test(f),
      'question',
    );
    await t.press('y', (f) => !/^[ ›]+fix-login\s/m.test(f), 'fix-login row gone');
    await t.waitForFrame(() => !isAlive(pid), 'worker stopped');
    await t.waitForFrame(() => !existsSync(path.join(root, 'repo-fix-login')), 'worktree removed');
    expect(readFileSync(file, 'utf8')).not.toContain('fix-login');
    expect(readFileSync(file, 'utf8')).toContain('id: docs');
  });

  it('new user: a discovered board follows the lanes.yaml init writes; add shows at once; the repo stays clean', async () => {
    const { root, repo } = makeRepo();
    git(repo, 'worktree', 'add', '-q', '-b', 'feat', path.join(root, 'repo-feat'));
    const t = startBoard({ cwd: repo, args: [] });
    terms.push(t);
    await t.waitForFrame((f) => /discovered 2 worktrees/.test(f) && f, 'discovered board');

    const init = await runCli(['init'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const f = await t.waitForFrame(
      (fr) => /now following lanes\.yaml/.test(fr) && !/discovered 2 worktrees/.test(fr) && fr,
      'the board following lanes.yaml',
    );
    expect(f).toMatch(/laneboard — lanes\.yaml/);
    // Only lanes.yaml is new in the main worktree (.laneboard/ ignores itself).
    expect(git(repo, 'status', '--porcelain')).toBe('?? lanes.yaml');

    // The verbs find the board's runtime beside lanes.yaml now.
    const add = await runCli(['add', 'fix-login', '--command', 'exec sleep 600'], { cwd: repo });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toMatch(/picked up lane fix-login: worker running pid \d+/);
    const f2 = await t.waitForFrame((fr) => pidIn(fr, 'fix-login') !== null && fr, 'fix-login');
    const status = await runCli(['status'], { cwd: repo });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/\(board\)/);
    expect(status.stdout).toMatch(new RegExp(`fix-login\\s+running ${pidIn(f2, 'fix-login')}`));
    expect(git(repo, 'status', '--porcelain')).toBe('?? lanes.yaml');
    // Quit (confirming: a worker runs) so the board closes its sockets before cleanup.
    await t.press('q', (fr) => /Quit and stop the 1 running worker\?/.test(fr), 'quit question');
    t.send('y');
    await vi.waitFor(() => expect(t.exitCode()).toBe(0), { timeout: 15_000, interval: 50 });
  });
});

describe('n and D on a board attached to serve', () => {
  it('n adds through the runtime; remove from a shell stops the worker through the endpoint; D removes', async () => {
    const { root, repo } = makeRepo();
    writeFileSync(path.join(repo, '.git', 'info', 'exclude'), 'lanes.yaml\n');
    expect((await runCli(['init'], { cwd: repo })).code).toBe(0);
    const serve = startCli(['serve'], { cwd: repo });
    running.push(serve);
    await waitFor(async () => (await runCli(['status'], { cwd: repo })).code === 0, 'serve up', {
      timeoutMs: 15_000,
      intervalMs: 200,
      detail: () => serve.stderr(),
    });
    const add = await runCli(['add', 'job', '--command', 'exec sleep 600'], { cwd: repo });
    expect(add.stderr).toContain(`the runtime (pid ${serve.child.pid}) picked up lane job`);
    // The attached board finds no git on its PATH: n and D must act through the runtime.
    const noGit = mkdtempSync(path.join(os.tmpdir(), 'lb-no-git-'));
    tempDirs.push(noGit);
    const t = startBoard({ cwd: repo, args: [], env: { PATH: noGit } });
    terms.push(t);
    const f0 = await t.waitForFrame(
      (f) => f.includes(`attached to pid ${serve.child.pid}`) && pidIn(f, 'job') !== null && f,
      'the attached board',
    );
    const pid = pidIn(f0, 'job') as number;

    // n: the lane is added (git worktree, lanes.yaml) and the runtime picks it up.
    await t.press('n', (f) => f.includes('new lane id ›'));
    await t.type('docs', 'new lane id › ');
    await t.press('Enter', (f) => /^[ ›]+docs\s+docs/m.test(f), 'docs row');
    expect(existsSync(path.join(root, 'repo-docs'))).toBe(true);
    expect(readFileSync(path.join(repo, 'lanes.yaml'), 'utf8')).toContain('id: docs');

    // D on job: the question names the worktree; y stops the worker through the runtime.
    await t.press('g');
    await t.press('j', (f) => /^›\s+job/m.test(f), 'job selected');
    await t.press('D', (f) => /Remove lane job\?/.test(f), 'question');
    await t.press('y', (f) => !/^[ ›]+job\s/m.test(f), 'job row gone');
    await t.waitForFrame(() => !isAlive(pid), 'worker stopped');
    await t.waitForFrame(() => !existsSync(path.join(root, 'repo-job')), 'worktree removed');
    expect(serve.child.exitCode).toBe(null);

    // The routes behind n and D refuse with stable codes (docs/control.md).
    const sock = path.join(repo, '.laneboard', 'control.sock');
    const err = async (method: string, p: string, body?: unknown) => {
      const r = await requestJson(sock, method, p, body, 0);
      return [r.status, (r.body as { error?: { code?: string } }).error?.code];
    };
    expect(await err('POST', '/v1/lanes', {})).toEqual([400, 'bad_request']);
    expect(await err('POST', '/v1/lanes', { id: 'docs' })).toEqual([409, 'lane_admin_failed']);
    expect(await err('GET', '/v1/lanes/nope/loss')).toEqual([404, 'unknown_lane']);
    expect(await err('GET', '/v1/lanes/docs/remove')).toEqual([405, 'method_not_allowed']);

    // remove from a shell: the runtime stops the worker (its endpoint), then drops the lane.
    await runCli(['add', 'other', '--command', 'exec sleep 600'], { cwd: repo });
    const f1 = await t.waitForFrame((f) => pidIn(f, 'other') !== null && f, 'other running');
    const otherPid = pidIn(f1, 'other') as number;
    const rm = await runCli(['remove', 'other'], { cwd: repo });
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stderr).toContain(
      `the runtime (pid ${serve.child.pid}) stopped the worker (pid ${otherPid})`,
    );
    expect(rm.stderr).toContain(`the runtime (pid ${serve.child.pid}) dropped lane other`);
    expect(isAlive(otherPid)).toBe(false);
    await t.waitForFrame((f) => !/^[ ›]+other\s/m.test(f), 'other row gone');
    // serve, a tmux board and several CLI runs: a loaded machine can pass the default.
  }, 60_000);
});
