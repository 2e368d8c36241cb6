/**
 * One owner for side effects (docs/attention.md "Who does what"): with a real `laneboard
 * serve` and two boards attached to it in real terminals (tmux), every transition writes
 * OSC 9 + BEL on BOTH terminals, while the `settings.notify` command and the `on:` command
 * — real shell commands that append a line (with the pid of the process that ran them) to
 * a file — run exactly once per transition, in serve.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/e2e-cli.js';
import { notified, notifyE2e, osc9, startServe, state } from '../helpers/e2e-notify.js';
import { makeProject } from '../helpers/e2e-project.js';
import { startBoard } from '../helpers/e2e-tmux.js';

const ctx = notifyE2e();
const { terms, running } = ctx;

/** The non-empty lines of `file` ([] while it does not exist). */
const lines = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

describe('serve owns the notify and on: commands; attached boards only notify', () => {
  it('two attached boards: OSC 9 on each terminal, each command once per transition', async () => {
    const p = makeProject();
    ctx.root = p.root;
    p.addLane('alpha', 'lane/alpha');
    p.addLane('bravo', 'lane/bravo');
    const notifyLog = path.join(p.root, 'notify.log');
    const onLog = path.join(p.root, 'on.log');
    // $PPID: the laneboard process that ran the command.
    const notifyCmd = `echo "$PPID $LANEBOARD_NOTIFY_TEXT" >> '${notifyLog}'`;
    const onCmd = `echo "$PPID $LANEBOARD_EVENT $LANEBOARD_LANE_ID" >> '${onLog}'`;
    p.writeConfig(
      [
        'version: 1',
        'settings:',
        `  notify: { command: ${JSON.stringify(notifyCmd)} }`,
        'defaults:',
        '  repo: repo',
        '  on:',
        `    attention: ${JSON.stringify(onCmd)}`,
        'lanes:',
        '  - { id: alpha, worktree: wt/alpha, branch: lane/alpha }',
        '  - { id: bravo, worktree: wt/bravo, branch: lane/bravo }',
        '',
      ].join('\n'),
    );
    const serve = await startServe(p.root, p.config);
    running.push(serve);
    const boards = [1, 2].map(() => {
      const term = startBoard({ cwd: p.root, args: ['--config', p.config], raw: true });
      terms.push(term);
      return term;
    });
    for (const term of boards)
      await term.waitForFrame(
        (f) => f.includes(`attached to pid ${serve.child.pid}`) && f.includes('bravo'),
        'an attached board',
      );
    const pid = serve.child.pid;
    const steps: [() => void, string][] = [
      [
        () =>
          p.writeDoc(
            'alpha',
            'state.json',
            state('blocked', { failureClass: 'input_required', detail: 'which branch?' }),
          ),
        'laneboard: alpha needs input: input_required: which branch?',
      ],
      [() => p.writeDoc('alpha', 'state.json', state('finished')), 'laneboard: alpha finished'],
      [
        () =>
          p.writeDoc(
            'bravo',
            'state.json',
            state('blocked', { failureClass: 'permission', detail: 'Bash: ls' }),
          ),
        'laneboard: bravo needs input: permission: Bash: ls',
      ],
    ];
    for (const [i, [act, text]] of steps.entries()) {
      act();
      // Each terminal gets the notification…
      for (const term of boards) await notified(term, text);
      // …and serve runs the notify command for it.
      await waitFor(() => lines(notifyLog).length > i, `notify command ${i + 1} in serve`, {
        timeoutMs: 10_000,
        detail: () => lines(notifyLog).join('\n'),
      });
    }
    await waitFor(() => lines(onLog).length >= 2, 'the on: commands', { timeoutMs: 10_000 });
    // Exactly once per transition, all run by serve (none by either board).
    expect(lines(notifyLog)).toEqual(steps.map(([, text]) => `${pid} ${text}`));
    expect(lines(onLog)).toEqual([`${pid} attention alpha`, `${pid} attention bravo`]);
    for (const term of boards) {
      const raw = term.bytes();
      for (const [, text] of steps) expect(raw.split(osc9(text))).toHaveLength(2);
    }
    // serve and two boards in tmux: a loaded machine can take longer than the default.
  }, 60_000);
});
