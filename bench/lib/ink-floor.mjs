/**
 * Builds the Ink floor app (bench/fixture/ink-floor.mjs) into one ESM bundle with the
 * same esbuild settings as the CLI (scripts/build.mjs): production React, a `require`
 * for bundled CommonJS, react-devtools-core left out.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../fixture/ink-floor.mjs', import.meta.url));

/**
 * Bundle the floor app into `dir`.
 * @param {string} dir Existing directory (the bundle goes to `ink-floor/ink-floor.js`).
 * @returns {Promise<string>} Absolute path of the bundle. Throws when esbuild (a dev
 *   dependency) is missing or the build fails.
 */
export async function buildInkFloor(dir) {
  const { build } = await import('esbuild');
  const outdir = join(dir, 'ink-floor');
  await build({
    entryPoints: { 'ink-floor': SOURCE },
    outdir,
    bundle: true,
    // Code-split like the CLI: Ink's devtools import stays a lazy chunk.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    legalComments: 'none',
    external: ['react-devtools-core'],
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: {
      js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return join(outdir, 'ink-floor.js');
}
