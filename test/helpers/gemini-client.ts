/**
 * The real Gemini CLI for the real-client suites: npm `@google/gemini-cli` at a pinned
 * version, installed on first use into `node_modules/.cache/gemini-cli-<version>`
 * (./npm-client.ts: shared install, loud skip only when the registry is unreachable), run
 * with `node bundle/gemini.js`.
 *
 * It talks to a scripted Gemini API server on loopback (./gemini-server.ts) through
 * `GOOGLE_GEMINI_BASE_URL` (honoured since gemini-cli PR #25357; plain http is allowed
 * for localhost) with API-key auth (`GEMINI_API_KEY`, and `security.auth.selectedType:
 * "gemini-api-key"` in the private HOME's settings, without which it stops with "Invalid
 * auth method selected"). `GEMINI_CLI_TRUST_WORKSPACE=true` trusts the worktree (no
 * folder-trust dialog).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientBin, ensureNpmClient, type NpmClient } from './npm-client.js';

/** The pinned client version. */
export const GEMINI_VERSION = '0.61.0';

const SPEC = {
  title: 'Gemini CLI',
  pkg: '@google/gemini-cli',
  version: GEMINI_VERSION,
  dir: `gemini-cli-${GEMINI_VERSION}`,
  bin: 'node_modules/@google/gemini-cli/bundle/gemini.js',
  viaNode: true,
};

/** The client's entry script inside the cache (run it with `node`). */
export const GEMINI_BIN = clientBin(SPEC);

/** The pinned client, installed when missing (./npm-client.ts `ensureNpmClient`). */
export function ensureGeminiClient(): Promise<NpmClient> {
  return ensureNpmClient(SPEC);
}

/**
 * Environment for one client run with HOME `home` (created here, with the user settings
 * that select API-key auth) against the scripted server at `baseUrl`. Only PATH is taken
 * from this process.
 */
export function geminiEnv(home: string, baseUrl: string): NodeJS.ProcessEnv {
  mkdirSync(path.join(home, '.gemini'), { recursive: true });
  writeFileSync(
    path.join(home, '.gemini', 'settings.json'),
    JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
  );
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_API_KEY: 'test',
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
  };
}
