/**
 * Notifications in a real terminal (tmux, the pane's output bytes copied by `pipe-pane`):
 * each kind — input required, rate limit lifted, red after green, finished, worker exited
 * unexpectedly, crash loop — is written once, as exactly `ESC ] 9 ; <text> BEL BEL`, by a
 * board with its own runtime; a board attached to `laneboard serve` notifies the same
 * way while the runtime (not the board) runs the `on:` command, once; notifications get
 * through while the shell of `t` owns the screen; `--json --watch` runs no `on:` command.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, waitFor } from '../helpers/e2e-cli.js';
import { git, makeProject, type Project } from '../helpers/e2e-project.js';
import { notified, notifyE2e, osc9, startServe, state } from '../helpers/e2e-notify.js';
import { startBoard, type BoardTerm } from '../helpers/e2e-tmux.js';

const ESC = '\u001b';

const ctx = notifyE2e();
const { terms, running } = ctx;

/** A result.json with tests `status` on `commit`. */
function result(status: 'green' | 'red', commit: string) {
  return {
    schema: 'laneboard.result/1',
    ok: status === 'green',
    tests: { status, level: 'package', passed: 3, failed: status === 'red' ? 1 : 0, commit },
  };
}

/** Worker command that waits for `<config dir>/<file>`, then exits `code`. */
const waitThenExit = (file: string, code: number): string =>
  JSON.stringify(
    `while [ ! -f "$LANEBOARD_CONFIG_DIR/${file}" ]; do sleep 0.1; done; exit ${code}`,
  );

