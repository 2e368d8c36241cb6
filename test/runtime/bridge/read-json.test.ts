import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBridgeDir } from '../../../src/runtime/bridge/bridge-dir.js';
import { readJsonFileBounded } from '../../../src/runtime/bridge/read-json.js';
import { formatBytes } from '../../../src/runtime/bridge/text.js';
import { makeTempDir, removeDir } from '../../helpers/bridge-helpers.js';

const MB4 = 4 * 1024 * 1024;
const isRoot = process.getuid?.() === 0;

describe('readJsonFileBounded', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await chmod(dir, 0o755).catch(() => undefined);
    await removeDir(dir);
  });

  it('parses a JSON document and reports size and a content digest', async () => {
    const p = join(dir, 'state.json');
    await writeFile(p, '{"status":"running","n":1}');
    const r = await readJsonFileBounded(p, MB4);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.value).toEqual({ status: 'running', n: 1 });
    expect(r.bytes).toBe(26);
    const again = await readJsonFileBounded(p, MB4);
    expect(again.kind === 'ok' && again.digest).toBe(r.digest);
  });

  it('strips a UTF-8 BOM and accepts non-ASCII text', async () => {
    const p = join(dir, 'state.json');
    await writeFile(
      p,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"phase":"überprüfen ✓"}')]),
    );
    const r = await readJsonFileBounded(p, MB4);
    expect(r).toMatchObject({ kind: 'ok', value: { phase: 'überprüfen ✓' } });
  });

  it('returns missing for an absent file and for a parent that is a file', async () => {
    expect(await readJsonFileBounded(join(dir, 'nope.json'), MB4)).toEqual({ kind: 'missing' });
    await writeFile(join(dir, 'afile'), 'x');
    expect(await readJsonFileBounded(join(dir, 'afile', 'state.json'), MB4)).toEqual({
      kind: 'missing',
    });
  });

  it('does not read a file over the limit (sparse 110 MB file) and says how big it is', async () => {
    const p = join(dir, 'state.json');
    await writeFile(p, '');
    await truncate(p, 110_000_000);
    const r = await readJsonFileBounded(p, MB4);
    expect(r).toMatchObject({
      kind: 'error',
      code: 'oversize',
      message: 'state.json is 104.9 MB, over the 4 MB read limit',
    });
  });

  it('uses the given display name in messages', async () => {
    const p = join(dir, 'worker-state.json');
    await writeFile(p, '{"a":');
    const r = await readJsonFileBounded(p, MB4, '.claw/worker-state.json');
    expect(r.kind === 'error' && r.message).toMatch(
      /^\.claw\/worker-state\.json is not valid JSON/,
    );
  });

  it('does not follow a symlink, even to a valid JSON file outside the dir', async () => {
    const outside = await makeTempDir();
    try {
      await writeFile(join(outside, 'secret.json'), '{"secret":true}');
      await symlink(join(outside, 'secret.json'), join(dir, 'state.json'));
      const r = await readJsonFileBounded(join(dir, 'state.json'), MB4);
      expect(r).toMatchObject({
        kind: 'error',
        code: 'symlink',
        message: 'state.json is a symlink; not followed',
      });
    } finally {
      await removeDir(outside);
    }
  });

  it('reports a symlink loop as a symlink, without hanging', async () => {
    await symlink(join(dir, 'b.json'), join(dir, 'a.json'));
    await symlink(join(dir, 'a.json'), join(dir, 'b.json'));
    const r = await readJsonFileBounded(join(dir, 'a.json'), MB4);
    expect(r).toMatchObject({ kind: 'error', code: 'symlink' });
  });

  it('reports a directory where the file should be', async () => {
    await mkdir(join(dir, 'result.json'));
    const r = await readJsonFileBounded(join(dir, 'result.json'), MB4);
    expect(r).toMatchObject({
      kind: 'error',
      code: 'not_file',
      message: 'result.json is a directory, not a file',
    });
  });

  it('does not block on a FIFO', async () => {
    const p = join(dir, 'state.json');
    execFileSync('mkfifo', [p]);
    const r = await readJsonFileBounded(p, MB4);
    expect(r).toMatchObject({
      kind: 'error',
      code: 'not_file',
      message: 'state.json is not a regular file',
    });
  });

  it('rejects invalid UTF-8', async () => {
    const p = join(dir, 'state.json');
    await writeFile(p, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    const r = await readJsonFileBounded(p, MB4);
    expect(r).toMatchObject({
      kind: 'error',
      code: 'utf8',
      message: 'state.json is not valid UTF-8',
    });
  });

  it('treats an empty or whitespace-only file as being written', async () => {
    const p = join(dir, 'state.json');
    await writeFile(p, '');
    expect(await readJsonFileBounded(p, MB4)).toMatchObject({ kind: 'error', code: 'empty' });
    await writeFile(p, ' \n ');
    expect(await readJsonFileBounded(p, MB4)).toMatchObject({ kind: 'error', code: 'empty' });
  });

  it('reports half-written JSON with a short, control-free message', async () => {
    const p = join(dir, 'state.json');
    await writeFile(p, `{"status":"run\u001b[31m${'x'.repeat(500)}`);
    const r = await readJsonFileBounded(p, MB4);
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.code).toBe('json');
    expect(r.message.startsWith('state.json is not valid JSON')).toBe(true);
    expect(r.message.length).toBeLessThan(140);
    expect(r.message.includes('\u001b')).toBe(false);
  });

  it('reads a file exactly at the limit and rejects one byte more', async () => {
    const p = join(dir, 'state.json');
    const body = `"${'a'.repeat(98)}"`; // 100 bytes
    await writeFile(p, body);
    expect((await readJsonFileBounded(p, 100)).kind).toBe('ok');
    await writeFile(p, `${body} `);
    expect(await readJsonFileBounded(p, 100)).toMatchObject({
      kind: 'error',
      message: 'state.json is 101 bytes, over the 100 bytes read limit',
    });
  });

  it.skipIf(isRoot)(
    'reports an unreadable file (EACCES; skipped as root, root ignores modes)',
    async () => {
      const p = join(dir, 'state.json');
      await writeFile(p, '{}');
      await chmod(p, 0o000);
      const r = await readJsonFileBounded(p, MB4);
      expect(r).toMatchObject({ kind: 'error', code: 'unreadable' });
      expect(r.kind === 'error' && r.message).toMatch(/permission denied/);
    },
  );
});

