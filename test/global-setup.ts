/**
 * Vitest global setup: builds the CLI once (`npm run build` → dist/) before any test runs,
 * then copies the runnable package (`bin/`, `dist/`, `package.json`, `schema/`) into a
 * private temp directory that the end-to-end tests launch (`node <copy>/bin/laneboard.js`).
 * The copy keeps a test run immune to other runs rebuilding the shared `dist/` meanwhile.
 *
 * Provides to tests (via `inject`): `laneboardInstall` — absolute path of the copy ('' when
 * the build failed) and `laneboardBuildError` — the build's output when it failed ('' when
 * it succeeded). A failed build does not abort the whole run: unit tests still run, and
 * every end-to-end test fails with that message (see test/helpers/e2e-cli.ts).
 * The copy is checked by running its `--version`; a failed build or copy is retried once
 * (another run may be rebuilding dist/ at the same moment). The teardown removes the copy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built package copy ('' when the build failed). */
    laneboardInstall: string;
    /** Build output when `npm run build` failed, else ''. */
    laneboardBuildError: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Run `npm run build` and copy the package into a new temp dir; returns the copy's path. */
function buildAndCopy(): string {
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const install = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-install-')));
  try {
    for (const entry of ['bin', 'dist', 'schema', 'package.json']) {
      cpSync(path.join(ROOT, entry), path.join(install, entry), { recursive: true });
    }
    // Another test run may rebuild dist/ while we copy it: prove the copy starts.
    execFileSync(process.execPath, [path.join(install, 'bin', 'laneboard.js'), '--version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    return install;
  } catch (err) {
    rmSync(install, { recursive: true, force: true });
    throw err;
  }
}

/** Build, copy (one retry when a concurrent rebuild spoiled the copy), provide; returns the teardown. */
export default function setup(project: TestProject): () => void {
  let install = '';
  let buildError = '';
  for (let attempt = 1; attempt <= 2 && install === ''; attempt++) {
    try {
      install = buildAndCopy();
      buildError = '';
    } catch (err) {
      const e = err as { message?: string; stdout?: Buffer; stderr?: Buffer };
      buildError = [e.message, e.stdout?.toString(), e.stderr?.toString()]
        .filter((s) => s !== undefined && s !== '')
        .join('\n');
    }
  }
  project.provide('laneboardInstall', install);
  project.provide('laneboardBuildError', buildError);
  return () => {
    if (install !== '') rmSync(install, { recursive: true, force: true });
  };
}