describe('notifications in a real terminal', () => {
  it('each kind is written once with its exact bytes', async () => {
    const p = makeProject();
    ctx.root = p.root;
    const wt = p.addLane('watched', 'lane/watched', { ahead: 1 });
    p.addLane('exiter', 'lane/exiter');
    p.addLane('crashy', 'lane/crashy');
    p.writeConfig(
      [
        'version: 1',
        'settings:',
        '  backoff: { initial: 100ms, max: 200ms, factor: 2, jitter: 0 }',
        '  crash_loop: { max_restarts: 2, window: 1m }',
        'defaults:',
        '  repo: repo',
        'lanes:',
        '  - id: watched',
        '    worktree: wt/watched',
        '    branch: lane/watched',
        '  - id: exiter',
        '    worktree: wt/exiter',
        '    branch: lane/exiter',
        `    command: ${waitThenExit('go-exit', 3)}`,
        '    restart: never',
        '  - id: crashy',
        '    worktree: wt/crashy',
        '    branch: lane/crashy',
        `    command: ${waitThenExit('go-crash', 1)}`,
        '    restart: always',
        '',
      ].join('\n'),
    );
    const term = startBoard({
      cwd: p.root,
      args: ['--config', p.config],
      cols: 140,
      rows: 30,
      raw: true,
    });
    terms.push(term);
    await term.waitForFrame(
      (f) => f.includes('3 lanes') && (f.match(/ run \d+/g) ?? []).length === 2,
      'the board with both workers running',
    );
    p.writeDoc(
      'watched',
      'state.json',
      state('blocked', { failureClass: 'permission', detail: 'Bash: rm -rf build' }),
    );
    await notified(term, 'laneboard: watched needs input: permission: Bash: rm -rf build');
    await term.waitForFrame((f) => f.includes('1 need you'), 'the header count');

    // Rate limit lifted: the rate-limit blocker must be seen before it goes away.
    p.writeDoc(
      'watched',
      'state.json',
      state('blocked', { failureClass: 'rate_limit', detail: 'usage limit' }),
    );
    await term.waitForFrame((f) => f.includes('rate_limit'), 'the rate limit on the row');
    p.writeDoc('watched', 'state.json', state('running'));
    await notified(term, 'laneboard: watched rate limit lifted');

    // Red after green, on the worktree's HEAD.
    const head = git(wt, 'rev-parse', 'HEAD');
    p.writeDoc('watched', 'result.json', result('green', head));
    await term.waitForFrame((f) => f.includes('green pkg'), 'green tests on the row');
    p.writeDoc('watched', 'result.json', result('red', head));
    await notified(term, 'laneboard: watched red after green');

    p.writeDoc('watched', 'state.json', state('finished'));
    await notified(term, 'laneboard: watched finished');

    writeFileSync(path.join(p.root, 'go-exit'), '');
    await notified(term, 'laneboard: exiter worker ended: exit 3');

    writeFileSync(path.join(p.root, 'go-crash'), '');
    const all = await notified(term, 'laneboard: crashy is in a crash loop');

    // Each once, in order, and nothing else; each exactly ESC ] 9 ; text BEL BEL.
    expect(all).toEqual([
      'laneboard: watched needs input: permission: Bash: rm -rf build',
      'laneboard: watched rate limit lifted',
      'laneboard: watched red after green',
      'laneboard: watched finished',
      'laneboard: exiter worker ended: exit 3',
      'laneboard: crashy is in a crash loop',
    ]);
    const raw = term.bytes();
    for (const text of all) expect(raw).toContain(osc9(text));
    expect(raw.split(`${ESC}]9;`)).toHaveLength(all.length + 1);
    expect(term.exitCode()).toBeNull();
  });

  it('a board attached to laneboard serve notifies; serve runs the on: command once', async () => {
    const p: Project = makeProject();
    ctx.root = p.root;
    p.addLane('alpha', 'lane/alpha');
    p.writeConfig(
      [
        'version: 1',
        'defaults:',
        '  repo: repo',
        '  on:',
        // Runs in the lane's worktree (wt/alpha).
        '    attention: \'echo "$LANEBOARD_EVENT $LANEBOARD_LANE_ID" >> ../../on.log\'',
        'lanes:',
        '  - id: alpha',
        '    worktree: wt/alpha',
        '    branch: lane/alpha',
        '',
      ].join('\n'),
    );
    const serve = await startServe(p.root, p.config);
    running.push(serve);
    const term = startBoard({ cwd: p.root, args: ['--config', p.config], raw: true });
    terms.push(term);
    await term.waitForFrame(
      (f) => f.includes(`attached to pid ${serve.child.pid}`) && f.includes('alpha'),
      'the attached board',
    );
    p.writeDoc(
      'alpha',
      'state.json',
      state('blocked', { failureClass: 'input_required', detail: 'which branch?' }),
    );
    await notified(term, 'laneboard: alpha needs input: input_required: which branch?');
    expect(term.bytes()).toContain(
      osc9('laneboard: alpha needs input: input_required: which branch?'),
    );
    const log = path.join(p.root, 'on.log');
    await waitFor(() => existsSync(log), 'the on: command of serve', { timeoutMs: 10_000 });
    await term.waitForFrame((f) => f.includes('1 need you'), 'the header count');
    expect(readFileSync(log, 'utf8')).toBe('attention alpha\n');
  });

  it('notifies while a foreground program (t: the shell) owns the screen', async () => {
    const p = makeProject();
    ctx.root = p.root;
    p.addLane('alpha', 'lane/alpha');
    p.writeConfig(
      'version: 1\ndefaults:\n  repo: repo\nlanes:\n  - id: alpha\n    worktree: wt/alpha\n    branch: lane/alpha\n',
    );
    const shell = process.env.SHELL;
    process.env.SHELL = '/bin/sh'; // the tmux server (and so the board) inherits it
    let term: BoardTerm;
    try {
      term = startBoard({ cwd: p.root, args: ['--config', p.config], raw: true });
    } finally {
      if (shell === undefined) delete process.env.SHELL;
      else process.env.SHELL = shell;
    }
    terms.push(term);
    await term.waitForFrame((f) => f.includes('laneboard') && f.includes('alpha'), 'the board');
    await term.press('t', (f) => !f.includes('LANE'), 'the shell');
    p.writeDoc(
      'alpha',
      'state.json',
      state('blocked', { failureClass: 'permission', detail: 'Edit: src/app.ts' }),
    );
    await notified(term, 'laneboard: alpha needs input: permission: Edit: src/app.ts');
    // Still in the shell: the board drew nothing meanwhile.
    expect(term.capture()).not.toContain('LANE');
    for (const ch of 'exit') term.send(ch);
    term.send('Enter');
    await term.waitForFrame(
      (f) => f.includes('back from shell in alpha') && f.includes('1 need you'),
      'the board back',
    );
  });

  it('--json --watch (its own observing runtime) never runs on: commands', async () => {
    const p = makeProject();
    ctx.root = p.root;
    p.addLane('alpha', 'lane/alpha');
    p.writeConfig(
      [
        'version: 1',
        'defaults:',
        '  repo: repo',
        '  on:',
        '    attention: \'echo "$LANEBOARD_EVENT" >> ../../on.log\'',
        '    blocked: \'echo "$LANEBOARD_EVENT" >> ../../on.log\'',
        'lanes:',
        '  - id: alpha',
        '    worktree: wt/alpha',
        '    branch: lane/alpha',
        '',
      ].join('\n'),
    );
    const watch = startCli(['--json', '--watch', '--config', p.config], { cwd: p.root });
    running.push(watch);
    await waitFor(() => watch.lines.length > 0, 'the first snapshot line', {
      timeoutMs: 15_000,
      detail: () => watch.stderr(),
    });
    p.writeDoc(
      'alpha',
      'state.json',
      state('blocked', { failureClass: 'permission', detail: 'Bash: ls' }),
    );
    await waitFor(
      () => watch.lines.some((l) => l.includes('"permission"')),
      'a snapshot with the blocker',
      { timeoutMs: 15_000, detail: () => watch.lines.slice(-1).join('\n') },
    );
    // The transition happened in this process. A runtime that runs on: commands starts
    // them at the transition (the serve test above sees its command within that time).
    p.writeDoc('alpha', 'state.json', state('running'));
    await waitFor(
      () => watch.lines.at(-1)?.includes('"permission"') === false,
      'a snapshot without the blocker',
      { timeoutMs: 15_000 },
    );
    expect(existsSync(path.join(p.root, 'on.log'))).toBe(false);
  });
});