describe('checkBridgeDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('accepts a directory and a symlink to one', async () => {
    await mkdir(join(dir, 'b'));
    expect(await checkBridgeDir(join(dir, 'b'))).toMatchObject({ ok: true, symlink: false });
    await symlink(join(dir, 'b'), join(dir, 'link'));
    expect(await checkBridgeDir(join(dir, 'link'))).toMatchObject({ ok: true, symlink: true });
  });

  it('explains missing, file, dangling symlink and symlink loop', async () => {
    const missing = join(dir, 'none');
    expect(await checkBridgeDir(missing)).toEqual({
      ok: false,
      message: `bridge dir ${missing} does not exist`,
      absent: true,
    });
    await writeFile(join(dir, 'f'), 'x');
    expect(await checkBridgeDir(join(dir, 'f'))).toEqual({
      ok: false,
      message: `bridge dir ${join(dir, 'f')} is not a directory`,
      absent: false,
    });
    await symlink(join(dir, 'gone'), join(dir, 'dangling'));
    expect(await checkBridgeDir(join(dir, 'dangling'))).toEqual({
      ok: false,
      message: `bridge dir ${join(dir, 'dangling')} is a dangling symlink`,
      absent: false,
    });
    await symlink(join(dir, 'loop'), join(dir, 'loop'));
    expect(await checkBridgeDir(join(dir, 'loop'))).toEqual({
      ok: false,
      message: `bridge dir ${join(dir, 'loop')} is a symlink loop`,
      absent: false,
    });
  });
});

describe('formatBytes', () => {
  it('formats binary units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4 MB');
    expect(formatBytes(110_000_000)).toBe('104.9 MB');
    expect(formatBytes(-1)).toBe('? bytes');
  });
});
