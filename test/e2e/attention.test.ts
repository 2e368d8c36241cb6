/**
 * The attention keys in a real terminal (tmux): `d` shows the lane's diff in the pager
 * (less -R) and `q` returns to a redrawn board; `t` opens $SHELL in the lane's worktree
 * (with LANEBOARD_LANE_ID), and `exit` returns to the board; the DIFF column counts the
 * committed plus uncommitted change.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settleProject } from '../helpers/e2e-frame.js';
import { cleanupProjects, makeProject } from '../helpers/e2e-project.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';

const terms: BoardTerm[] = [];
const saved = { PAGER: process.env.PAGER, SHELL: process.env.SHELL, LESS: process.env.LESS };

beforeAll(() => {
  if (!hasTmux()) throw new Error('the board e2e tests need tmux on PATH (apt-get install tmux)');
});

let root: string | null = null;

afterEach(async () => {
  for (const t of terms.splice(0)) t.kill();
  if (root !== null) await settleProject(root);
  root = null;
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  cleanupProjects();
});

describe('d and t in a real terminal', () => {
  it('d pages the diff and q comes back; t opens a shell in the worktree and exit comes back', async () => {
    const p = makeProject();
    root = p.root;
    const wt = p.addLane('alpha', 'lane/alpha', { ahead: 1 });
    appendFileSync(path.join(wt, 'alpha-work-1.txt'), 'uncommitted line\n');
    p.writeConfig(
      `version: 1\ndefaults:\n  repo: repo\nlanes:\n  - id: alpha\n    worktree: wt/alpha\n    branch: lane/alpha\n`,
    );
    // The tmux server (and so the board) inherits these.
    process.env.PAGER = 'less -R';
    process.env.SHELL = '/bin/sh';
    delete process.env.LESS;
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 140, rows: 30 });
    terms.push(term);
    const board = (f: string) => f.includes('laneboard') && f.includes('+2 \u22120');
    await term.waitForFrame(board, 'the board with the diff stats of alpha');

    await term.press('d', (f) => f.includes('+uncommitted line'), 'the diff in the pager');
    await term.press('q', board, 'the board back after the pager');

    await term.press('t', (f) => !f.includes('LANE'), 'the shell');
    term.send('e');
    for (const ch of 'cho "in-$LANEBOARD_LANE_ID-$(basename "$PWD")"') term.send(ch);
    term.send('Enter');
    await term.waitForFrame((f) => f.includes('in-alpha-alpha'), 'the shell in the worktree');
    for (const ch of 'exit') term.send(ch);
    term.send('Enter');
    const back = await term.waitForFrame(
      (f) => board(f) && f.includes('back from shell in alpha') && f,
      'the board back after exit',
    );
    expect(back).not.toContain('in-alpha-alpha');
    expect(term.exitCode()).toBeNull();
  });
});
