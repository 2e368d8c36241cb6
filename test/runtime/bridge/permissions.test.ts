/**
 * EACCES handling. Tests run as root here, and root ignores file modes, so when root the
 * readers are exercised in a real child process that runs as `nobody` (via `setpriv`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../helpers/bridge-helpers.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const canDrop = isRoot && existsSync('/usr/bin/setpriv');
const SRC = resolve('src/runtime/bridge');
const TSX = resolve('node_modules/tsx/dist/esm/index.mjs');

const PROBE = `
import { readJsonFileBounded } from ${JSON.stringify(join(SRC, 'read-json.ts'))};
import { checkBridgeDir } from ${JSON.stringify(join(SRC, 'bridge-dir.ts'))};
import { EventsTail } from ${JSON.stringify(join(SRC, 'events-tail.ts'))};
const dir = process.argv[2];
const out = {
  doc: await readJsonFileBounded(dir + '/state.json', 4194304),
  dir: await checkBridgeDir(dir + '/locked'),
  tail: await new EventsTail(dir + '/events.jsonl', 'events.jsonl').read(),
};
console.log(JSON.stringify(out));
`;

describe.skipIf(isRoot && !canDrop)('unreadable bridge files (EACCES)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'state.json'), '{"a":1}');
    await writeFile(join(dir, 'events.jsonl'), '{"event":"lane.started"}\n');
    await mkdir(join(dir, 'locked'));
    await writeFile(join(dir, 'probe.mts'), PROBE);
    await chmod(join(dir, 'probe.mts'), 0o644);
    await chmod(join(dir, 'state.json'), 0o000);
    await chmod(join(dir, 'events.jsonl'), 0o000);
    await chmod(join(dir, 'locked'), 0o000);
  });
  afterEach(async () => {
    await chmod(join(dir, 'locked'), 0o755).catch(() => undefined);
    await removeDir(dir);
  });

  it('reports permission denied for a document, an events file and a bridge dir', async () => {
    const node = [process.execPath, '--import', TSX, join(dir, 'probe.mts'), dir];
    const argv = canDrop
      ? ['/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node]]
      : [node[0] ?? process.execPath, node.slice(1)];
    const { stdout } = await run(argv[0] as string, argv[1] as string[], {
      env: { ...process.env, HOME: dir },
      timeout: 20_000,
    });
    const out = JSON.parse(stdout) as {
      doc: { kind: string; code: string; message: string };
      dir: { ok: boolean; message: string; absent: boolean };
      tail: { lines: unknown[]; problem: string | null };
    };
    expect(out.doc).toMatchObject({
      kind: 'error',
      code: 'unreadable',
      message: 'state.json is not readable: permission denied (EACCES)',
    });
    expect(out.dir).toEqual({
      ok: false,
      message: `bridge dir ${join(dir, 'locked')} is not readable: permission denied`,
      absent: false,
    });
    expect(out.tail).toMatchObject({
      lines: [],
      problem: 'events.jsonl is not readable: permission denied (EACCES)',
    });
  });
});
