// Bundles the CLI with esbuild into dist/ (ESM, code-split so `--json` never loads Ink or
// React). Startup time is a product feature: one bundle instead of hundreds of module files.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Build into a fresh directory, then swap it in, so a board or test running from dist/
// never sees a half-written or missing bundle.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const tmp = `${dist}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
// A failed build leaves no half-written directory behind (lint would read it).
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
/**
 * Ink's per-frame cost at scale (docs/performance.md, "Scale"): inside this bundle only,
 * its internal Output class and log-update module and the `widest-line` package it
 * measures text with are replaced by drop-ins (src/ui/ink-patch/): lines, widths and cuts
 * cached across frames, and an incremental frame writer that works; `string-width` is
 * wrapped so common non-ASCII text is measured from a table (ink-patch/string-width.ts).
 * They follow Ink 6.8's internals, so they are used only with that Ink: any other version
 * keeps Ink's own (correct, slower) modules, the board then draws whole frames, and the build says so.
 * `process.env.LANEBOARD_INK_PATCHED` is '1' in a bundle that has them (src/cli/board.tsx).
 */
const INK_PATCHED_FOR = /^6\.8\./;
const inkVersion = JSON.parse(
  readFileSync(fileURLToPath(new URL('../node_modules/ink/package.json', import.meta.url)), 'utf8'),
).version;
const inkPatched = INK_PATCHED_FOR.test(inkVersion);
if (!inkPatched)
  console.warn(`build: ink ${inkVersion} is not 6.8.x; Ink's own modules are bundled`);
const inkPatch = {
  name: 'ink-patch',
  setup(b) {
    const src = (f) => fileURLToPath(new URL(`../src/ui/ink-patch/${f}`, import.meta.url));
    const inInk = (importer, file) =>
      new RegExp(`[\\\\/]ink[\\\\/]build[\\\\/]${file}\\.js$`).test(importer);
    if (!inkPatched) return;
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      inInk(args.importer, 'renderer') ? { path: src('output.ts') } : undefined,
    );
    b.onResolve({ filter: /^\.\/log-update\.js$/ }, (args) =>
      inInk(args.importer, 'ink') ? { path: src('log-update.ts') } : undefined,
    );
    b.onResolve({ filter: /^widest-line$/ }, () => ({ path: src('widest-line.ts') }));
    // string-width 8 everywhere but in the drop-in itself (which wraps the package) and in
    // wrap-ansi, which bundles its own string-width 7.
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      /[\\/]ink-patch[\\/]string-width\.ts$|[\\/]wrap-ansi[\\/]/.test(args.importer)
        ? undefined
        : { path: src('string-width.ts') },
    );
  },
};
/**
 * jsonc-parser's `main` is a UMD build whose `require('./impl/…')` calls esbuild cannot
 * follow (they failed at run time); its ES-module build (`module`) bundles like any other.
 */
const jsoncEsm = {
  name: 'jsonc-esm',
  setup(b) {
    const esm = fileURLToPath(
      new URL('../node_modules/jsonc-parser/lib/esm/main.js', import.meta.url),
    );
    b.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: esm }));
  },
};
await build({
  // git-helper: the git helper process's entry (src/runtime/git/git-helper.ts forks it).
  entryPoints: { cli: 'src/cli/entry.ts', 'git-helper': 'src/runtime/git/git-helper-entry.ts' },
  plugins: [inkPatch, jsoncEsm],
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
  define: {
    'process.env.NODE_ENV': '"production"',
    'process.env.LANEBOARD_INK_PATCHED': inkPatched ? '"1"' : '"0"',
  },
  // Some bundled dependencies are CommonJS and call require(); give them one.
  banner: {
    js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The launcher's front door (src/cli/fast-entry.ts): the lean client path as one CommonJS
// file, whose built-in modules load without ES-module facades; it imports cli.js when it
// declines the command. Beside it, the lean `--json --nats` (src/cli/fleet/json-lean.ts):
// the core NATS client and the fleet snapshot only, loaded by fast.cjs for that command;
// and the lean fleet verb (src/cli/fleet/verb-lean.ts, dist/fleet-verb.cjs).
/**
 * Modules the lean `--json --nats` bundle loads only when first used: the NATS client
 * requires them at load time, but a plain `nats://` connection with user/password or no
 * credentials never touches TLS, DNS or NKEY signing (which pulls in node:crypto), and
 * loading them costs about as much again as the client itself; `node:fs/promises` (which
 * loads Node's readline and file-watcher modules with it) is needed only to read a
 * `--creds` file. Each is replaced by a proxy that requires the real module on first
 * property access.
 */
const LAZY = ['node:tls', 'node:dns', 'node:fs/promises', '@nats-io/nkeys'];
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^(node:tls|node:dns|node:fs\/promises|@nats-io\/nkeys)$/ }, (args) =>
      args.namespace === 'lazy' || !LAZY.includes(args.path)
        ? undefined
        : { path: args.path, namespace: 'lazy' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
// __esModule: the client's __importStar/__importDefault helpers then keep the proxy as is.
const get = (k) => (k === 'default' && !load().__esModule ? load() : load()[k]);
${
  // The client asks \`socket instanceof tls.TLSSocket\` on every connection: while TLS was
  // never loaded, no socket can be one.
  args.path === 'node:tls'
    ? `const TLSSocket = { [Symbol.hasInstance]: (x) => real !== undefined && x instanceof real.TLSSocket };`
    : ''
}
module.exports = new Proxy({}, {
  get: (_, k) => (k === '__esModule' ? true : ${args.path === 'node:tls' ? "k === 'TLSSocket' ? TLSSocket : " : ''}get(k)),
  has: (_, k) => k in load(),
});`,
    }));
  },
};
await build({
  entryPoints: {
    fast: 'src/cli/fast-entry.ts',
    'fleet-json': 'src/cli/fleet/json-lean.ts',
    'fleet-verb': 'src/cli/fleet/verb-lean.ts',
  },
  plugins: [lazyModules],
  outdir: tmp,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Fully minified: less source for V8 to read and pre-parse on every start (the source
  // map keeps stack traces readable).
  minify: true,
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
