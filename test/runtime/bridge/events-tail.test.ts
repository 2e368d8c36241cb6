import { appendFile, mkdir, rename, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLD_LINES, EventsTail } from '../../../src/runtime/bridge/events-tail.js';
import type { EventLine } from '../../../src/state/actions.js';
import { makeTempDir, removeDir } from '../../helpers/bridge-helpers.js';

const ev = (n: number): string => JSON.stringify({ event: 'lane.started', n });
const values = (lines: EventLine[]): unknown[] => lines.map((l) => (l.ok ? l.value : l.error));

describe('EventsTail', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir, 'events.jsonl');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('reports a missing file as missing, with no problem', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    const r = await tail.read();
    expect(r).toMatchObject({ lines: [], missing: true, problem: null, more: false });
  });

  it('yields each event exactly once with 1-based line numbers continuing across reads', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n${ev(2)}\n`);
    const first = await tail.poll();
    expect(first.map((l) => l.line)).toEqual([1, 2]);
    expect(first.every((l) => l.file === 'events.jsonl' && l.ok)).toBe(true);
    expect(await tail.poll()).toEqual([]);
    await appendFile(path, `${ev(3)}\n`);
    const second = await tail.poll();
    expect(second).toEqual([
      { ok: true, value: { event: 'lane.started', n: 3 }, line: 3, file: 'events.jsonl' },
    ]);
  });

  it('holds a partial last line until its newline arrives', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    const line = ev(1);
    await writeFile(path, line.slice(0, 5));
    expect(await tail.poll()).toEqual([]);
    expect(tail.pendingBytes).toBe(5);
    await appendFile(path, line.slice(5, 12));
    expect(await tail.poll()).toEqual([]);
    await appendFile(path, `${line.slice(12)}\n${ev(2).slice(0, 3)}`);
    const lines = await tail.poll();
    expect(values(lines)).toEqual([{ event: 'lane.started', n: 1 }]);
    expect(lines[0]?.line).toBe(1);
    await appendFile(path, `${ev(2).slice(3)}\n`);
    const next = await tail.poll();
    expect(next.map((l) => [l.line, l.ok])).toEqual([[2, true]]);
  });

  it('splits a multi-byte character across reads without corrupting it', async () => {
    const tail = new EventsTail(path, 'events.jsonl', { chunkBytes: 7 });
    const text = `${JSON.stringify({ detail: 'größe ✓ 日本' })}\n`;
    const bytes = Buffer.from(text);
    await writeFile(path, bytes.subarray(0, 15));
    await tail.poll();
    await appendFile(path, bytes.subarray(15));
    expect(values(await tail.poll())).toEqual([{ detail: 'größe ✓ 日本' }]);
  });

  it('counts blank lines, accepts CRLF and reports non-JSON lines briefly', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    const junk = `not json \u001b[2J ${'y'.repeat(300)}`;
    await writeFile(path, `${ev(1)}\r\n\n${junk}\n${ev(4)}\n`);
    const lines = await tail.poll();
    expect(lines.map((l) => [l.line, l.ok])).toEqual([
      [1, true],
      [3, false],
      [4, true],
    ]);
    const bad = lines[1];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) {
      // The one sanitizer (state/sanitize.ts) removes the escape sequence whole.
      expect(bad.error.startsWith('line 3 is not JSON: "not json  yyy')).toBe(true);
      expect(bad.error.length).toBeLessThan(80);
      expect(bad.error.includes('\u001b')).toBe(false);
    }
  });

  it('reports invalid UTF-8 in a line as that line only', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(
      path,
      Buffer.concat([
        Buffer.from(`${ev(1)}\n{"x":"`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(`"}\n${ev(3)}\n`),
      ]),
    );
    const lines = await tail.poll();
    expect(lines.map((l) => (l.ok ? l.line : `${l.line}:${l.error}`))).toEqual([
      1,
      '2:line 2 is not valid UTF-8',
      3,
    ]);
  });

  it('skips a line longer than 1 MiB without buffering it, reporting it once', async () => {
    const tail = new EventsTail(path, 'events.jsonl', { chunkBytes: 256 * 1024 });
    await writeFile(path, `${ev(1)}\n{"big":"`);
    expect((await tail.poll()).length).toBe(1);
    const big = 'z'.repeat(600 * 1024);
    await appendFile(path, big);
    expect(await tail.poll()).toEqual([]);
    await appendFile(path, big); // now over 1 MiB without a newline
    const skipped = await tail.poll();
    expect(skipped).toEqual([
      { ok: false, error: 'line 2 is longer than 1 MiB; skipped', line: 2, file: 'events.jsonl' },
    ]);
    expect(tail.pendingBytes).toBe(0);
    await appendFile(path, `${big}"}\n${ev(3)}\n`);
    const after = await tail.poll();
    expect(after.map((l) => [l.line, l.ok])).toEqual([[3, true]]);
    expect(tail.pendingBytes).toBe(0);
  });

  it('restarts from the new start after truncation, never re-yielding old lines', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n${ev(2)}\n${ev(3)}\n`);
    expect((await tail.poll()).length).toBe(3);
    await truncate(path, 0);
    await appendFile(path, `${ev(10)}\n`);
    const r = await tail.read();
    expect(r.restarted).toBe('truncated');
    expect(r.lines.map((l) => [l.line, l.ok && (l.value as { n: number }).n])).toEqual([[1, 10]]);
    expect(await tail.poll()).toEqual([]);
  });

  it('detects rotation (rename away, new file) and reads the new file from its start', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n${ev(2)}\n`);
    await tail.poll();
    await rename(path, `${path}.1`);
    await writeFile(path, `${ev(5)}\n${ev(6)}\n${ev(7)}\n`);
    const r = await tail.read();
    expect(r.restarted).toBe('replaced');
    expect(r.lines.map((l) => (l.ok ? (l.value as { n: number }).n : null))).toEqual([5, 6, 7]);
    expect(r.lines.map((l) => l.line)).toEqual([1, 2, 3]);
  });

  it('detects an in-place rewrite that kept inode and grew past the old offset', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n`);
    await tail.poll();
    // Same inode (writeFile truncates in place), different content, larger size.
    await writeFile(path, `${ev(8)}\n${ev(9)}\n`);
    const r = await tail.read();
    expect(r.restarted).toBe('replaced');
    expect(r.lines.map((l) => (l.ok ? (l.value as { n: number }).n : null))).toEqual([8, 9]);
  });

  it('resets when the file disappears and starts the recreated file at line 1', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n`);
    await tail.poll();
    await unlink(path);
    expect((await tail.read()).missing).toBe(true);
    await writeFile(path, `${ev(2)}\n`);
    expect((await tail.poll()).map((l) => l.line)).toEqual([1]);
  });

  it('caps bytes per poll and says there is more', async () => {
    const tail = new EventsTail(path, 'events.jsonl', { maxBytesPerPoll: 64, chunkBytes: 16 });
    const text = Array.from({ length: 20 }, (_, i) => ev(i)).join('\n') + '\n';
    await writeFile(path, text);
    const seen: number[] = [];
    let reads = 0;
    for (;;) {
      const r = await tail.read();
      reads += 1;
      seen.push(...r.lines.map((l) => l.line));
      if (!r.more) break;
    }
    expect(reads).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('serializes concurrent polls (no line twice)', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, Array.from({ length: 50 }, (_, i) => ev(i)).join('\n') + '\n');
    const results = await Promise.all([tail.poll(), tail.poll(), tail.poll()]);
    expect(results.flat().map((l) => l.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('skips the open when unchanged in ifChanged mode, and still sees appends', async () => {
    const tail = new EventsTail(path, 'events.jsonl');
    await writeFile(path, `${ev(1)}\n`);
    await tail.poll();
    expect((await tail.read({ ifChanged: true })).lines).toEqual([]);
    await appendFile(path, `${ev(2)}\n`);
    expect((await tail.read({ ifChanged: true })).lines.map((l) => l.line)).toEqual([2]);
  });

  it('does not follow a symlink or read a directory', async () => {
    const outside = await makeTempDir();
    try {
      await writeFile(join(outside, 'x.jsonl'), `${ev(1)}\n`);
      await symlink(join(outside, 'x.jsonl'), path);
      const tail = new EventsTail(path, 'events.jsonl');
      expect(await tail.read()).toMatchObject({
        lines: [],
        problem: 'events.jsonl is a symlink; not followed',
      });
      await unlink(path);
      await mkdir(path);
      expect(await tail.read()).toMatchObject({
        lines: [],
        problem: 'events.jsonl is a directory, not a file',
      });
    } finally {
      await removeDir(outside);
    }
  });

  it('starts cold at the newest COLD_LINES lines, whatever the file size (the rest unread)', async () => {
    const many = Array.from({ length: COLD_LINES * 3 }, (_, i) => ev(i + 1)).join('\n');
    await writeFile(path, `${many}\n${ev(0).slice(0, 10)}`); // a torn last line, not counted
    const tail = new EventsTail(path, 'events.jsonl');
    const first = await tail.read();
    expect(first.lines).toHaveLength(COLD_LINES);
    expect(first.lines[0]).toMatchObject({ ok: true, line: 0, value: { n: COLD_LINES * 2 + 1 } });
    expect(first.lines.at(-1)).toMatchObject({ ok: true, line: 0, value: { n: COLD_LINES * 3 } });
    expect(tail.pendingBytes).toBe(10);
    await appendFile(path, `\n${ev(7)}\n`);
    const next = await tail.read();
    expect(next.lines[0]).toMatchObject({ ok: false, line: 0 });
    expect(next.lines[0]?.ok === false && next.lines[0].error).toMatch(/^a line is not JSON: /);
    expect(next.lines[1]).toMatchObject({ ok: true, line: 0, value: { n: 7 } });
  });

  it('fills a cold start from the rotated predecessor only within the line budget', async () => {
    await writeFile(`${path}.1`, `${[1, 2, 3, 4, 5].map(ev).join('\n')}\n`);
    await writeFile(path, `${ev(6)}\n${ev(7)}\n`);
    const tail = new EventsTail(path, 'events.jsonl', { coldLines: 4 });
    const first = await tail.read();
    expect(first.lines.map((l) => [l.file, l.ok ? (l.value as { n: number }).n : null])).toEqual([
      ['events.jsonl.1', 4],
      ['events.jsonl.1', 5],
      ['events.jsonl', 6],
      ['events.jsonl', 7],
    ]);
    const full = new EventsTail(path, 'events.jsonl', { coldLines: 2 });
    expect((await full.read()).lines.map((l) => l.line)).toEqual([1, 2]);
  });
});
