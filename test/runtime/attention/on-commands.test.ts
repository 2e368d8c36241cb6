import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAttention } from '../../../src/runtime/attention/index.js';
import type { Action } from '../../../src/state/actions.js';
import { ON_EVENTS, type OnEvent } from '../../../src/state/config-types.js';
import { selectLaneView } from '../../../src/state/selectors.js';
import { resultDoc, stateDoc, worker } from '../../helpers/attention-fixtures.js';
import { boardWith, laneConfig } from '../../helpers/ui-fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A board whose lane `a` runs `on` commands; `dir` is its worktree (and the commands' cwd). */
async function board(on: Partial<Record<OnEvent, string[]>>, onTimeoutMs = 10_000) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-on-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = boardWith(['a']);
  store.dispatch({
    type: 'lanes/configured',
    lanes: [laneConfig('a', { worktree: dir, on })],
    settings: { ...store.getState().settings, onTimeoutMs },
    at: 0,
  });
  const att = createAttention({
    store,
    clock: { now: () => Date.now() },
    write: () => undefined,
    fallbackCwd: os.tmpdir(),
  });
  await att.start();
  cleanups.push(() => att.dispose());
  return { dir, store, att };
}

/** Writes its stdin, event and lane id into `<event>.json` / `<event>.env` in its cwd. */
const RECORD = [
  '/bin/sh',
  '-c',
  'cat > "$LANEBOARD_EVENT.json"; echo "$LANEBOARD_EVENT $LANEBOARD_LANE_ID" > "$LANEBOARD_EVENT.env"',
];

const STEPS: Record<OnEvent, Action[]> = {
  attention: [stateDoc('a', 'blocked', { failureClass: 'permission', detail: 'Bash' })],
  blocked: [stateDoc('a', 'blocked', { failureClass: 'compile', detail: 'tsc failed' })],
  red: [resultDoc('a', 'red')],
  green: [resultDoc('a', 'green')],
  finished: [stateDoc('a', 'finished')],
  crash_loop: [worker('a', { phase: 'crash_loop', restarts: 5, exitCode: 1 })],
  exited: [worker('a', { phase: 'exited', pid: null, exitCode: 1 })],
};

describe('on: commands', () => {
  it.each(ON_EVENTS)('%s runs once with the lane snapshot on stdin and its env', async (event) => {
    const { dir, store, att } = await board({ [event]: RECORD });
    store.dispatchAll(STEPS[event]);
    await att.runner.idle();
    // Only the bound event ran, once.
    expect(readdirSync(dir).sort()).toEqual([`${event}.env`, `${event}.json`]);
    expect(readFileSync(path.join(dir, `${event}.env`), 'utf8')).toBe(`${event} a\n`);
    const stdin = JSON.parse(readFileSync(path.join(dir, `${event}.json`), 'utf8')) as {
      id: string;
      worktree: string;
      git: unknown;
      blockers: unknown[];
    };
    expect(stdin.id).toBe('a');
    expect(stdin.worktree).toBe(dir);
    expect(stdin).toHaveProperty('git');
    // The same lane object as --json shows, at the moment of the transition.
    expect(Object.keys(stdin)).toContain('mergeReasons');
    // Repeating the same state fires nothing more.
    store.dispatchAll(STEPS[event]);
    await att.runner.idle();
    expect(readdirSync(dir)).toHaveLength(2);
    expect(store.getState().lanes.a?.onCommand).toMatchObject({ event, ok: true });
  });

  it('a failing command is shown on the lane; a hanging one is killed at the timeout', async () => {
    const { store, att } = await board(
      {
        finished: ['/bin/sh', '-c', 'echo "no webhook configured" >&2; exit 3'],
        exited: ['/bin/sh', '-c', 'exec sleep 30'],
      },
      300,
    );
    store.dispatch(stateDoc('a', 'finished'));
    await att.runner.idle();
    expect(selectLaneView(store.getState(), 'a').problems).toContain(
      'on finished: /bin/sh exit 3: no webhook configured',
    );
    const started = Date.now();
    store.dispatch(worker('a', { phase: 'exited', pid: null, exitCode: 1 }));
    await att.runner.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(selectLaneView(store.getState(), 'a').problems).toContain(
      'on exited: /bin/sh timed out after 300 ms',
    );
  });

  it('the timeout stops the whole process group: children that ignore SIGTERM too', async () => {
    const { dir, store, att } = await board(
      {
        // A child that ignores SIGTERM, backgrounded, its pid written down; then the
        // command itself waits. Killing only the command would leave the child running.
        exited: [
          '/bin/sh',
          '-c',
          `(trap '' TERM; exec ${JSON.stringify(process.execPath)} -e "process.on('SIGTERM',()=>{});setInterval(()=>{},1e3)") & echo $! > child.pid; wait`,
        ],
      },
      300,
    );
    store.dispatch(worker('a', { phase: 'exited', pid: null, exitCode: 1 }));
    await att.runner.idle();
    expect(selectLaneView(store.getState(), 'a').problems).toContain(
      'on exited: /bin/sh timed out after 300 ms',
    );
    const child = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8').trim());
    const alive = (): boolean => {
      try {
        process.kill(child, 0);
        return true;
      } catch {
        return false;
      }
    };
    cleanups.push(() => alive() && process.kill(child, 'SIGKILL'));
    await vi.waitFor(() => expect(alive()).toBe(false), { timeout: 5_000 });
  });

  it('a command that does not exist is a visible failure, not a crash', async () => {
    const { store, att } = await board({ green: ['/nonexistent/hook'] });
    store.dispatch(resultDoc('a', 'green'));
    await att.runner.idle();
    expect(selectLaneView(store.getState(), 'a').problems).toContain(
      'on green: command not found: /nonexistent/hook',
    );
  });
});
