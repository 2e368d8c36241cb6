/**
 * The real Claude Code client for the real-client suites: npm `@anthropic-ai/claude-code`
 * at a pinned version, installed on first use into
 * `node_modules/.cache/claude-code-<version>` (./npm-client.ts: shared install, loud skip
 * only when the registry is unreachable). The package's postinstall copies the platform's
 * native binary over `bin/claude.exe`; the install is checked by running
 * `claude.exe --version`.
 *
 * Also: the environment that points the client at a scripted Messages server on loopback
 * with a private HOME ({@link claudeEnv}), and a headless run ({@link runClaudeP}).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { clientBin, clientCache, ensureNpmClient, type NpmClient } from './npm-client.js';

/** The pinned client version (the one issue #11 was measured with). */
export const CLAUDE_VERSION = '2.1.330';

const SPEC = {
  title: 'Claude Code',
  pkg: '@anthropic-ai/claude-code',
  version: CLAUDE_VERSION,
  dir: `claude-code-${CLAUDE_VERSION}`,
  bin: 'node_modules/@anthropic-ai/claude-code/bin/claude.exe',
};

/** Cache directory of the pinned client. */
export const CLAUDE_CACHE = clientCache(SPEC);

/** Path of the native client inside the cache. */
export const CLAUDE_BIN = clientBin(SPEC);

/** The client to run, or why the suite is skipped. */
export type ClaudeClient = NpmClient;

/**
 * The pinned client, installed when missing (./npm-client.ts `ensureNpmClient`). Takes up
 * to a few minutes on the first run (the native binary is ~380 MB unpacked).
 */
export function ensureClaudeClient(): Promise<ClaudeClient> {
  return ensureNpmClient(SPEC);
}

/**
 * Environment for one client run: a private `home`, the scripted server's `baseUrl`, a
 * dummy API key, no retries (a 429 ends the turn at once), no auto-updater, telemetry or
 * other non-essential traffic. Only PATH is taken from this process.
 */
export function claudeEnv(home: string, baseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'test',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '0',
  };
}

/**
 * {@link claudeEnv} for a subscription login instead of an API key: a dummy
 * `CLAUDE_CODE_OAUTH_TOKEN` (the scripted server accepts anything). Claude Code reports
 * usage windows (`rate_limit_event`) only for such logins.
 */
export function subscriptionEnv(home: string, baseUrl: string): NodeJS.ProcessEnv {
  const { ANTHROPIC_API_KEY: _key, ...env } = claudeEnv(home, baseUrl);
  return { ...env, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-test' };
}

/** What `claude -p … --output-format json` ended with. */
export interface HeadlessRun {
  /** Exit code (-1: killed or not started). */
  readonly code: number;
  /** The JSON result it printed. */
  readonly out: Record<string, unknown>;
}

/**
 * Run `bin -p <prompt> --output-format json` in `cwd` against the Messages server at
 * `baseUrl`, with HOME `home` (created). Rejects when it printed no JSON (with its
 * output), or after `timeoutMs` (default 120 s) when it was killed and printed none.
 */
export function runClaudeP(
  bin: string,
  cwd: string,
  home: string,
  baseUrl: string,
  prompt: string,
  timeoutMs = 120_000,
): Promise<HeadlessRun> {
  mkdirSync(home, { recursive: true });
  return new Promise<HeadlessRun>((resolve, reject) => {
    execFile(
      bin,
      ['-p', prompt, '--output-format', 'json'],
      { cwd, env: claudeEnv(home, baseUrl), timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        try {
          resolve({ code, out: JSON.parse(stdout) as Record<string, unknown> });
        } catch {
          reject(new Error(`claude -p printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
