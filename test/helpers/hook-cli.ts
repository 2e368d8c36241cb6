/**
 * Test helpers for driving the BUILT CLI (`bin/laneboard.js` → `dist/cli.js`) from the
 * hook and recipe tests: builds `dist/` when it is missing or older than `src/`, then runs
 * a private copy of `bin/` + `dist/` (other engineers rebuild `dist/` concurrently, which
 * deletes it for a moment), and spawns it with a controlled environment.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    newest = Math.max(newest, ent.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return false;
  return statSync(cli).mtimeMs >= newestMtime(path.join(REPO_ROOT, 'src'));
}

async function withBuildLock(fn: () => void): Promise<void> {
  const lock = path.join(os.tmpdir(), 'laneboard-test-build.lock');
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than 2 min is abandoned.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(lock);
  }
}

let copy: { root: string; bin: string } | null = null;

/**
 * Path of a runnable copy of the built `bin/laneboard.js` (build first when stale). The
 * copy lives in a temp dir removed by {@link removeBuiltCli}. Throws when the build fails.
 */
export async function builtCli(): Promise<string> {
  if (copy) return copy.bin;
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    await withBuildLock(() => {
      if (!distIsFresh() || attempt > 0)
        execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
    });
    const root = mkdtempSync(path.join(os.tmpdir(), 'lb-cli-'));
    try {
      cpSync(path.join(REPO_ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
      cpSync(path.join(REPO_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
      cpSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
      const bin = path.join(root, 'bin', 'laneboard.js');
      execFileSync(process.execPath, [bin, '--version'], { stdio: 'pipe' });
      copy = { root, bin };
      return bin;
    } catch (err) {
      lastError = err;
      rmSync(root, { recursive: true, force: true });
    }
  }
  throw new Error(`cannot build a runnable CLI: ${String(lastError)}`);
}

/** Remove the private CLI copy (call in afterAll). */
export function removeBuiltCli(): void {
  if (copy) rmSync(copy.root, { recursive: true, force: true });
  copy = null;
}

/** Outcome of one CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit (ms). */
  readonly ms: number;
}

/** How to run the CLI once. */
export interface CliRunOptions {
  readonly cwd: string;
  /** Written to stdin; stdin is then closed unless `keepStdinOpen`. */
  readonly input?: string;
  readonly keepStdinOpen?: boolean;
  /** Extra environment (PATH and HOME are passed through; nothing else is inherited). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the child after this long (ms). @default 15000 */
  readonly timeoutMs?: number;
}

/** Run `node <bin> ...args` and collect its output. Never rejects on a non-zero exit. */
export function runCli(bin: string, args: readonly string[], opts: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin.write(opts.input);
    if (!opts.keepStdinOpen) child.stdin.end();
  });
}
