/**
 * The key that keeps the runtime files of two config files in one directory apart. Every
 * lanes.yaml of a directory shares its state dir (`<dir>/.laneboard`), but each config
 * file gets its own runtime: its own control socket (the one-runtime lock) and its own
 * supervisor record. `lanes.yaml` keeps the plain names (`control.sock`,
 * `supervisor.json`); any other file name is put into them: `a.yaml` →
 * `control.a.yaml.sock`, `supervisor.a.yaml.json` (docs/control.md, "One runtime per
 * lanes.yaml"). Pure: no I/O.
 */
import { basename } from 'node:path';
import { DEFAULT_CONFIG_NAME, type KeyedFile } from '../state/state-files.js';

/** Longest config file name used as it is in a runtime file name (bytes). */
const MAX_NAME = 40;

/**
 * The infix for the runtime files of config `file` (a path; only its base name counts):
 * `''` for `lanes.yaml`, else `.<name>` — the name itself when it is made of
 * `A-Z a-z 0-9 . _ -` and at most 40 characters, otherwise a readable part of it
 * followed by `-` and 12 hex digits of its SHA-256 (so different names never collide).
 */
function configKey(file: string): string {
  const name = basename(file);
  if (name === DEFAULT_CONFIG_NAME) return '';
  if (/^[A-Za-z0-9._-]+$/.test(name) && name.length <= MAX_NAME) return `.${name}`;
  const readable = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 24);
  // node:crypto is loaded here, not at the top: the lean verbs (src/cli/fast.ts) name the
  // socket of every config through this module, and loading it costs them milliseconds.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `.${readable}-${hash}`;
}

/**
 * `<stem><key><ext>`: the name of runtime file `f` (../state/state-files.ts
 * `KEYED_STATE_FILE`) for config `file`.
 */
export function keyedName(f: KeyedFile, file: string): string {
  return `${f.stem}${configKey(file)}${f.ext}`;
}
