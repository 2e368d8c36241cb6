/**
 * The V8 code cache of the lean bundles (src/cli/code-cache.ts), on a real CommonJS file
 * in a temp dir: the first load writes the cache when the process exits, the next load
 * uses it (V8 accepts it), a corrupt cache is rejected and replaced, a changed bundle gets
 * a cache of its own (the old one is removed), and the module works the same every time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCachePath } from '../../src/cli/code-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Load `file` through requireWithCodeCache (bundled to `loader`) in a fresh Node process; its answer. */
function load(loader: string, file: string): string {
  const code = `process.stdout.write(require(${JSON.stringify(loader)}).requireWithCodeCache(${JSON.stringify(file)}).answer(20, 22))`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const caches = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('code cache of the lean bundles', () => {
  it('written on first run, used next, replaced when corrupt or when the bundle changes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-codecache-'));
    dirs.push(dir);
    const loader = path.join(dir, 'loader.cjs');
    await build({
      entryPoints: ['src/cli/code-cache.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: loader,
      logLevel: 'warning',
    });
    const file = path.join(dir, 'b.cjs');
    writeFileSync(file, `exports.answer = (a, b) => 'sum ' + (a + b) + ' ' + typeof require;\n`);
    expect(caches(dir)).toEqual([]);
    expect(load(loader, file)).toBe('sum 42 function');
    const first = codeCachePath(file);
    expect(caches(dir)).toEqual([path.basename(first)]);
    // Accepted by V8: not written again (a missing or rejected cache is rewritten at exit).
    const made = statSync(first).mtimeMs;
    expect(load(loader, file)).toBe('sum 42 function');
    expect(statSync(first).mtimeMs).toBe(made);

    writeFileSync(first, 'not a code cache');
    expect(load(loader, file)).toBe('sum 42 function');
    expect(readFileSync(first, 'utf8')).not.toBe('not a code cache');
    expect(caches(dir)).toEqual([path.basename(first)]);

    writeFileSync(file, `exports.answer = (a, b) => 'product ' + a * b;\n`);
    expect(load(loader, file)).toBe('product 440');
    expect(caches(dir)).toEqual([path.basename(codeCachePath(file))]);
  });
});
