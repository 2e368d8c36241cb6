/**
 * Fault injection: bridge files and a bridge dir made unreadable (chmod 000) under a
 * running board. Root ignores file modes, so when the suite runs as root the real
 * pipeline runs in a child process as `nobody` (setpriv; test/fixtures/faults/
 * unreadable-probe.tsx) over a tree this test prepares and changes step by step. Skipped
 * only when running as root without setpriv.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeAtomic } from '../helpers/bridge-helpers.js';

const isRoot = process.getuid?.() === 0;
const canDrop = isRoot && existsSync('/usr/bin/setpriv');
const PROBE = resolve(import.meta.dirname, '../fixtures/faults/unreadable-probe.tsx');
const TSX = resolve(import.meta.dirname, '../../node_modules/tsx/dist/esm/index.mjs');

let root = '';
afterEach(async () => {
  if (root === '') return;
  await chmod(join(root, 'lanes', 'locked'), 0o755).catch(() => undefined);
  await removeDir(root);
  root = '';
});

const state = (status: string, phase: string): string =>
  JSON.stringify({ schema: 'laneboard.state/1', status, phase });

describe.skipIf(isRoot && !canDrop)('a bridge made unreadable while the board runs', () => {
  it('permission denied is shown beside the last good state; the healthy lane keeps updating', async () => {
    root = await makeTempDir('lb-faults-perm-');
    await chmod(root, 0o755);
    for (const id of ['good', 'bad', 'locked']) {
      const dir = join(root, 'lanes', id);
      await mkdir(dir, { recursive: true });
      await writeAtomic(join(dir, 'state.json'), state('running', 'last good phase'));
      await chmod(join(dir, 'state.json'), 0o644);
    }
    await writeAtomic(join(root, 'lanes', 'bad', 'events.jsonl'), '{"event":"lane.started"}\n');
    await chmod(join(root, 'lanes', 'bad', 'events.jsonl'), 0o644);
    const node = [process.execPath, '--import', TSX, PROBE, root];
    const [cmd, ...args] = canDrop
      ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
      : node;
    const child = spawn(cmd ?? process.execPath, args, {
      env: { ...process.env, HOME: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const steps: Record<string, unknown> = {};
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        const [step, json] = [line.slice(0, 5), line.slice(6)];
        if (step === 'STEP1') {
          await chmod(join(root, 'lanes', 'bad', 'state.json'), 0o000);
          await chmod(join(root, 'lanes', 'bad', 'events.jsonl'), 0o000);
          await chmod(join(root, 'lanes', 'locked'), 0o000);
        } else if (step === 'STEP2') {
          steps.STEP2 = JSON.parse(json);
          const good = join(root, 'lanes', 'good', 'state.json');
          await writeAtomic(good, state('idle', 'step 2'));
          await chmod(good, 0o644);
        } else if (step === 'STEP3') {
          steps.STEP3 = JSON.parse(json);
        }
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited, stderr).toBe(0);
    const s2 = steps.STEP2 as { bad: string[]; locked: string[]; rows: string[] };
    expect(s2.bad.join('\n')).toMatch(/state\.json.*permission denied/);
    expect(s2.bad.join('\n')).toMatch(/events.*permission denied/);
    expect(s2.locked.join('\n')).toMatch(/bridge dir .* permission denied/);
    for (const row of s2.rows) expect(row).toMatch(/running.*bridge_error/);
    const s3 = steps.STEP3 as { good: string; controls: string[] };
    expect(s3.good).toContain('idle');
    expect(s3.controls).toEqual([]);
  }, 60_000);
});
