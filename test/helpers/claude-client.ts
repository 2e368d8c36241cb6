/**
 * The real Claude Code client for the real-client suites: npm `@anthropic-ai/claude-code`
 * at a pinned version, installed on first use into
 * `node_modules/.cache/claude-code-<version>` (gitignored with node_modules; a clean clone —
 * CI — installs it in its first test run, later runs reuse it). The package's postinstall
 * copies the platform's native binary over `bin/claude.exe`; the install is checked by
 * running `claude.exe --version`.
 *
 * Concurrent test files share one install: a lock directory (`<cache>.lock`, holding the
 * installer's pid; a lock whose pid is gone is taken over) serializes them, and the
 * package is installed into a temp directory renamed into place, so a half-done install
 * is never used. When the install fails and `npm ping` cannot reach the registry either,
 * the suites are skipped with a loud message on stderr; any other install failure throws
 * (the suite fails).
 *
 * Also: the environment that points the client at a scripted Messages server on loopback
 * with a private HOME ({@link claudeEnv}).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './hook-cli.js';

const exec = promisify(execFile);

/** The pinned client version (the one issue #11 was measured with). */
export const CLAUDE_VERSION = '2.1.330';

/** Cache directory of the pinned client. */
export const CLAUDE_CACHE = path.join(
  REPO_ROOT,
  'node_modules',
  '.cache',
  `claude-code-${CLAUDE_VERSION}`,
);

/** Path of the native client inside the cache. */
export const CLAUDE_BIN = path.join(
  CLAUDE_CACHE,
  'node_modules',
  '@anthropic-ai',
  'claude-code',
  'bin',
  'claude.exe',
);

/** The client to run, or why the suite is skipped. */
export type ClaudeClient =
  { readonly bin: string; readonly skip: null } | { readonly bin: null; readonly skip: string };

async function works(bin: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  try {
    const { stdout } = await exec(bin, ['--version'], { timeout: 30_000 });
    return stdout.includes(CLAUDE_VERSION);
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the install lock (waits up to `waitMs`; takes over a lock whose holder is gone). */
async function lock(dir: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  mkdirSync(path.dirname(dir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      // the holder is between mkdir and writing its pid
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function loudSkip(reason: string): ClaudeClient {
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! SKIPPED: the real Claude Code ${CLAUDE_VERSION} suite.\n!! ${reason}\n${bar}\n\n`,
  );
  return { bin: null, skip: reason };
}

/**
 * The pinned client, installed when missing. Resolves `{bin}` when it runs; resolves
 * `{skip}` (after printing a loud message) when the npm registry is unreachable; rejects
 * with npm's output when the install failed for another reason. Takes up to a few minutes
 * on the first run (the native binary is ~380 MB unpacked).
 */
export async function ensureClaudeClient(): Promise<ClaudeClient> {
  if (await works(CLAUDE_BIN)) return { bin: CLAUDE_BIN, skip: null };
  const release = await lock(`${CLAUDE_CACHE}.lock`, 15 * 60_000);
  try {
    if (await works(CLAUDE_BIN)) return { bin: CLAUDE_BIN, skip: null };
    const tmp = `${CLAUDE_CACHE}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const spec = `@anthropic-ai/claude-code@${CLAUDE_VERSION}`;
    try {
      await exec(
        'npm',
        [
          'install',
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--prefix',
          tmp,
          spec,
        ],
        { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024, cwd: tmp },
      );
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      const e = err as { message?: string; stderr?: string };
      const reachable = await exec('npm', ['ping'], { timeout: 30_000 }).then(
        () => true,
        () => false,
      );
      if (!reachable)
        return loudSkip(
          `the npm registry is unreachable (npm ping failed); npm install ${spec} failed.`,
        );
      throw new Error(`npm install ${spec} failed:\n${e.stderr ?? e.message ?? String(err)}`);
    }
    rmSync(CLAUDE_CACHE, { recursive: true, force: true });
    renameSync(tmp, CLAUDE_CACHE);
    if (!(await works(CLAUDE_BIN)))
      throw new Error(`${CLAUDE_BIN} --version does not print ${CLAUDE_VERSION} after the install`);
    return { bin: CLAUDE_BIN, skip: null };
  } finally {
    release();
  }
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
