/**
 * Test fixtures for src/config tests: real temp dirs and real `git init` repositories.
 * Every `makeTempDir()` is removed by `cleanupTempDirs()` (call it in afterEach).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config/index.js';

const dirs: string[] = [];

/** Create a fresh temp dir (realpath, so it matches resolved paths) and remember it for cleanup. */
export function makeTempDir(prefix = 'laneboard-config-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

/** Remove every dir made by {@link makeTempDir}. */
export function cleanupTempDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** `git init` (or `git init --bare`) a repository at `dir` (created if needed); returns `dir`. */
export function gitInit(dir: string, bare = false): string {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', ...(bare ? ['--bare'] : []), dir], { stdio: 'ignore' });
  return dir;
}

/** Write `text` to `<dir>/<name>` and return the absolute path. */
export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Run `fn`, expect it to throw a ConfigError, and return that error. */
export function expectConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** Await `p`, expect it to reject with a ConfigError, and return that error. */
export async function rejectsConfigError(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`);
  }
  throw new Error('expected a ConfigError, but the promise resolved');
}
