/**
 * The interactive Codex CLI in tmux for the real-client suites (codex-interactive,
 * codex-approvals): a project with one lane `a` (extra `defaults` keys allowed), the hooks
 * from `laneboard hooks install --agent codex` in a private CODEX_HOME, trusted as in
 * `/hooks`, the client started in a tmux session `cx` on the caller's own socket, and the
 * folder trust prompt answered as a user answers it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { CODEX_BIN, codexArgs, codexEnv, trustHooks } from './codex-client.js';
import { runCli, waitFor, type CliResult } from './e2e-cli.js';
import { makeProject, type Project } from './e2e-project.js';

/** tmux on one socket, and the pane of session `cx`. */
export interface CodexTmux {
  readonly tmux: (...args: string[]) => string;
  readonly pane: () => string;
}

/** tmux commands on socket `socket` (`tmux -L <socket> …`). */
export function codexTmux(socket: string): CodexTmux {
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  return { tmux, pane: () => tmux('capture-pane', '-p', '-t', 'cx') };
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A Codex lane project: lanes.yaml, the hooks installed and trusted. */
export interface CodexProject {
  readonly p: Project;
  /** Worktree of lane `a`. */
  readonly wt: string;
  /** The client's environment (private HOME and CODEX_HOME). */
  readonly env: NodeJS.ProcessEnv;
  /** Output of `laneboard hooks install --agent codex --all` (exit code checked: 0). */
  readonly install: CliResult;
  /** Hook events trusted (as `/hooks` does), from `trustHooks`. */
  readonly trusted: string[];
}

/**
 * Make the project (lane `a`; `defaults` gets `extraDefaults` lines), install the Codex
 * hooks into a private CODEX_HOME and trust them with client `bin`.
 */
export async function codexProject(
  bin: string,
  extraDefaults: readonly string[] = [],
): Promise<CodexProject> {
  const p = makeProject();
  const wt = p.addLane('a', 'lane/a');
  p.writeConfig(
    [
      'version: 1',
      'defaults:',
      '  repo: repo',
      '  base: main',
      ...extraDefaults.map((l) => `  ${l}`),
      'lanes:',
      '  - id: a',
      '    worktree: wt/a',
      '    branch: lane/a',
    ].join('\n'),
  );
  const home = path.join(p.root, 'home');
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const env = codexEnv(home, codexHome);
  const install = await runCli(
    ['hooks', 'install', '--agent', 'codex', '--all', '--config', p.config],
    { env: { CODEX_HOME: codexHome } },
  );
  expect(install.code, install.stderr).toBe(0);
  const trusted = await trustHooks(bin, env, wt, 'laneboard');
  return { p, wt, env, install, trusted };
}

/**
 * {@link codexProject}, then `codex` (client `bin`) against `serverUrl` in tmux session
 * `cx` with `approval_policy = "on-request"` and a read-only sandbox.
 */
export async function startCodexLane(
  t: CodexTmux,
  bin: string,
  serverUrl: string,
  extraDefaults: readonly string[] = [],
): Promise<{ p: Project; wt: string }> {
  const { p, wt, env } = await codexProject(bin, extraDefaults);
  const vars = Object.entries({ ...env, TERM: 'xterm-256color' })
    .map(([k, v]) => `${k}=${shq(v ?? '')}`)
    .join(' ');
  const argv = [
    process.execPath,
    CODEX_BIN,
    ...codexArgs(serverUrl),
    '-c',
    'approval_policy="on-request"',
    '-s',
    'read-only',
  ];
  const cmd = `cd ${shq(wt)} && env -i ${vars} ${argv.map(shq).join(' ')}`;
  t.tmux('new-session', '-d', '-s', 'cx', '-x', '120', '-y', '40', cmd);
  return { p, wt };
}

/** Kill the tmux server of `t` (if one runs) and remove its socket file. */
export function stopCodexTmux(t: CodexTmux): void {
  let socket = '';
  try {
    socket = t.tmux('display-message', '-p', '#{socket_path}').trim();
    t.tmux('kill-server');
  } catch {
    // no server was started
  }
  if (socket.startsWith('/')) rmSync(socket, { force: true });
}

/**
 * Wait until Codex is ready: the folder trust prompt (a fresh CODEX_HOME always asks; it
 * may come up after the composer is drawn) answered with Enter on "Trust and continue",
 * then the composer shown without it on three polls in a row.
 */
export async function codexReady(t: CodexTmux): Promise<void> {
  let calm = 0;
  let trusted = false;
  await waitFor(
    () => {
      const now = t.pane();
      if (/Trust this folder/.test(now)) {
        calm = 0;
        trusted = true;
        t.tmux('send-keys', '-t', 'cx', 'Enter');
      } else if (/Ask Codex to do anything/.test(now)) calm++;
      return trusted && calm >= 3;
    },
    'codex ready (folder trusted)',
    { timeoutMs: 60_000, intervalMs: 400, detail: t.pane },
  );
}
