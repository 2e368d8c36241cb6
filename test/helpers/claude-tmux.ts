/**
 * The interactive Claude Code client in tmux for the real-client suites: a private HOME
 * with the first-run screens already passed (onboarding done, the test API key accepted,
 * the worktree trusted), the client started in session `cc` on the caller's own tmux
 * socket with the environment of {@link claudeEnv}, its screen read with `capture-pane`,
 * and a stop that waits for the client to exit (it still writes its session files then).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { claudeEnv } from './claude-client.js';
import { waitFor } from './e2e-cli.js';
import { killTmuxClient } from './e2e-tmux.js';

/** A client running in a tmux pane. */
export interface ClaudeTmux {
  /** `tmux -L <socket> …` (throws when tmux fails). */
  readonly tmux: (...args: string[]) => string;
  /** The pane's text now. */
  readonly screen: () => string;
  /** Type `text` into the client, wait until it shows, then press Enter on its own. */
  readonly prompt: (text: string) => Promise<void>;
  /** Kill the tmux server and wait (up to 30 s) until the client process is gone. */
  readonly stop: () => Promise<void>;
}

/**
 * Start `bin <prompt>` in worktree `cwd` on tmux socket `socket` (120 × 40), talking to
 * the Messages server at `baseUrl`, with HOME `home` (created and pre-seeded here).
 */
export function startClaudeTmux(
  bin: string,
  socket: string,
  cwd: string,
  home: string,
  baseUrl: string,
  prompt: string,
): ClaudeTmux {
  mkdirSync(home, { recursive: true });
  writeFileSync(
    path.join(home, '.claude.json'),
    JSON.stringify({
      hasCompletedOnboarding: true,
      customApiKeyResponses: { approved: ['test'], rejected: [] },
      projects: { [cwd]: { hasTrustDialogAccepted: true } },
    }),
  );
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries(claudeEnv(home, baseUrl)).flatMap(([k, v]) => [
    '-e',
    `${k}=${v ?? ''}`,
  ]);
  tmux(
    'new-session',
    '-d',
    '-s',
    'cc',
    '-x',
    '120',
    '-y',
    '40',
    '-c',
    cwd,
    ...envArgs,
    bin,
    prompt,
  );
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'cc');
  return {
    tmux,
    screen,
    async prompt(text) {
      tmux('send-keys', '-t', 'cc', '-l', text);
      await waitFor(() => screen().includes(text), `the prompt "${text}" typed`, {
        timeoutMs: 20_000,
        intervalMs: 100,
        detail: screen,
      });
      tmux('send-keys', '-t', 'cc', 'Enter');
    },
    stop: () => killTmuxClient(tmux, 'cc'),
  };
}
