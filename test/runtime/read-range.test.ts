// The one bounded reader (src/runtime/read-range.ts) on real files: tail and from modes,
// rotation, and the files it refuses (symlink, FIFO, directory, missing).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRange, tailLines } from '../../src/runtime/read-range.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-read-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRange / tailLines', () => {
  it('reads tails and ranges within their bounds, and refuses what is not a regular file', async () => {
    const file = join(dir, 'log.jsonl');
    writeFileSync(file, 'one\ntwo\nthree\n');

    // Tail: the last 8 bytes, the cut first line dropped by tailLines.
    const tail = await readRange(file, { tail: 8 });
    expect(tail).toMatchObject({ start: 6, size: 14, cut: true, restarted: false });
    expect(tail?.bytes.toString()).toBe('o\nthree\n');
    expect(await tailLines(file, 8)).toEqual(['three', '']);
    // A tail larger than the file: everything, nothing cut.
    expect(await tailLines(file, 1024)).toEqual(['one', 'two', 'three', '']);
    // notBefore: never earlier than that byte; past the end (rotated): the new content's tail.
    expect(await tailLines(file, 1024, 4)).toEqual(['two', 'three', '']);
    expect(await tailLines(file, 1024, 99)).toEqual(['one', 'two', 'three', '']);

    // From: at most `max` bytes from an offset; past the end restarts at 0.
    const from = await readRange(file, { from: 4, max: 3 });
    expect(from?.bytes.toString()).toBe('two');
    expect(from).toMatchObject({ start: 4, restarted: false });
    const again = await readRange(file, { from: 99, max: 3 });
    expect(again).toMatchObject({ start: 0, restarted: true });
    expect(again?.bytes.toString()).toBe('one');
    // From chosen from the stat (identity and size).
    const picked = await readRange(file, { from: (st) => st.size - 6, max: 100 });
    expect(picked?.bytes.toString()).toBe('three\n');
    expect(picked?.ino).toBeGreaterThan(0);

    // Refused: a symlink (even to a good file), a FIFO (must not block), a dir, nothing.
    const link = join(dir, 'link.jsonl');
    symlinkSync(file, link);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const bad of [link, fifo, dir, join(dir, 'missing')]) {
      expect(await readRange(bad, { tail: 10 })).toBeNull();
      expect(await tailLines(bad, 10)).toEqual([]);
    }
  });
});
