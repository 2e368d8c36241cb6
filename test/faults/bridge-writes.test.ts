/**
 * Faults 5 and 7 (issue #12): the board never writes through a symlink (or a hard link,
 * FIFO…) planted in a bridge, and its JSONL appends are all or nothing on a full disk.
 * Real supervisor with real worker processes, the real built CLI (`laneboard hook`),
 * real files; the full disk is a real size-limited tmpfs (root only) and a real
 * RLIMIT_FSIZE on the CLI child (`prlimit`); each says when it is skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendLine } from '../../src/runtime/bridge/safe-write.js';
import { laneboardBin } from '../helpers/e2e-cli.js';
import {
  supervisorHarness,
  testConfig,
  testLane,
  testSettings,
  waitFor,
  writeProblems,
} from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();
const PRECIOUS = 'precious data outside the bridge\n'.repeat(400); // ~13 KB

/** Every line of a JSONL file parses (no torn or glued line). */
function jsonLines(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('writes through symlinks (fault 5)', () => {
  it('worker.log replaced by a symlink: the next start and the rotation never write through it', async () => {
    const root = harness.tempRoot();
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, PRECIOUS);
    const plant = `rm -f "$LANEBOARD_BRIDGE_DIR/worker.log"; ln -s "${victim}" "$LANEBOARD_BRIDGE_DIR/worker.log"`;
    const lane = testLane(root, 'a', { command: ['/bin/sh', '-c', 'echo first'] });
    const config = testConfig(root, [lane], testSettings({ logMaxBytes: 1000, logFiles: 2 }));
    const { rec, sup } = harness.board(config);
    await sup.start();
    await sup.start('a');
    await rec.waitWorker('a', (w) => w.phase === 'exited' || w.phase === 'stopped');
    // Planted between two runs (the board follows worker.log only while a run lives: a link
    // planted by the run itself is replaced by that run's rotation check, see below).
    const log = join(lane.bridge, 'worker.log');
    rmSync(log, { force: true });
    symlinkSync(victim, log);
    expect(lstatSync(log).isSymbolicLink()).toBe(true);
    // Second start: the log is opened without following the link; it is replaced.
    await sup.start('a');
    await waitFor(() => writeProblems(rec.actions, 'a').length > 0, 10_000, 'a write problem');
    expect(writeProblems(rec.actions, 'a')[0]).toMatch(
      /^worker\.log was a symlink to ".*victim\.txt"; replaced by a new file, never written through$/,
    );
    // Third run plants the link while a long-running worker keeps the board's log checks
    // running: rotation must not copy or truncate the victim.
    const sleeper = testLane(root, 'b', {
      command: ['/bin/sh', '-c', `${plant}; exec sleep 30`],
    });
    const config2 = testConfig(root, [sleeper], testSettings({ logMaxBytes: 1000, logFiles: 2 }));
    const b = harness.board(config2);
    await b.sup.start();
    await b.sup.start('b');
    await waitFor(() => writeProblems(b.rec.actions, 'b').length > 0, 10_000, 'rotation replace');
    const logB = join(sleeper.bridge, 'worker.log');
    await waitFor(() => !lstatSync(logB).isSymbolicLink(), 5000, 'worker.log replaced');
    expect(lstatSync(logB).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS);
    expect(existsSync(`${logB}.1`) ? readFileSync(`${logB}.1`, 'utf8') : '').not.toContain(
      'precious',
    );
    await b.sup.stop('b');
  });

  it('inbox.jsonl as a symlink or a hard link: the message lands in a new file, the target is untouched, the lane says so', async () => {
    const root = harness.tempRoot();
    const lane = testLane(root, 'a');
    const { rec, sup } = harness.board(testConfig(root, [lane]));
    await sup.start();
    mkdirSync(lane.bridge, { recursive: true });
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, PRECIOUS);
    const inbox = join(lane.bridge, 'inbox.jsonl');
    symlinkSync(victim, inbox);
    const m1 = await sup.steer('a', 'first');
    expect(m1).toMatchObject({ state: 'pending', error: null });
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS);
    expect(lstatSync(inbox).isFile()).toBe(true);
    expect(jsonLines(inbox)).toEqual([expect.objectContaining({ text: 'first' })]);
    expect(writeProblems(rec.actions, 'a')).toEqual([
      expect.stringMatching(/^inbox\.jsonl was a symlink to/),
    ]);

    rmSync(inbox);
    linkSync(victim, inbox);
    await sup.steer('a', 'second');
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS);
    expect(statSync(inbox).nlink).toBe(1);
    expect(jsonLines(inbox)).toEqual([expect.objectContaining({ text: 'second' })]);
    expect(writeProblems(rec.actions, 'a')[1]).toMatch(/^inbox\.jsonl had 2 hard links/);
  });

  it('laneboard hook: hook-events.jsonl as a symlink is replaced, and the replacement is recorded as a hook error', () => {
    const root = harness.tempRoot();
    const bridge = join(root, 'bridge');
    mkdirSync(bridge);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, PRECIOUS);
    const events = join(bridge, 'hook-events.jsonl');
    symlinkSync(victim, events);
    const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's1', cwd: root });
    const r = spawnSync(process.execPath, [laneboardBin(), 'hook'], {
      input: payload,
      env: { ...process.env, LANEBOARD_BRIDGE_DIR: bridge },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS);
    expect(lstatSync(events).isFile()).toBe(true);
    const lines = jsonLines(events) as Record<string, unknown>[];
    expect(lines[0]).toMatchObject({ hook_event_name: 'PreToolUse' });
    expect(lines[1]).toMatchObject({
      event: 'laneboard.hook_error',
      detail: expect.stringMatching(/^hook-events\.jsonl was a symlink/) as unknown,
    });
  });
});

