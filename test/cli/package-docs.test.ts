/**
 * What an installed laneboard points its user to is in the package: every `docs/…` file
 * that the CLI's own texts (help, init's lanes.yaml, errors) or the README name is in the
 * file list of `npm pack` (package.json "files").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Every `docs/<file>` named in `text`. */
const docsNamed = (text: string): string[] =>
  Array.from(text.matchAll(/\bdocs\/[\w.-]+\.(?:md|conf)\b/g), (m) => m[0]);

/** The .ts files under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('package contents', () => {
  it('ships every docs/ file the CLI and the README name', () => {
    const named = new Set<string>(docsNamed(readFileSync(path.join(root, 'README.md'), 'utf8')));
    for (const f of tsFiles(path.join(root, 'src/cli')))
      for (const d of docsNamed(readFileSync(f, 'utf8'))) named.add(d);
    expect(named).toContain('docs/lanes-yaml.md');
    expect(named).toContain('docs/fleet.md');
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const packed = new Set(
      (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path),
    );
    for (const d of named) expect(packed, d).toContain(d);
  }, 30_000);
});
