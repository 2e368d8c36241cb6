// Bundles the CLI with esbuild into dist/ (ESM, code-split so `--json` never loads Ink or
// React). Startup time is a product feature: one bundle instead of hundreds of module files.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Build into a fresh directory, then swap it in, so a board or test running from dist/
// never sees a half-written or missing bundle.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const tmp = `${dist}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
// A failed build leaves no half-written directory behind (lint would read it).
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
await build({
  entryPoints: { cli: 'src/cli/entry.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minifySyntax: true,
  legalComments: 'none',
  jsx: 'automatic',
  // ink optionally imports react-devtools-core when DEV=true; never bundle it.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // Some bundled dependencies are CommonJS and call require(); give them one.
  banner: {
    js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The launcher's front door (src/cli/fast-entry.ts): the lean client path as one CommonJS
// file, whose built-in modules load without ES-module facades; it imports cli.js when it
// declines the command.
await build({
  entryPoints: { fast: 'src/cli/fast-entry.ts' },
  outdir: tmp,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const old = `${dist}.old-${process.pid}`;
try {
  renameSync(dist, old);
} catch {
  // no previous build
}
renameSync(tmp, dist);
rmSync(old, { recursive: true, force: true });
