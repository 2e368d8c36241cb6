/**
 * A real agent client from npm for the real-client suites (Claude Code, Codex CLI, Gemini
 * CLI), pinned and installed on first use into `node_modules/.cache/<dir>` (gitignored with
 * node_modules; a clean clone — CI — installs it in its first test run, later runs reuse
 * it). The install is checked by running the client with `--version`.
 *
 * Concurrent test files share one install: a lock directory (`<cache>.lock`, holding the
 * installer's pid; a lock whose pid is gone is taken over) serializes them, and the package
 * is installed into a temp directory renamed into place, so a half-done install is never
 * used. When the install fails and `npm ping` cannot reach the registry either, the suite
 * is skipped with a loud message on stderr; any other install failure throws (the suite
 * fails).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './hook-cli.js';

const exec = promisify(execFile);

/** The client to run, or why the suite is skipped. */
export type NpmClient =
  { readonly bin: string; readonly skip: null } | { readonly bin: null; readonly skip: string };

/** What to install and how to check it. */
export interface NpmClientSpec {
  /** The name in the skip message, e.g. `Claude Code`. */
  readonly title: string;
  /** npm package name, e.g. `@google/gemini-cli`. */
  readonly pkg: string;
  /** Pinned version; `--version` must print it. */
  readonly version: string;
  /** Cache directory name under `node_modules/.cache`. */
  readonly dir: string;
  /** Path of the executable inside the cache directory. */
  readonly bin: string;
  /** Run the executable with `node` (a JS entry) rather than directly. */
  readonly viaNode?: boolean;
}

/** Absolute cache directory of `spec`. */
export function clientCache(spec: Pick<NpmClientSpec, 'dir'>): string {
  return path.join(REPO_ROOT, 'node_modules', '.cache', spec.dir);
}

/** Absolute path of `spec`'s executable. */
export function clientBin(spec: Pick<NpmClientSpec, 'dir' | 'bin'>): string {
  return path.join(clientCache(spec), spec.bin);
}

async function works(spec: NpmClientSpec): Promise<boolean> {
  const bin = clientBin(spec);
  if (!existsSync(bin)) return false;
  try {
    const [cmd, args] = spec.viaNode ? [process.execPath, [bin]] : [bin, []];
    const { stdout } = await exec(cmd, [...args, '--version'], { timeout: 30_000 });
    return stdout.includes(spec.version);
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

function loudSkip(spec: NpmClientSpec, reason: string): NpmClient {
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! SKIPPED: the real ${spec.title} ${spec.version} suite.\n!! ${reason}\n${bar}\n\n`,
  );
  return { bin: null, skip: reason };
}

/**
 * The pinned client, installed when missing. Resolves `{bin}` when it runs; `{skip}`
 * (after a loud message) when the npm registry is unreachable; rejects with npm's output
 * when the install failed for another reason. Takes up to a few minutes on a first run.
 */
export async function ensureNpmClient(spec: NpmClientSpec): Promise<NpmClient> {
  const cache = clientCache(spec);
  const bin = clientBin(spec);
  if (await works(spec)) return { bin, skip: null };
  const release = await lock(`${cache}.lock`, 15 * 60_000);
  try {
    if (await works(spec)) return { bin, skip: null };
    const tmp = `${cache}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const pkg = `${spec.pkg}@${spec.version}`;
    const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
    try {
      await exec('npm', [...args, '--prefix', tmp, pkg], {
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
          spec,
          `the npm registry is unreachable (npm ping failed); npm install ${pkg} failed.`,
        );
      throw new Error(`npm install ${pkg} failed:\n${e.stderr ?? e.message ?? String(err)}`);
    }
    rmSync(cache, { recursive: true, force: true });
    renameSync(tmp, cache);
    if (!(await works(spec)))
      throw new Error(`${bin} --version does not print ${spec.version} after the install`);
    return { bin, skip: null };
  } finally {
    release();
  }
}
