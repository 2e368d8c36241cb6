import path from 'node:path';
import { parseDocument } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { fastLoad } from '../../src/config/fast-yaml.js';
import {
  cleanupTempDirs,
  expectConfigError,
  gitInit,
  makeTempDir,
} from '../helpers/config-fixtures.js';

afterEach(() => {
  cleanupTempDirs();
});

/** What the positioned path (`yaml`'s Document) makes of `text`. */
const slow = (text: string): unknown =>
  parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: 50 });

describe('fastLoad (js-yaml) equals yaml toJS', () => {
  const scalars = [
    '1',
    '-7',
    '+5',
    '0',
    '-0',
    '007',
    '0o17',
    '0x1F',
    '0b101',
    '-0x1F',
    '+0o7',
    '1_000',
    '1.5',
    '.5',
    '-1.',
    '1e3',
    '2.5E-4',
    '.inf',
    '-.Inf',
    '.nan',
    '.NaN',
    'true',
    'True',
    'TRUE',
    'false',
    'yes',
    'no',
    'on',
    'off',
    'y',
    'null',
    'Null',
    'NULL',
    '~',
    '',
    '2024-01-01',
    '12:30',
    '1:20:30',
    '"1"',
    "'true'",
    '"a\\tb\\u00e9"',
    '!!str 5',
    '!!int "3"',
    '!!float "1.5"',
    '!!bool "true"',
    '<<',
    'sh -c "a && b"',
    '"*.ts"',
    '3s',
    '10MB',
  ];
  it.each(scalars)('scalar %j', (s) => {
    const text = `k: ${s}\nl: [${s === '' ? '""' : s}]\n`;
    const fast = fastLoad(text);
    expect(fast === undefined ? 'fallback' : fast).toEqual(slow(text));
  });

  it('matches on documents with block scalars, flow maps, anchors of scalars and comments', () => {
    const text = [
      '# lanes',
      'version: 1',
      'settings: { stop_grace: 2s }',
      'defaults: &d',
      '  repo: repo # trailing',
      'lanes:',
      '  - { id: a, worktree: wt/a, branch: lane/a, command: ["node", "w.mjs"], restart: on-failure }',
      '  - id: b',
      '    worktree: &w wt/b',
      '    note: *w',
      '    script: |',
      '      echo "one"',
      '        two',
      '    folded: >-',
      '      a',
      '      b',
      '    env: { A: "1", B: 2 }',
      '',
    ].join('\n');
    expect(fastLoad(text)).toEqual(slow(text));
  });

  it('leaves to the positioned path what it cannot match', () => {
    // An alias of a map (alias budget), a directive, a duplicate key, an unknown tag, bad syntax.
    expect(fastLoad('a: &x { b: 1 }\nc: *x\n')).toBeUndefined();
    expect(fastLoad('%YAML 1.1\n---\na: yes\n')).toBeUndefined();
    expect(fastLoad('a: 1\na: 2\n')).toBeUndefined();
    expect(fastLoad('a: !foo x\n')).toBeUndefined();
    expect(fastLoad('a: !!int "x"\n')).toBeUndefined();
    expect(fastLoad('a: [1, 2\n')).toBeUndefined();
  });
});

describe('parseConfig after the fast path', () => {
  it('still reports file, line, column and what was expected when validation fails', () => {
    const dir = makeTempDir();
    gitInit(path.join(dir, 'app'));
    const file = path.join(dir, 'lanes.yaml');
    const bad = '  - { id: b, repo: app, worktree: wb, branch: bb, restart: sometimes }';
    const text = ['lanes:', '  - { id: a, repo: app, worktree: wa, branch: ba }', bad, ''].join(
      '\n',
    );
    // The text itself loads on the fast path; only validation fails.
    expect(fastLoad(text)).toBeDefined();
    const err = expectConfigError(() => parseConfig(text, file));
    expect(err.issues).toHaveLength(1);
    const [issue] = err.issues;
    expect(issue).toMatchObject({ file, line: 3, path: 'lanes[1].restart' });
    expect(issue?.column).toBe(bad.indexOf('sometimes') + 1);
    expect(issue?.expected).toBeDefined();
  });
});
