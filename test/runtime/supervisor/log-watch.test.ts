/**
 * A running worker's `worker.log` followed through the bridge dir's watch events
 * (src/runtime/supervisor/log-watch.ts; issue #17: no fixed per-worker polls): real files,
 * real `fs.watch`. A log truncated or rotated by someone else is still read; output whose
 * event never came (a watch that reports nothing, or no watch at all) is found by the
 * fallback check.
 */
import { appendFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { WatchFn } from '../../../src/runtime/fs-watch.js';
import { watchWorkerLog, type WorkerLogWatch } from '../../../src/runtime/supervisor/log-watch.js';
import { systemClock } from '../../../src/runtime/types.js';
import { readJsonLines } from '../../helpers/dead-board.js';
import { makeTempDir, removeDir } from '../../helpers/supervisor-helpers.js';

const root = makeTempDir('lb-log-watch-');
afterAll(() => removeDir(root));

const result = (uuid: string): string =>
  `${JSON.stringify({ type: 'result', session_id: 's1', is_error: false, result: 'ok', uuid })}\n`;
/** A watch that is live but never reports anything (events lost). */
const deaf: WatchFn = () => ({ close: () => undefined, on: () => undefined });
/** A watch that cannot be created (the inotify limit). */
const full: WatchFn = () => {
  throw Object.assign(new Error('ENOSPC: no space left on device, watch'), { code: 'ENOSPC' });
};

let n = 0;
function bridgeDir(): { bridge: string; log: string; stops: () => string[] } {
  n += 1;
  const bridge = join(root, `b${n}`);
  mkdirSync(bridge, { recursive: true });
  writeFileSync(join(bridge, 'worker.log'), '');
  const stops = (): string[] =>
    readJsonLines(join(bridge, 'hook-events.jsonl')).map((l) => String(l.result_uuid));
  return { bridge, log: join(bridge, 'worker.log'), stops };
}

describe('watchWorkerLog', () => {
  let watch: WorkerLogWatch | null = null;
  afterEach(async () => {
    await watch?.stop();
    watch = null;
  });
  const wait = { timeout: 5_000, interval: 20 };

  it('reads a log truncated in place, and one rotated by rename, from their new start', async () => {
    const { bridge, log, stops } = bridgeDir();
    let rotations = 0;
    watch = watchWorkerLog(bridge, 0, {
      clock: systemClock,
      rotate: () => Promise.resolve(void (rotations += 1)),
      minGapMs: 0,
      fallbackMs: 60_000, // only the watch's events can drive these checks
    });
    appendFileSync(log, result('r1') + result('r2'));
    await vi.waitFor(() => expect(stops()).toEqual(['r1', 'r2']), wait);
    expect(rotations).toBeGreaterThan(0); // rotation follows each output read
    // Truncated in place (what rotateLog does), then a shorter line: read from byte 0.
    truncateSync(log, 0);
    appendFileSync(log, result('r3'));
    await vi.waitFor(() => expect(stops()).toEqual(['r1', 'r2', 'r3']), wait);
    // Renamed away and recreated (an outside logrotate): the new file is read.
    renameSync(log, `${log}.1`);
    writeFileSync(log, result('r4'));
    await vi.waitFor(() => expect(stops()).toEqual(['r1', 'r2', 'r3', 'r4']), wait);
  });

  it.each([
    // A live watch that reports nothing: the fallback (100 ms here) finds the output.
    { name: 'a lost event, on the fallback', watch: deaf, fallbackMs: 100, blindMs: 60_000 },
    // No watch at all (the inotify limit): checks every blindMs.
    { name: 'an unwatchable dir, every blindMs', watch: full, fallbackMs: 60_000, blindMs: 100 },
  ])('finds output after $name', async ({ watch: watchFn, fallbackMs, blindMs }) => {
    const { bridge, log, stops } = bridgeDir();
    let checks = 0;
    watch = watchWorkerLog(bridge, 0, {
      clock: systemClock,
      rotate: () => Promise.resolve(void (checks += 1)),
      watch: watchFn,
      fallbackMs,
      blindMs,
    });
    await vi.waitFor(() => expect(checks).toBe(1), wait); // the first check, at start
    appendFileSync(log, result('r1'));
    await vi.waitFor(() => expect(stops()).toEqual(['r1']), wait);
  });

  it('records nothing after stop() resolves', async () => {
    const { bridge, log, stops } = bridgeDir();
    watch = watchWorkerLog(bridge, 0, {
      clock: systemClock,
      rotate: () => Promise.resolve(),
      minGapMs: 0,
      fallbackMs: 20,
    });
    appendFileSync(log, result('r1'));
    await vi.waitFor(() => expect(stops()).toEqual(['r1']), wait);
    await watch.stop();
    appendFileSync(log, result('r2'));
    await new Promise((r) => setTimeout(r, 150)); // several fallback periods
    expect(stops()).toEqual(['r1']);
  });
});
