/**
 * Lanes without ceremony on the real board (tmux): a discovered board shows a
 * repository's worktrees with the discovered line and writes nothing into them; on a
 * lanes.yaml board, `laneboard add` from a second shell makes the lane appear and its
 * worker start at once (live lanes.yaml), `n` adds a lane from the board, `D` asks
 * (naming what would be lost) and `y` removes the lane, its worktree and its row, and a
 * broken edit shows file:line:column in the header until it is fixed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAlive, runCli } from '../helpers/e2e-cli.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';
import { cleanupTempDirs, git, makeRepo } from '../helpers/git-fixtures.js';

const terms: BoardTerm[] = [];
beforeAll(() => {
  if (!hasTmux()) throw new Error('the board e2e tests need tmux on PATH (apt-get install tmux)');
});
afterEach(() => {
  for (const t of terms.splice(0)) t.kill();
  cleanupTempDirs();
});

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
    writeFileSync(path.join(repo, '.git', 'info', 'exclude'), 'lanes.yaml\n.laneboard/\n');
    expect((await runCli(['init'], { cwd: repo })).code).toBe(0);
    const file = path.join(repo, 'lanes.yaml');
    const t = startBoard({ cwd: repo, args: [] });
    terms.push(t);
    await t.waitForFrame((f) => /1 lanes/.test(f), 'board with one lane');

    const add = await runCli(['add', 'fix-login', '--command', 'exec sleep 600'], { cwd: repo });
    expect(add.code).toBe(0);
    const f1 = await t.waitForFrame(
      (f) => pidIn(f, 'fix-login') !== null && f,
      'fix-login running',
    );
    const pid = pidIn(f1, 'fix-login') as number;
    expect(isAlive(pid)).toBe(true);

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
});
