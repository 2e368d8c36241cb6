/**
 * The host's record of the lanes it published (src/runtime/fleet/published-record.ts),
 * on real files: one list per host name, the newest of many quick saves is what the file
 * holds, a missing or malformed file names nothing, a failed write is reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishedRecord } from '../../../src/runtime/fleet/published-record.js';
import { makeTempDir, removeDir } from '../../helpers/supervisor-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});
const file = (): string => {
  const d = makeTempDir('lb-record-');
  dirs.push(d);
  return join(d, 'fleet-lanes.json');
};

describe('published lanes record', () => {
  it('keeps one list per host; quick saves end with the newest ids; an empty list drops the host', async () => {
    const path = file();
    const alpha = publishedRecord(path, 'alpha');
    const beta = publishedRecord(path, 'beta');
    expect(await alpha.load()).toEqual([]);
    await beta.save(['x']);
    const saves = [alpha.save(['b', 'a']), alpha.save(['a', 'b', 'c']), alpha.save(['c', 'a'])];
    await Promise.all(saves);
    expect(await alpha.load()).toEqual(['a', 'c']);
    expect(await beta.load()).toEqual(['x']);
    await beta.save([]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      hosts: { alpha: ['a', 'c'] },
    });
  });

  it('a malformed file names nothing; a write that fails is reported, not thrown', async () => {
    const path = file();
    writeFileSync(path, '{"version":1,"hosts":');
    expect(await publishedRecord(path, 'alpha').load()).toEqual([]);
    const errors: unknown[] = [];
    const bad = publishedRecord(join(path, 'no-such-dir', 'f.json'), 'alpha', (e) =>
      errors.push(e),
    );
    await bad.save(['a']);
    expect(errors).toHaveLength(1);
  });
});
