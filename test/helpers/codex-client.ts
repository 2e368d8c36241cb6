/**
 * The real Codex CLI for the real-client suites: npm `@openai/codex` at a pinned version,
 * installed on first use into `node_modules/.cache/codex-<version>` (./npm-client.ts:
 * shared install, loud skip only when the registry is unreachable). The package's platform
 * binary comes as an optional dependency (`@openai/codex-linux-x64`); the install is
 * checked by running `codex --version`.
 *
 * Also: the `-c` overrides that point the client at a scripted Responses server on loopback
 * ({@link codexArgs}), its environment with a private HOME and CODEX_HOME
 * ({@link codexEnv}), and {@link trustHooks}: the one trust step a user takes in `/hooks`,
 * done through the same app-server calls that screen makes (`hooks/list`, then
 * `config/batchWrite` of `hooks.state.<key>.trusted_hash` = the listed `currentHash`).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { clientBin, clientCache, ensureNpmClient, type NpmClient } from './npm-client.js';

/** The pinned client version. */
export const CODEX_VERSION = '0.171.0';

const SPEC = {
  title: 'Codex CLI',
  pkg: '@openai/codex',
  version: CODEX_VERSION,
  dir: `codex-${CODEX_VERSION}`,
  bin: 'node_modules/@openai/codex/bin/codex.js',
  viaNode: true,
};

/** Cache directory of the pinned client. */
export const CODEX_CACHE = clientCache(SPEC);

/** The client's launcher inside the cache (a Node script that runs the platform binary). */
export const CODEX_BIN = clientBin(SPEC);

/** The client to run, or why the suite is skipped. */
export type CodexClient = NpmClient;

/**
 * The pinned client, installed when missing (./npm-client.ts `ensureNpmClient`). Resolves
 * `{bin}` (run it with `node`) when it works.
 */
export function ensureCodexClient(): Promise<CodexClient> {
  return ensureNpmClient(SPEC);
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
