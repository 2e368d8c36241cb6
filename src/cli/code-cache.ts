/**
 * Loading a CommonJS bundle of dist/ with a V8 code cache beside it, for the lean fleet
 * commands the launcher's front door runs (./fast-entry.ts: dist/fleet-json.cjs,
 * dist/fleet-verb.cjs). Compiling a bundle of ~200 KB, and then each function it runs,
 * is a fixed cost of every start that the code cache replaces with a deserialisation
 * (docs/performance.md, "Fleet"). Node 22 has `module.enableCompileCache()` for this;
 * Node 20.19, the oldest supported, does not, so the bundle is compiled here through
 * `node:vm` with the `cachedData` of the V8 API (https://nodejs.org/api/vm.html).
 *
 * The cache is `<bundle>.<size>-<mtime ms>.v8cache` in the bundle's own directory: written
 * once, after a run that had none (so it also holds the functions that run compiled), to
 * a temporary name and renamed into place. It is never kept anywhere else (a cache in a
 * shared temp directory could be planted by another user: it is executable code), and a
 * read-only install simply runs without one. V8 rejects a cache made by another V8
 * version or flags, or for another source (`cachedDataRejected`); then the bundle
 * compiles as usual and the cache is written anew. A new build replaces dist/ and with
 * it every cache; a bundle changed in place gets a new name (size, mtime).
 */
import {
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** The CommonJS wrapper Node itself puts around a module's source. */
const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/** File name of the code cache of `file` (absolute path) as it is now on disk. */
export function codeCachePath(file: string): string {
  const st = statSync(file);
  return `${file}.${st.size}-${Math.trunc(st.mtimeMs)}.v8cache`;
}

/** Write `data` to `cache` (temp file + rename) and drop older caches of `file`; never throws. */
function storeCache(file: string, cache: string, data: Buffer): void {
  try {
    const tmp = `${cache}.tmp-${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, cache);
    const dir = path.dirname(file);
    const prefix = `${path.basename(file)}.`;
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (f.startsWith(prefix) && f.endsWith('.v8cache') && p !== cache) unlinkSync(p);
    }
  } catch {
    // A read-only install, or another process raced us: run without a cache.
  }
}

/**
 * `require(file)` for a CommonJS bundle (`file`: absolute path), compiled with its code
 * cache when there is a usable one. When there is none, or V8 rejected it, a new cache is
 * written when the process exits (after the command ran, so it covers the functions that
 * ran). Returns the module's exports; throws what `require` would (missing file, syntax
 * error, an error thrown by the module's top level).
 */
export function requireWithCodeCache(file: string): unknown {
  // Loaded here, not at the top: the front door (./fast-entry.ts) imports this module for
  // every command, and only the fleet commands use it.
  const { Script } = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  const source = readFileSync(file, 'utf8');
  const cache = codeCachePath(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`${WRAP[0]}${source}${WRAP[1]}`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true)
    process.once('exit', () => storeCache(file, cache, script.createCachedData()));
  const fn = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const mod = { exports: {} as unknown };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}
