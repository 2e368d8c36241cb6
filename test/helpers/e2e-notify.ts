/**
 * Notification helpers of the end-to-end tests: the exact OSC 9 bytes, the notification
 * texts a real terminal received (tmux `pipe-pane` bytes), waiting for one, the native
 * bridge documents that cause transitions, a file's setup and cleanup, and `serve`.
 */
import { afterEach, beforeAll } from 'vitest';
import { startCli, stopClis, waitFor, type RunningCli } from './e2e-cli.js';
import { settleProject } from './e2e-frame.js';
import { cleanupProjects } from './e2e-project.js';
import { hasTmux, type BoardTerm } from './e2e-tmux.js';

const ESC = '\u001b';
const BEL = '\u0007';

/** The exact bytes of one notification with `text`: `ESC ] 9 ; text BEL BEL`. */
export const osc9 = (text: string): string => `${ESC}]9;${text}${BEL}${BEL}`;

/** Texts of the notifications in `raw` (terminal bytes), in order. */
export const notifications = (raw: string): string[] =>
  // eslint-disable-next-line no-control-regex
  [...raw.matchAll(/\u001b\]9;([^\u0007]*)\u0007\u0007/g)].map((m) => m[1] ?? '');

/** A state.json of the native dialect, heartbeat now. */
export function state(status: string, blocker?: { failureClass: string; detail: string }) {
  return {
    schema: 'laneboard.state/1',
    status,
    ...(blocker ? { blocker } : {}),
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Wait (≤ 15 s) until `term` has written the notification `text`; returns every
 * notification text it wrote so far.
 */
export async function notified(term: BoardTerm, text: string): Promise<string[]> {
  return waitFor(
    () => {
      const all = notifications(term.bytes());
      return all.includes(text) && all;
    },
    `the notification ${JSON.stringify(text)}`,
    {
      timeoutMs: 15_000,
      detail: () =>
        `notifications: ${JSON.stringify(notifications(term.bytes()))}\nframe:\n${term.capture()}`,
    },
  );
}

/**
 * The lifecycle of a notification e2e file, registered with vitest: fails early without
 * tmux; after each test kills the tmux boards, stops the CLIs, lets the project settle and
 * removes it. Push what a test starts into `terms` / `running` and set `root`.
 */
export function notifyE2e(): { terms: BoardTerm[]; running: RunningCli[]; root: string | null } {
  const ctx = {
    terms: [] as BoardTerm[],
    running: [] as RunningCli[],
    root: null as string | null,
  };
  beforeAll(() => {
    if (!hasTmux()) throw new Error('the notification e2e tests need tmux on PATH');
  });
  afterEach(async () => {
    for (const t of ctx.terms.splice(0)) t.kill();
    await stopClis(ctx.running);
    if (ctx.root !== null) await settleProject(ctx.root);
    ctx.root = null;
    cleanupProjects();
  });
  return ctx;
}

/** Start `laneboard serve --config <config>` in `cwd` and wait (≤ 15 s) until it listens. */
export async function startServe(cwd: string, config: string): Promise<RunningCli> {
  const serve = startCli(['serve', '--config', config], { cwd });
  await waitFor(() => /serving /.test(serve.stderr()), 'serve to listen', {
    timeoutMs: 15_000,
    detail: () => serve.stderr(),
  });
  return serve;
}