/** Mount a tmpfs of `size` at `dir`; false (and a note) when the machine does not allow it. */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (r.status === 0) return true;
  console.warn(
    `SKIPPED (full tmpfs): cannot mount a tmpfs here (${(r.stderr || String(r.error)).trim()}); needs root with CAP_SYS_ADMIN`,
  );
  return false;
}

/** Fill the filesystem of `dir` until ENOSPC. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const file = join(dir, 'filler');
  for (let i = 0; i < 100_000; i++) {
    try {
      writeFileSync(file, chunk, { flag: 'a' });
    } catch {
      try {
        writeFileSync(file, Buffer.alloc(512, 0x61), { flag: 'a' });
        continue;
      } catch {
        return;
      }
    }
  }
}

describe('torn lines on a full disk (fault 7)', () => {
  it('a steering append on a full tmpfs fails whole: no partial line; the next message is valid JSON', async (ctx) => {
    const root = harness.tempRoot();
    const mnt = join(root, 'small');
    if (!mountTmpfs(mnt, '256k')) return ctx.skip();
    try {
      const lane = testLane(root, 'a', { bridge: join(mnt, 'bridge') });
      const { sup } = harness.board(testConfig(root, [lane]));
      await sup.start();
      const first = await sup.steer('a', 'first');
      expect(first.state).toBe('pending');
      const inbox = join(lane.bridge, 'inbox.jsonl');
      const before = readFileSync(inbox, 'utf8');
      fill(mnt);
      // Larger than the free rest of the inbox's page: part of it fits, then ENOSPC.
      const big = await sup.steer('a', 'x'.repeat(20_000));
      expect(big).toMatchObject({ state: 'failed' });
      expect(big.error).toMatch(/ENOSPC|no space/i);
      expect(readFileSync(inbox, 'utf8')).toBe(before);
      rmSync(join(mnt, 'filler'));
      const next = await sup.steer('a', 'after the disk was freed');
      expect(next.state).toBe('pending');
      expect(jsonLines(inbox)).toEqual([
        expect.objectContaining({ text: 'first' }),
        expect.objectContaining({ text: 'after the disk was freed' }),
      ]);
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });

  it('laneboard hook under RLIMIT_FSIZE: the payload that does not fit is not torn; later lines parse', (ctx) => {
    const which = spawnSync('prlimit', ['--version'], { encoding: 'utf8' });
    if (which.status !== 0) {
      console.warn('SKIPPED (RLIMIT_FSIZE): prlimit(1) is not installed');
      return ctx.skip();
    }
    const root = harness.tempRoot();
    const bridge = join(root, 'bridge');
    mkdirSync(bridge);
    const events = join(bridge, 'hook-events.jsonl');
    const good = `${JSON.stringify({ hook_event_name: 'SessionStart', session_id: 's' })}\n`;
    writeFileSync(events, good.repeat(50));
    const size = statSync(events).size;
    const hook = (payload: object, limit: number | null) =>
      execFileSync(
        limit === null ? process.execPath : 'prlimit',
        [...(limit === null ? [] : [`--fsize=${limit}`, process.execPath]), laneboardBin(), 'hook'],
        {
          input: JSON.stringify(payload),
          env: { ...process.env, LANEBOARD_BRIDGE_DIR: bridge },
          encoding: 'utf8',
          timeout: 15_000,
        },
      );
    // The file may grow by 40 bytes: a 2 KB payload is cut by the kernel (EFBIG).
    hook({ hook_event_name: 'PostToolUse', session_id: 's', out: 'y'.repeat(2000) }, size + 40);
    expect(statSync(events).size).toBe(size);
    hook({ hook_event_name: 'Stop', session_id: 's' }, null);
    const lines = jsonLines(events) as Record<string, unknown>[];
    expect(lines).toHaveLength(51);
    expect(lines[50]).toMatchObject({ hook_event_name: 'Stop' });
  });

  it('a file left with a torn last line (by anyone) gets a clean line before the next append', async () => {
    const root = harness.tempRoot();
    const file = join(root, 'inbox.jsonl');
    writeFileSync(file, '{"id":"1","text":"ok"}\n{"id":"2","te');
    await appendLine(file, JSON.stringify({ id: '3', text: 'next' }));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual([
      '{"id":"1","text":"ok"}',
      '{"id":"2","te',
      '{"id":"3","text":"next"}',
      '',
    ]);
  });
});
