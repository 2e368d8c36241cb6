/**
 * The attention keys in a real terminal (tmux): `o` sorts, `/` filters, `p` peeks, `m` mutes,
 * `e` runs $EDITOR on the worktree; `d` shows the lane's diff in the pager
 * (less -R) and `q` returns to a redrawn board; `t` opens $SHELL in the lane's worktree
 * (with LANEBOARD_LANE_ID), and `exit` returns to the board; the DIFF column counts the
 * committed plus uncommitted change.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settleProject } from '../helpers/e2e-frame.js';
import { cleanupProjects, makeProject } from '../helpers/e2e-project.js';
import { hasTmux, startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';

const terms: BoardTerm[] = [];
const saved = {
  PAGER: process.env.PAGER,
  SHELL: process.env.SHELL,
  LESS: process.env.LESS,
  EDITOR: process.env.EDITOR,
  VISUAL: process.env.VISUAL,
};

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

describe('attention keys in a real terminal', () => {
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

  it('o sorts, / filters, p peeks, m mutes, e opens the editor on the worktree', async () => {
    const p = makeProject();
    root = p.root;
    for (const id of ['alpha', 'bravo', 'charlie']) p.addLane(id, `lane/${id}`);
    p.writeConfig(
      [
        'version: 1',
        'defaults:',
        '  repo: repo',
        'lanes:',
        ...['alpha', 'bravo', 'charlie'].flatMap((id) => [
          `  - id: ${id}`,
          `    worktree: wt/${id}`,
          `    branch: lane/${id}`,
        ]),
        '',
      ].join('\n'),
    );
    // charlie waits for a permission answer; its log has a line to peek at.
    p.writeDoc('charlie', 'state.json', {
      schema: 'laneboard.state/1',
      status: 'blocked',
      blocker: { failureClass: 'permission', detail: 'Bash: make deploy' },
      updatedAt: new Date().toISOString(),
    });
    appendFileSync(path.join(p.bridge('charlie'), 'worker.log'), 'charlie log line 1\n');
    // The editor: a script that writes down what it was given.
    const editor = path.join(p.root, 'editor.sh');
    writeFileSync(
      editor,
      `#!/bin/sh\necho "$1" > ${JSON.stringify(path.join(p.root, 'edited'))}\n`,
      {
        mode: 0o755,
      },
    );
    process.env.EDITOR = editor;
    delete process.env.VISUAL;
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], cols: 140, rows: 30 });
    terms.push(term);
    const rows = (f: string): string[] =>
      f
        .split('\n')
        .map((l) => /^[› ] (alpha|bravo|charlie)\b/.exec(l)?.[1])
        .filter((x): x is string => x !== undefined);
    await term.waitForFrame(
      (f) => f.includes('1 need you') && rows(f).join() === 'alpha,bravo,charlie',
      'the board in lanes.yaml order, charlie needing you',
    );

    // o: attention first puts charlie on top (and selects the first row).
    await term.press('o', (f) => f.includes('by attention first'), 'the order in the header');
    await term.waitForFrame((f) => rows(f)[0] === 'charlie', 'charlie first');
    await term.press('o', (f) => f.includes('by last activity'), 'the next order');
    await term.press('o', (f) => !f.includes('  by '), 'back to lanes.yaml order');

    // /: filter by blocker text, Enter keeps it, / then Esc clears it.
    await term.press('/', (f) => f.includes('filter / '), 'the filter prompt');
    await term.type('deploy', 'filter / ');
    await term.waitForFrame(
      (f) => f.includes('1 of 3 lanes') && rows(f).join() === 'charlie',
      'only charlie',
    );
    await term.press('Enter', (f) => !f.includes('filter / '), 'the filter kept');
    expect(rows(term.capture())).toEqual(['charlie']);

    // p: the peek of the selected (only) lane shows its log, p closes it.
    await term.press(
      'p',
      (f) => f.includes('peek charlie') && f.includes('charlie log line 1'),
      'the peek',
    );
    appendFileSync(path.join(p.bridge('charlie'), 'worker.log'), 'charlie log line 2\n');
    await term.waitForFrame((f) => f.includes('charlie log line 2'), 'the peek following the log');
    await term.press('p', (f) => !f.includes('peek charlie'), 'the peek closed');

    // m: mute charlie, shown on its row (the id cell: `(muted)`, `(m)` where the column is
    // too narrow) and in the status line.
    await term.press(
      'm',
      (f) => /› charlie \((muted|m)\) /.test(f) && f.includes('muted notifications of charlie'),
      'charlie muted',
    );
    await term.press(
      'm',
      (f) => !f.includes('charlie (m') && f.includes('unmuted notifications of charlie'),
      'charlie unmuted',
    );

    // e: the editor runs on charlie's worktree and the board comes back.
    await term.press('e', (f) => f.includes('back from editor in charlie'), 'back from the editor');
    expect(readFileSync(path.join(p.root, 'edited'), 'utf8').trim()).toBe(
      path.join(p.root, 'wt', 'charlie'),
    );

    await term.press('/', (f) => f.includes('filter / deploy'), 'the kept filter to edit');
    await term.press(
      'Escape',
      (f) => f.includes('3 lanes') && !f.includes(' of 3'),
      'the filter cleared',
    );
    expect(rows(term.capture())).toEqual(['alpha', 'bravo', 'charlie']);
    expect(term.exitCode()).toBeNull();
  });
});
