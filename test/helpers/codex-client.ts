/**
 * The real Codex CLI for the real-client suites: npm `@openai/codex` at a pinned version,
 * installed on first use into `node_modules/.cache/codex-<version>` (gitignored with
 * node_modules; a clean clone — CI — installs it in its first test run, later runs reuse
 * it). The package's platform binary comes as an optional dependency
 * (`@openai/codex-linux-x64`); the install is checked by running `codex --version`.
 *
 * Concurrent test files share one install: a lock directory (`<cache>.lock` holding the
 * installer's pid; a lock whose pid is gone is taken over) serializes them, and the
 * package is installed into a temp directory renamed into place, so a half-done install
 * is never used. When the install fails and `npm ping` cannot reach the registry either,
 * the suite is skipped with a loud message on stderr; any other failure throws.
 *
 * Also: the `-c` overrides that point the client at a scripted Responses server on loopback
 * ({@link codexArgs}), its environment with a private HOME and CODEX_HOME
 * ({@link codexEnv}), and {@link trustHooks}: the one trust step a user takes in `/hooks`,
 * done through the same app-server calls that screen makes (`hooks/list`, then
 * `config/batchWrite` of `hooks.state.<key>.trusted_hash` = the listed `currentHash`).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { REPO_ROOT } from './hook-cli.js';

const exec = promisify(execFile);

/** The pinned client version. */
export const CODEX_VERSION = '0.171.0';

/** Cache directory of the pinned client. */
export const CODEX_CACHE = path.join(REPO_ROOT, 'node_modules', '.cache', `codex-${CODEX_VERSION}`);

/** The client's launcher inside the cache (a Node script that runs the platform binary). */
export const CODEX_BIN = path.join(
  CODEX_CACHE,
  'node_modules',
  '@openai',
  'codex',
  'bin',
  'codex.js',
);

/** The client to run, or why the suite is skipped. */
export type CodexClient =
  { readonly bin: string; readonly skip: null } | { readonly bin: null; readonly skip: string };

async function works(bin: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  try {
    const { stdout } = await exec(process.execPath, [bin, '--version'], { timeout: 30_000 });
    return stdout.includes(CODEX_VERSION);
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

function loudSkip(reason: string): CodexClient {
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! SKIPPED: the real Codex CLI ${CODEX_VERSION} suite.\n!! ${reason}\n${bar}\n\n`,
  );
  return { bin: null, skip: reason };
}

/**
 * The pinned client, installed when missing. Resolves `{bin}` (run it with `node`) when it
 * works; `{skip}` (after a loud message) when the npm registry is unreachable; rejects with
 * npm's output when the install failed for another reason.
 */
export async function ensureCodexClient(): Promise<CodexClient> {
  if (await works(CODEX_BIN)) return { bin: CODEX_BIN, skip: null };
  const release = await lock(`${CODEX_CACHE}.lock`, 10 * 60_000);
  try {
    if (await works(CODEX_BIN)) return { bin: CODEX_BIN, skip: null };
    const tmp = `${CODEX_CACHE}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const spec = `@openai/codex@${CODEX_VERSION}`;
    const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
    try {
      await exec('npm', [...args, '--prefix', tmp, spec], {
        timeout: 10 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
        cwd: tmp,
      });
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
    rmSync(CODEX_CACHE, { recursive: true, force: true });
    renameSync(tmp, CODEX_CACHE);
    if (!(await works(CODEX_BIN)))
      throw new Error(`${CODEX_BIN} --version does not print ${CODEX_VERSION} after the install`);
    return { bin: CODEX_BIN, skip: null };
  } finally {
    release();
  }
}

/**
 * `-c` overrides for one run against the scripted server at `baseUrl` (`…/v1`): a custom
 * provider `scripted` speaking the Responses wire API with the key from `SCRIPTED_KEY`, no
 * request or stream retries (a 429 ends the turn at once), model `gpt-test`, no update
 * check, no analytics.
 */
export function codexArgs(baseUrl: string): string[] {
  const c = (kv: string): string[] => ['-c', kv];
  return [
    ...c('model_provider="scripted"'),
    ...c('model_providers.scripted.name="scripted"'),
    ...c(`model_providers.scripted.base_url="${baseUrl}"`),
    ...c('model_providers.scripted.env_key="SCRIPTED_KEY"'),
    ...c('model_providers.scripted.wire_api="responses"'),
    ...c('model_providers.scripted.request_max_retries=0'),
    ...c('model_providers.scripted.stream_max_retries=0'),
    ...c('check_for_update_on_startup=false'),
    ...c('analytics.enabled=false'),
    ...['-m', 'gpt-test'],
  ];
}

/** Environment of one run: private HOME and CODEX_HOME, a dummy key; only PATH inherited. */
export function codexEnv(home: string, codexHome: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CODEX_HOME: codexHome,
    SCRIPTED_KEY: 'test',
    LANG: 'C.UTF-8',
  };
}

/** One hook as `hooks/list` reports it (the fields used here). */
interface ListedHook {
  readonly key: string;
  readonly eventName: string;
  readonly command: string;
  readonly currentHash: string;
  readonly trustStatus: string;
}

/**
 * Trust the hooks Codex lists for `cwd` whose command contains `match` — what a user does
 * in `/hooks` — through `codex app-server` (JSON-RPC lines on stdio): `initialize`,
 * `hooks/list`, `config/batchWrite` (upsert `hooks.state` = `{<key>: {trusted_hash}}`),
 * then `hooks/list` again. Resolves the event names now trusted; rejects when the server
 * does not answer within 20 s.
 */
export async function trustHooks(
  bin: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  match: string,
): Promise<string[]> {
  const child = spawn(process.execPath, [bin, 'app-server'], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const m = JSON.parse(line) as Record<string, unknown>;
      const id = typeof m.id === 'number' ? m.id : -1;
      waiting.get(id)?.(m);
      waiting.delete(id);
    } catch {
      // not a JSON-RPC line
    }
  });
  let next = 0;
  const call = (method: string, params: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(
        () => reject(new Error(`codex app-server: no answer to ${method}`)),
        20_000,
      );
      waiting.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(`codex app-server ${method}: ${JSON.stringify(m.error)}`));
        else resolve((m.result ?? {}) as Record<string, unknown>);
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  const list = async (): Promise<ListedHook[]> => {
    const r = (await call('hooks/list', { cwds: [cwd] })) as { data?: { hooks?: ListedHook[] }[] };
    return (r.data ?? []).flatMap((d) => d.hooks ?? []).filter((h) => h.command.includes(match));
  };
  try {
    await call('initialize', { clientInfo: { name: 'laneboard-tests', version: '1' } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'initialized' })}\n`);
    const state: Record<string, { trusted_hash: string }> = {};
    for (const h of await list())
      if (h.trustStatus !== 'trusted') state[h.key] = { trusted_hash: h.currentHash };
    if (Object.keys(state).length > 0)
      await call('config/batchWrite', {
        edits: [{ keyPath: 'hooks.state', value: state, mergeStrategy: 'upsert' }],
      });
    return (await list()).filter((h) => h.trustStatus === 'trusted').map((h) => h.eventName);
  } finally {
    child.kill();
  }
}
